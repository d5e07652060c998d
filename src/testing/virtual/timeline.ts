/**
 * Marble strings by frame number: `timeline([[0, [a]], [40, [b, c]]])` is
 * `{ marble: 'a 39ms (bc)', values: {a, b, c} }`, so a test states inputs
 * and expected outputs by virtual time without counting characters (a group
 * `(ab)` occupies as many frames as it has characters, which it accounts
 * for; entries that would overlap throw).
 */

/** A marble string and its values, from `[frame, values]` pairs (see the module comment). */
export function timeline<T>(entries: ReadonlyArray<readonly [number, readonly T[]]>): { marble: string; values: Record<string, T> } {
  const keys = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const values: Record<string, T> = {};
  let k = 0;
  let now = 0;
  const parts: string[] = [];
  for (const [frame, vs] of [...entries].sort((a, b) => a[0] - b[0])) {
    if (frame < now) throw new Error(`frame ${frame} overlaps the previous entry (next free frame ${now})`);
    if (frame > now) parts.push(`${frame - now}ms`);
    const ks = vs.map((v) => {
      const key = keys[k++];
      values[key] = v;
      return key;
    });
    parts.push(ks.length === 1 ? ks[0] : `(${ks.join('')})`);
    now = frame + (ks.length === 1 ? 1 : ks.length + 2);
  }
  return { marble: parts.join(' '), values };
}
