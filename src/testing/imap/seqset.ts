/**
 * Sequence sets (RFC 3501 §9 `sequence-set`, RFC 9051 §9): `1:3,5,7:*`.
 * `*` is the largest number in use; `a:b` equals `b:a`.
 */
import { ArgumentSyntaxError } from './args';

/** Ranges of a set, `*` already replaced by `star`. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

/** Parses a sequence set; `star` is the value of `*` (0 in an empty mailbox). */
export function parseSeqSet(text: string, star: number): Ranges {
  if (!/^[\d:*,]+$/.test(text)) throw new ArgumentSyntaxError(`bad sequence set ${JSON.stringify(text.slice(0, 40))}`);
  const out: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const ends = part.split(':');
    if (ends.length > 2 || ends.some((e) => e === '' || (e !== '*' && !/^\d{1,10}$/.test(e)))) throw new ArgumentSyntaxError(`bad sequence set ${JSON.stringify(text.slice(0, 40))}`);
    const nums = ends.map((e) => (e === '*' ? star : Number(e)));
    if (nums.some((n) => n === 0 && star !== 0) || nums.some((n) => n > 4294967295)) throw new ArgumentSyntaxError('sequence number out of range');
    const a = nums[0];
    const b = nums.length === 2 ? nums[1] : a;
    out.push([Math.min(a, b), Math.max(a, b)]);
  }
  return out;
}

/** Whether `n` is in the set. */
export function inRanges(ranges: Ranges, n: number): boolean {
  for (const [a, b] of ranges) if (n >= a && n <= b) return true;
  return false;
}

/** A compact set text for sorted unique numbers (`1:3,5`). */
export function formatSet(nums: readonly number[]): string {
  const sorted = [...nums].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}
