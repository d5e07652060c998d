/**
 * The attributes of one FETCH response. Body sections are keyed by what the
 * server echoes inside the brackets, upper-cased, plus `<origin>` for partial
 * fetches: `sections['HEADER.FIELDS (SUBJECT)']`, `sections['1.2']`, `sections['<0>']`
 * for `BODY[]<0>`; the whole message is `sections['']`.
 */
import * as t from 'io-ts';
import { BodyStructure } from './body-structure';
import { BufferC } from './buffer';
import { Envelope } from './envelope';
import { ImapValue } from './value';

/** The codec of one FETCH response's attributes (every one optional: only those the server sent). See the module comment for `sections`. */
export const FetchAttributes = t.partial({
  uid: t.number,
  flags: t.array(t.string),
  /** As sent, e.g. "17-Jul-1996 02:44:25 -0700"; `parseInternalDate` turns it into a Date. */
  internalDate: t.string,
  size: t.number,
  envelope: Envelope,
  bodyStructure: BodyStructure,
  /** BODY without brackets: the non-extensible body structure. */
  body: BodyStructure,
  sections: t.record(t.string, t.union([BufferC, t.null])),
  /** BINARY[...] sections (RFC 3516), keyed like `sections`. */
  binary: t.record(t.string, t.union([BufferC, t.null])),
  rfc822: t.union([BufferC, t.null]),
  rfc822Header: t.union([BufferC, t.null]),
  rfc822Text: t.union([BufferC, t.null]),
  modseq: t.number,
  /** Attributes rxwire does not interpret (X-GM-*, BINARY.SIZE, ...), by upper-cased name. */
  other: t.record(t.string, ImapValue),
});
/** See the {@link FetchAttributes} codec. */
export type FetchAttributes = t.TypeOf<typeof FetchAttributes>;

const MONTHS: Record<string, number> = { JAN: 0, FEB: 1, MAR: 2, APR: 3, MAY: 4, JUN: 5, JUL: 6, AUG: 7, SEP: 8, OCT: 9, NOV: 10, DEC: 11 };

/** "17-Jul-1996 02:44:25 -0700" → Date; undefined when it does not match. */
export function parseInternalDate(s: string): Date | undefined {
  const m = /^\s*(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const month = MONTHS[m[2].toUpperCase()];
  if (month === undefined) return undefined;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  return new Date(Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offset * 60_000);
}
