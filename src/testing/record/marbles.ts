/**
 * Replays → marble diagrams. `marblesOf(build)` subscribes to `build()` under
 * a fresh TestScheduler (virtual time, so a recording of minutes renders at
 * once), stops at `until` virtual ms, and renders what it emitted as a marble
 * string plus the values map, for `expectObservable(...).toBe(marbles, values)`.
 * `renderMarbles` does the rendering alone, for notifications you collected.
 */
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

/** One notification at a virtual time (ms = frames in TestScheduler.run). */
export type TimedNotification<T> = { readonly time: number; readonly kind: 'N'; readonly value: T } | { readonly time: number; readonly kind: 'E'; readonly error: unknown } | { readonly time: number; readonly kind: 'C' };

/** A marble diagram and its values. */
export interface MarbleDiagram<T> {
  /** e.g. `a 99ms b 899ms (cd|)`, for TestScheduler.run's time progression syntax. */
  readonly marbles: string;
  /** The value of each marble key. */
  readonly values: Record<string, T>;
  /** The error of `#`, when there is one. */
  readonly error?: unknown;
  /** Ready to paste into a test. */
  readonly snippet: string;
}

const KEYS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Renders notifications (sorted by time) as marbles; equal values share a key. */
export function renderMarbles<T>(notifications: ReadonlyArray<TimedNotification<T>>): MarbleDiagram<T> {
  const values: Record<string, T> = {};
  const keyOf = new Map<string, string>();
  const key = (v: T): string => {
    const id = JSON.stringify(v) ?? String(v);
    let k = keyOf.get(id);
    if (k === undefined) {
      if (keyOf.size >= KEYS.length) throw new Error(`renderMarbles: more than ${KEYS.length} distinct values; filter the stream (e.g. by event type) or shorten the replay`);
      k = KEYS[keyOf.size];
      keyOf.set(id, k);
      values[k] = v;
    }
    return k;
  };
  const groups: Array<{ time: number; tokens: string[] }> = [];
  let error: unknown;
  for (const n of notifications) {
    const token = n.kind === 'N' ? key(n.value) : n.kind === 'C' ? '|' : '#';
    if (n.kind === 'E') error = n.error;
    const last = groups[groups.length - 1];
    if (last && last.time === n.time) last.tokens.push(token);
    else groups.push({ time: n.time, tokens: [token] });
  }
  const parts: string[] = [];
  let cursor = 0;
  for (const g of groups) {
    const gap = g.time - cursor;
    if (gap < 0) {
      throw new Error(
        `renderMarbles: the notification at ${g.time} ms comes before the previous group (ending at ${cursor} ms) is over; marble syntax cannot show it. Replay with a larger timeScale (e.g. replayImapBytes(lines, { timeScale: 20 })) or filter the stream`,
      );
    }
    if (gap > 0) parts.push(`${gap}ms`);
    const text = g.tokens.length === 1 ? g.tokens[0] : `(${g.tokens.join('')})`;
    parts.push(text);
    cursor = g.time + text.length;
  }
  const marbles = parts.join(' ');
  const snippet = `const expected = '${marbles}';\nconst values = ${JSON.stringify(values, null, 2)};\n`;
  return { marbles, values, ...(error !== undefined ? { error } : {}), snippet };
}

/** Runs `build()` in virtual time until `until` ms and renders what it emitted. */
export function marblesOf<T>(build: () => Observable<T>, options: { readonly until: number }): MarbleDiagram<T> {
  const out: Array<TimedNotification<T>> = [];
  const ts = new TestScheduler(() => true);
  ts.run(() => {
    const sub = build().subscribe({
      next: (value) => out.push({ time: ts.now(), kind: 'N', value }),
      error: (error: unknown) => out.push({ time: ts.now(), kind: 'E', error }),
      complete: () => out.push({ time: ts.now(), kind: 'C' }),
    });
    ts.schedule(() => sub.unsubscribe(), options.until);
  });
  return renderMarbles(out);
}
