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

/** Content-Disposition (RFC 2183): `type` lower-cased ("inline", "attachment"), parameter names lower-cased; null for NIL. */
export const Disposition = t.union([t.type({ type: t.string, parameters: Params }), t.null]);
/** See the {@link Disposition} codec. */
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

// io-ts needs the static type of a recursive codec spelled out; these mirror the field codecs above
// (the annotation on the BodyStructure codec below makes tsc check that they match).
/** A non-multipart body part (RFC 3501 §7.4.2 `body-type-1part`); the optional fields come with BODYSTRUCTURE's extension data. */
export type SinglePart = {
  multipart: false;
  /** The section path to fetch it with ("1", "2.1"; "1" for a non-multipart message). */
  part: string;
  /** Media type, lower-cased ("text", "image", "message"). */
  type: string;
  /** Media subtype, lower-cased ("plain", "rfc822"). */
  subtype: string;
  /** Content-Type parameters, names lower-cased (and the `charset` value); null for NIL. */
  parameters: Record<string, string> | null;
  /** Content-ID, as sent. */
  id: string | null;
  /** Content-Description, as sent. */
  description: string | null;
  /** Content-Transfer-Encoding, lower-cased ("7bit", "base64"). */
  encoding: string;
  /** Size in bytes of the body as transferred (still encoded). */
  size: number;
  /** Lines of the body: text/* and message/rfc822 only. */
  lines?: number;
  /** The embedded message's envelope: message/rfc822 only. */
  envelope?: Envelope;
  md5?: string | null;
  disposition?: Disposition;
  /** Content-Language tags, lower-cased. */
  language?: string[] | null;
  location?: string | null;
  /** Extension data past the fields above, uninterpreted. */
  extensions?: ImapValue[];
  /** The embedded message's body structure: message/rfc822 only. */
  readonly body?: BodyStructure;
};
/** A multipart body part (RFC 3501 §7.4.2 `body-type-mpart`); the optional fields come with BODYSTRUCTURE's extension data. */
export type Multipart = {
  multipart: true;
  /** The section path ("" for the message's root multipart, "2" for a nested one). */
  part: string;
  type: 'multipart';
  /** Lower-cased ("mixed", "alternative", "related"). */
  subtype: string;
  /** Its parts, in order. */
  readonly childNodes: BodyStructure[];
  /** Content-Type parameters (boundary ...), names lower-cased; null for NIL. */
  parameters?: Record<string, string> | null;
  disposition?: Disposition;
  language?: string[] | null;
  location?: string | null;
  /** Extension data past the fields above, uninterpreted. */
  extensions?: ImapValue[];
};
/** BODYSTRUCTURE / BODY as a tree: a single part or a multipart with `childNodes`; `multipart` discriminates. */
export type BodyStructure = SinglePart | Multipart;

/** The codec of {@link BodyStructure} (recursive). */
export const BodyStructure: t.Type<BodyStructure> = t.recursion('BodyStructure', () =>
  t.union([
    t.intersection([t.type(SingleFields), t.partial({ ...SingleOptional, body: BodyStructure })]),
    t.intersection([t.type({ ...MultiFields, childNodes: t.array(BodyStructure) }), t.partial(MultiOptional)]),
  ]),
);
