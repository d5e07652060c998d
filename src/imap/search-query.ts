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

export interface SearchKey {
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

export const all = word('ALL');
export const answered = word('ANSWERED');
export const deleted = word('DELETED');
export const draft = word('DRAFT');
export const flagged = word('FLAGGED');
export const recent = word('RECENT');
export const seen = word('SEEN');
export const newMessages = word('NEW');
export const old = word('OLD');
export const unanswered = word('UNANSWERED');
export const undeleted = word('UNDELETED');
export const undraft = word('UNDRAFT');
export const unflagged = word('UNFLAGGED');
export const unseen = word('UNSEEN');
export const bcc = str('BCC');
export const body = str('BODY');
export const cc = str('CC');
export const from = str('FROM');
export const subject = str('SUBJECT');
export const text = str('TEXT');
export const to = str('TO');
export const before = date('BEFORE');
export const on = date('ON');
export const since = date('SINCE');
export const sentBefore = date('SENTBEFORE');
export const sentOn = date('SENTON');
export const sentSince = date('SENTSINCE');
export const larger = num('LARGER');
export const smaller = num('SMALLER');
export const modseq = num('MODSEQ');
export const keyword = (k: string): SearchKey => key([`KEYWORD ${flag(k)}`]);
export const unkeyword = (k: string): SearchKey => key([`UNKEYWORD ${flag(k)}`]);
export const header = (field: string, value: string): SearchKey =>
  key(['HEADER ', astringAlways(field), ' ', astringAlways(value)], /[^\x00-\x7f]/.test(field + value));
export const uid = (set: string | number | readonly number[]): SearchKey => key([`UID ${sequenceSet(set)}`]);
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
export function not(k: SearchKey): SearchKey {
  return key(['NOT ', ...group([k]).parts], k.nonAscii);
}
