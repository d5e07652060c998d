/**
 * BODYSTRUCTURE / BODY (RFC 3501 §7.4.2, body extensions included). `part` is
 * the section path to ask for with fetchSpecific ("1", "2.1"; the root
 * multipart has part "").
 *
 * Servers differ in case (Cyrus sends `"BASE64"`, `("EN")`, `("CHARSET" "UTF-8")`;
 * Dovecot often lower case), so the tokens RFC 2045/2046/2183/5646 define as
 * case-insensitive are lower-cased: type, subtype, encoding, parameter names,
 * the `charset` parameter's value, disposition type and language tags. Every
 * other value (boundary, filename, name, id, description, md5, location) is
 * kept as sent.
 */
import * as t from 'io-ts';
import { Envelope } from './envelope';
import { ImapValue } from './value';

const NString = t.union([t.string, t.null]);
const Params = t.union([t.record(t.string, t.string), t.null]);

export const Disposition = t.union([t.type({ type: t.string, parameters: Params }), t.null]);
export type Disposition = t.TypeOf<typeof Disposition>;

const SingleFields = {
  multipart: t.literal(false),
  part: t.string,
  type: t.string,
  subtype: t.string,
  parameters: Params,
  id: NString,
  description: NString,
  encoding: t.string,
  size: t.number,
};
const SingleOptional = {
  /** text/* and message/rfc822 */
  lines: t.number,
  /** message/rfc822 */
  envelope: Envelope,
  md5: NString,
  disposition: Disposition,
  language: t.union([t.array(t.string), t.null]),
  location: NString,
  extensions: t.array(ImapValue),
};
const MultiFields = { multipart: t.literal(true), part: t.string, type: t.literal('multipart'), subtype: t.string };
const MultiOptional = {
  parameters: Params,
  disposition: Disposition,
  language: t.union([t.array(t.string), t.null]),
  location: NString,
  extensions: t.array(ImapValue),
};

// io-ts needs the static type of a recursive codec spelled out; these are derived from the field codecs above.
type SingleBase = t.TypeOf<t.TypeC<typeof SingleFields>> & t.TypeOf<t.PartialC<typeof SingleOptional>>;
export type SinglePart = SingleBase & { readonly body?: BodyStructure };
export type Multipart = t.TypeOf<t.TypeC<typeof MultiFields>> & t.TypeOf<t.PartialC<typeof MultiOptional>> & { readonly childNodes: BodyStructure[] };
export type BodyStructure = SinglePart | Multipart;

export const BodyStructure: t.Type<BodyStructure> = t.recursion('BodyStructure', () =>
  t.union([
    t.intersection([t.type(SingleFields), t.partial({ ...SingleOptional, body: BodyStructure })]),
    t.intersection([t.type({ ...MultiFields, childNodes: t.array(BodyStructure) }), t.partial(MultiOptional)]),
  ]),
);
