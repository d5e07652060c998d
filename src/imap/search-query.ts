/**
 * A typed SEARCH query builder (RFC 3501 §6.4.4 keys, RFC 7162 MODSEQ).
 * Keys combine with `and(...)` (juxtaposition), `or(a, b)` and `not(k)`;
 * strings are always sent as quoted strings or literals, never spliced raw,
 * and a non-ASCII string makes `search` add `CHARSET UTF-8`.
 *
 *   search(and(unseen(), from('alice'), since(new Date('2024-01-01'))))
 *   search(or(subject('invoice'), header('X-Tag', 'billing')), { uid: true })
 */
import { astring, flag, searchDate, sequenceSet, type Part } from './quote';

/** One SEARCH key (or a combination), built by the functions of this namespace; pass it to `client.search`. */
export interface SearchKey {
  /** The wire form, as atoms, quoted strings and literals (see {@link Part}). */
  readonly parts: readonly Part[];
  /** True when a string in it needs CHARSET UTF-8. */
  readonly nonAscii: boolean;
}

const key = (parts: Part[], nonAscii = false): SearchKey => ({ parts, nonAscii });
const word = (w: string) => (): SearchKey => key([w]);
const str = (w: string) => (s: string): SearchKey => key([w, ' ', astringAlways(s)], /[^\x00-\x7f]/.test(s));
const date = (w: string) => (d: Date): SearchKey => key([`${w} ${searchDate(d)}`]);
const num = (w: string) => (n: number): SearchKey => key([`${w} ${Math.floor(n)}`]);

/** SEARCH strings are astrings; an empty one must be "" (quoted). */
function astringAlways(s: string): Part {
  return s === '' ? '""' : astring(s);
}

/** `ALL`: every message in the mailbox. */
export const all = word('ALL');
/** `ANSWERED`: messages with the `\Answered` flag. */
export const answered = word('ANSWERED');
/** `DELETED`: messages with the `\Deleted` flag. */
export const deleted = word('DELETED');
/** `DRAFT`: messages with the `\Draft` flag. */
export const draft = word('DRAFT');
/** `FLAGGED`: messages with the `\Flagged` flag. */
export const flagged = word('FLAGGED');
/** `RECENT`: messages with the `\Recent` flag (RFC 3501; gone in RFC 9051). */
export const recent = word('RECENT');
/** `SEEN`: messages with the `\Seen` flag. */
export const seen = word('SEEN');
/** `NEW`: recent and unseen messages (RFC 3501). */
export const newMessages = word('NEW');
/** `OLD`: messages without the `\Recent` flag (RFC 3501). */
export const old = word('OLD');
/** `UNANSWERED`: messages without the `\Answered` flag. */
export const unanswered = word('UNANSWERED');
/** `UNDELETED`: messages without the `\Deleted` flag. */
export const undeleted = word('UNDELETED');
/** `UNDRAFT`: messages without the `\Draft` flag. */
export const undraft = word('UNDRAFT');
/** `UNFLAGGED`: messages without the `\Flagged` flag. */
export const unflagged = word('UNFLAGGED');
/** `UNSEEN`: messages without the `\Seen` flag. */
export const unseen = word('UNSEEN');
/** `BCC <string>`: the Bcc header contains the string (case-insensitive substring, server-side). */
export const bcc = str('BCC');
/** `BODY <string>`: the message body contains the string. */
export const body = str('BODY');
/** `CC <string>`: the Cc header contains the string. */
export const cc = str('CC');
/** `FROM <string>`: the From header contains the string. */
export const from = str('FROM');
/** `SUBJECT <string>`: the Subject header contains the string. */
export const subject = str('SUBJECT');
/** `TEXT <string>`: the header or body contains the string. */
export const text = str('TEXT');
/** `TO <string>`: the To header contains the string. */
export const to = str('TO');
/** `BEFORE <date>`: internal date earlier than the day. Only the date is sent (day-month-year of `d` in UTC), no time. */
export const before = date('BEFORE');
/** `ON <date>`: internal date within the day (date only, UTC). */
export const on = date('ON');
/** `SINCE <date>`: internal date on or after the day (date only, UTC). */
export const since = date('SINCE');
/** `SENTBEFORE <date>`: Date header earlier than the day (date only, UTC). */
export const sentBefore = date('SENTBEFORE');
/** `SENTON <date>`: Date header within the day (date only, UTC). */
export const sentOn = date('SENTON');
/** `SENTSINCE <date>`: Date header on or after the day (date only, UTC). */
export const sentSince = date('SENTSINCE');
/** `LARGER <n>`: RFC822 size greater than `n` bytes (`n` rounded down). */
export const larger = num('LARGER');
/** `SMALLER <n>`: RFC822 size less than `n` bytes (`n` rounded down). */
export const smaller = num('SMALLER');
/** `MODSEQ <n>`: mod-sequence at least `n` (RFC 7162 CONDSTORE; the server must support it). */
export const modseq = num('MODSEQ');
/** `KEYWORD <flag>`: messages with the keyword (flag) set. */
export const keyword = (k: string): SearchKey => key([`KEYWORD ${flag(k)}`]);
/** `UNKEYWORD <flag>`: messages without the keyword (flag). */
export const unkeyword = (k: string): SearchKey => key([`UNKEYWORD ${flag(k)}`]);
/** `HEADER <field> <string>`: the named header field contains the string (an empty value matches every message with that field). */
export const header = (field: string, value: string): SearchKey =>
  key(['HEADER ', astringAlways(field), ' ', astringAlways(value)], /[^\x00-\x7f]/.test(field + value));
/** `UID <set>`: messages whose UIDs are in the set (a number, an array or a set string such as `"1:5,9"`). */
export const uid = (set: string | number | readonly number[]): SearchKey => key([`UID ${sequenceSet(set)}`]);
/** A bare sequence set: messages whose sequence numbers are in the set. */
export const seq = (set: string | number | readonly number[]): SearchKey => key([sequenceSet(set)]);

function group(keys: readonly SearchKey[]): SearchKey {
  if (keys.length === 1) return keys[0];
  const parts: Part[] = ['('];
  keys.forEach((k, i) => {
    if (i > 0) parts.push(' ');
    parts.push(...k.parts);
  });
  parts.push(')');
  return key(parts, keys.some((k) => k.nonAscii));
}

/** All of the keys. */
export function and(...keys: SearchKey[]): SearchKey {
  return keys.length === 0 ? all() : group(keys);
}
/** Either key. More than two nest: or(a, b, c) = OR a (OR b c). */
export function or(a: SearchKey, b: SearchKey, ...more: SearchKey[]): SearchKey {
  const right = more.length ? or(b, more[0], ...more.slice(1)) : b;
  return key(['OR ', ...group([a]).parts, ' ', ...group([right]).parts], a.nonAscii || right.nonAscii);
}
/** `NOT <key>`: messages that do not match the key. */
export function not(k: SearchKey): SearchKey {
  return key(['NOT ', ...group([k]).parts], k.nonAscii);
}
