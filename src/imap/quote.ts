/**
 * Safe encoding of command arguments. A command is a list of parts: raw
 * protocol text that rxwire itself wrote, and literals. User strings go
 * through `astring`/`quoted`/`mailbox` which pick an atom, a quoted string or
 * a literal; CR, LF and NUL are rejected before anything reaches the wire.
 */
import { ImapArgumentError } from './errors';
import { encodeMailboxName } from './mutf7';

/** Bytes sent as a literal; `stream` lets a big APPEND go out without being held in memory. */
export interface Literal {
  /** The bytes, or a stream of exactly `size` bytes (an error if it yields more or fewer). */
  readonly literal: Buffer | { readonly size: number; readonly stream: AsyncIterable<Uint8Array> };
  /** literal8 (`~{N}`, RFC 3516 BINARY) */
  readonly binary?: boolean;
}
/** One piece of a command: raw protocol text (written as is), or a literal. */
export type Part = string | Literal;

const ATOM_SPECIALS = /[\x00-\x20\x7f-\uffff(){%*"\\\]]/;
const QUOTABLE = /^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/;

export function assertNoCrLf(s: string, what = 'value'): void {
  if (/[\r\n\0]/.test(s)) throw new ImapArgumentError(`${what} contains CR, LF or NUL`);
}

/** Always a quoted string, or a literal when it has 8-bit characters or is long. */
export function quoted(s: string): Part {
  assertNoCrLf(s);
  if (s.length > 1000 || !QUOTABLE.test(s)) return { literal: Buffer.from(s, 'utf8') };
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

/** atom when safe, else quoted or literal (astring). */
export function astring(s: string): Part {
  assertNoCrLf(s);
  if (s.length > 0 && s.length <= 1000 && !ATOM_SPECIALS.test(s)) return s;
  return quoted(s);
}

/** A mailbox name: modified UTF-7, then astring. INBOX in any case stays INBOX. */
export function mailbox(name: string): Part {
  assertNoCrLf(name, 'mailbox name');
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  return astring(encodeMailboxName(name));
}

/** A LIST pattern: like a mailbox name, but `*` and `%` stay wildcards. */
export function listPattern(pattern: string): Part {
  assertNoCrLf(pattern, 'list pattern');
  const enc = encodeMailboxName(pattern);
  if (enc.length > 0 && !/[\x00-\x20\x7f(){"\\\]]/.test(enc)) return enc;
  return quoted(enc);
}

/** A sequence or UID set: numbers, ranges, `*`, `$`; arrays become `1,3:5`-style sets. */
export function sequenceSet(set: string | number | readonly number[]): string {
  if (typeof set === 'number') {
    if (!Number.isInteger(set) || set < 1) throw new ImapArgumentError('sequence number must be a positive integer');
    return String(set);
  }
  if (typeof set !== 'string') {
    if (set.length === 0) throw new ImapArgumentError('empty sequence set');
    return compressSet(set);
  }
  if (!/^(\$|((\d+|\*)(:(\d+|\*))?)(,(\d+|\*)(:(\d+|\*))?)*)$/.test(set)) throw new ImapArgumentError(`not a sequence set: ${JSON.stringify(set.slice(0, 40))}`);
  return set;
}

function compressSet(nums: readonly number[]): string {
  const sorted = [...nums].sort((a, b) => a - b);
  const out: string[] = [];
  let start = sorted[0];
  let prev = start;
  for (let i = 1; i <= sorted.length; i++) {
    const n = sorted[i];
    if (i < sorted.length && (n === prev || n === prev + 1)) {
      prev = n;
      continue;
    }
    if (!Number.isInteger(start) || start < 1) throw new ImapArgumentError('sequence numbers must be positive integers');
    out.push(start === prev ? String(start) : `${start}:${prev}`);
    start = n;
    prev = n;
  }
  return out.join(',');
}

/** Expands a sequence set without `*` ("1:3,7") into numbers (bounded by `limit`). */
export function expandSet(set: string, limit = 1_000_000): number[] {
  const out: number[] = [];
  for (const piece of set.split(',')) {
    if (piece === '') continue;
    const [a, b] = piece.split(':');
    const x = Number(a);
    const y = b === undefined ? x : Number(b);
    const lo = Math.min(x, y);
    const hi = Math.max(x, y);
    for (let n = lo; n <= hi && out.length < limit; n++) out.push(n);
  }
  return out;
}

/** A flag or keyword: `\Seen` or an atom. */
export function flag(f: string): string {
  assertNoCrLf(f, 'flag');
  if (!/^\\?[^\x00-\x20\x7f(){%*"\\\]]+$/.test(f)) throw new ImapArgumentError(`not a valid flag: ${JSON.stringify(f.slice(0, 40))}`);
  return f;
}

/** "17-Jul-1996 02:44:25 +0000" for APPEND and SEARCH dates (UTC). */
export function dateTime(d: Date): string {
  const M = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `"${p(d.getUTCDate())}-${M[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000"`;
}

/** "17-Jul-1996" for SEARCH SINCE/BEFORE/ON (UTC date). */
export function searchDate(d: Date): string {
  const M = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d.getUTCDate()}-${M[d.getUTCMonth()]}-${d.getUTCFullYear()}`;
}
