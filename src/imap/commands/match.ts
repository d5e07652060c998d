/**
 * Which FETCH responses answer a command. RFC 3501 §7.4.2 / RFC 9051 §7.5.2:
 * a server may send FETCH data for any message at any time (another session
 * set a flag), so a FETCH or STORE only claims the responses for the messages
 * it named (by sequence number, or by UID for the UID forms) that carry an
 * item it asked for. Everything else goes to `unsolicited$`.
 */
import type { FetchResponse } from '../codecs/response';
import type { SequenceSet } from './fetch';

/** Membership in a sequence or UID set; `*` is `star()` (the largest number), unknown → unbounded. */
export type SetMatcher = (n: number) => boolean;

/**
 * A matcher for `set` (already validated by `sequenceSet`). Ranges are sorted
 * and merged once, a lookup is a binary search. `$` (SEARCHRES) matches everything.
 */
export function setMatcher(set: SequenceSet, star: () => number | undefined): SetMatcher {
  if (typeof set === 'number') return (n) => n === set;
  const text = typeof set === 'string' ? set : set.join(',');
  if (text === '$') return () => true;
  const starValue = star();
  const bound = (s: string): number => (s === '*' ? (starValue ?? Number.POSITIVE_INFINITY) : Number(s));
  const ranges: [number, number][] = [];
  for (const piece of text.split(',')) {
    if (piece === '') continue;
    const i = piece.indexOf(':');
    const a = bound(i < 0 ? piece : piece.slice(0, i));
    const b = i < 0 ? a : bound(piece.slice(i + 1));
    let lo = Math.min(a, b);
    let hi = Math.max(a, b);
    // "n:*" with n above the largest number means the last message (RFC 9051 §9 seq-range)
    if (piece.includes('*')) {
      if (starValue === undefined) hi = Number.POSITIVE_INFINITY;
      else lo = Math.min(lo, starValue);
    }
    ranges.push([lo, hi]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return (n) => {
    let lo = 0;
    let hi = merged.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = merged[mid];
      if (n < a) hi = mid - 1;
      else if (n > b) lo = mid + 1;
      else return true;
    }
    return false;
  };
}

type Key = 'uid' | 'flags' | 'internalDate' | 'size' | 'envelope' | 'bodyStructure' | 'body' | 'sections' | 'binary' | 'rfc822' | 'rfc822Header' | 'rfc822Text' | 'modseq' | 'other';

const MACROS: Record<string, readonly Key[]> = {
  FAST: ['flags', 'internalDate', 'size'],
  ALL: ['flags', 'internalDate', 'size', 'envelope'],
  FULL: ['flags', 'internalDate', 'size', 'envelope', 'body'],
};

/** The attribute keys a FETCH item list makes the server send (undefined: cannot tell, accept any). */
export function requestedKeys(items: readonly string[]): Set<Key> | undefined {
  const keys = new Set<Key>();
  for (const raw of items) {
    const i = raw.toUpperCase();
    const macro = MACROS[i];
    if (macro) for (const k of macro) keys.add(k);
    else if (i === 'UID') keys.add('uid');
    else if (i === 'FLAGS') keys.add('flags');
    else if (i === 'INTERNALDATE') keys.add('internalDate');
    else if (i === 'RFC822.SIZE') keys.add('size');
    else if (i === 'ENVELOPE') keys.add('envelope');
    else if (i === 'BODYSTRUCTURE') keys.add('bodyStructure');
    else if (i === 'BODY') keys.add('body');
    else if (i === 'RFC822') keys.add('rfc822');
    else if (i === 'RFC822.HEADER') keys.add('rfc822Header');
    else if (i === 'RFC822.TEXT') keys.add('rfc822Text');
    else if (i === 'MODSEQ') keys.add('modseq');
    else if (i.startsWith('BODY[') || i.startsWith('BODY.PEEK[')) keys.add('sections');
    else if (i.startsWith('BINARY[') || i.startsWith('BINARY.PEEK[')) keys.add('binary');
    else return undefined; // X-GM-*, BINARY.SIZE, EMAILID ...: land in `other`, accept whatever is in the set
  }
  return keys;
}

export interface FetchClaim {
  /** UID forms match `attributes.uid` against the set; a response without UID is then never ours. */
  readonly uid: boolean;
  readonly inSet: SetMatcher;
  /** The keys the request makes the server send; undefined: cannot tell, any response in the set is ours. */
  readonly keys: Set<Key> | undefined;
}

/** What a server also sends unasked (a flag change by another session carries UID, FLAGS, MODSEQ). */
const DYNAMIC: ReadonlySet<Key> = new Set<Key>(['uid', 'flags', 'modseq']);

/**
 * True when `r` answers the FETCH/STORE described by `claim`: in the set, and
 * carrying a requested item. When the request names static items (ENVELOPE,
 * a body section ...) one of those must be present, so an unsolicited
 * `FLAGS`/`UID`/`MODSEQ` update for a message in the set is not taken for the answer.
 */
export function claims(claim: FetchClaim, r: FetchResponse): boolean {
  const a = r.attributes;
  if (claim.uid) {
    if (a.uid === undefined || !claim.inSet(a.uid)) return false;
  } else if (!claim.inSet(r.seq)) return false;
  const keys = claim.keys;
  if (keys === undefined) return true;
  let staticAsked = false;
  for (const k of keys) {
    if (DYNAMIC.has(k)) continue;
    staticAsked = true;
    if (a[k] !== undefined) return true;
  }
  if (staticAsked) return false;
  for (const k of keys) if (a[k] !== undefined) return true;
  return false;
}
