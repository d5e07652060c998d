/** renderMarbles: time gaps, same-frame groups, completion and errors, shared keys for equal values. */
import { of, timer, map, concat, throwError, delay } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { marblesOf, renderMarbles } from '../../src/testing/record';

test('renders gaps with time progression, groups same-frame values, completion inside the group', () => {
  const d = renderMarbles([
    { time: 0, kind: 'N', value: 'x' },
    { time: 100, kind: 'N', value: 'y' },
    { time: 100, kind: 'N', value: 'x' },
    { time: 250, kind: 'C' },
  ]);
  expect(d.marbles).toBe('a 99ms (ba) 146ms |');
  expect(d.values).toEqual({ a: 'x', b: 'y' });
});

test('marblesOf output round-trips through expectObservable, errors included', () => {
  const src = () => concat(of(1), timer(30).pipe(map(() => 2)), of(3, 3).pipe(delay(5)), throwError(() => new Error('boom')));
  const d = marblesOf(src, { until: 1000 });
  expect(d.marbles).toBe('a 29ms b 4ms (cc#)');
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
    expectObservable(src()).toBe(d.marbles, d.values, d.error);
  });
});

test('too many distinct values is a clear error', () => {
  const n = Array.from({ length: 70 }, (_, i) => ({ time: i, kind: 'N' as const, value: i }));
  expect(() => renderMarbles(n)).toThrow(/more than 62 distinct values/);
});

test('notifications closer than a group is wide are refused with advice, not rendered wrongly', () => {
  expect(() =>
    renderMarbles([
      { time: 0, kind: 'N', value: 1 },
      { time: 0, kind: 'N', value: 2 },
      { time: 2, kind: 'N', value: 3 },
    ]),
  ).toThrow(/timeScale/);
});
