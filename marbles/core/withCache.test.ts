import { cancelWhen, uncancel, withCache } from '../../src/core';
import { testScheduler } from '../helpers';

type E = { type: 'Set'; data: { key: string; value: number } } | { type: 'Del'; data: { key: string } };
type S = Readonly<Record<string, number>>;

const reduce = (s: S, e: E): S => {
  if (e.type === 'Set') return { ...s, [e.data.key]: e.data.value };
  const { [e.data.key]: _gone, ...rest } = s;
  return rest;
};

const ev: Record<string, E> = {
  a: { type: 'Set', data: { key: 'a', value: 1 } },
  b: { type: 'Set', data: { key: 'b', value: 2 } },
  x: { type: 'Set', data: { key: 'a', value: 99 } },
  d: { type: 'Del', data: { key: 'a' } },
};

describe('withCache and cancelWhen', () => {
  it('applies events with before/after snapshots', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold<E>('a-b-d|', ev).pipe(withCache<E, S>({ initial: {}, reduce }));
      expectObservable(out).toBe('a-b-d|', {
        a: { ...ev.a, canceled: false, before: {}, after: { a: 1 } },
        b: { ...ev.b, canceled: false, before: { a: 1 }, after: { a: 1, b: 2 } },
        d: { ...ev.d, canceled: false, before: { a: 1, b: 2 }, after: { b: 2 } },
      });
    });
  });

  it('a canceled event reaches subscribers marked canceled and leaves the cache untouched', () => {
    const states: S[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold<E>('a-x-b|', ev).pipe(
        withCache<E, S>({
          initial: {},
          reduce,
          intercept: [cancelWhen((e) => e.type === 'Set' && e.data.value > 50)],
          onState: (s) => states.push(s),
        }),
      );
      expectObservable(out).toBe('a-x-b|', {
        a: { ...ev.a, canceled: false, before: {}, after: { a: 1 } },
        x: { ...ev.x, canceled: true, before: { a: 1 }, after: { a: 1 } },
        b: { ...ev.b, canceled: false, before: { a: 1 }, after: { a: 1, b: 2 } },
      });
    });
    expect(states).toEqual([{ a: 1 }, { a: 1, b: 2 }]);
  });

  it('runs several intercept operators in order; the first cancel sticks', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold<E>('a-b|', ev).pipe(
        withCache<E, S>({
          initial: {},
          reduce,
          intercept: [cancelWhen((e) => e.type === 'Set' && e.data.key === 'a'), cancelWhen(() => false)],
        }),
      );
      expectObservable(out).toBe('a-b|', {
        a: { ...ev.a, canceled: true, before: {}, after: {} },
        b: { ...ev.b, canceled: false, before: {}, after: { b: 2 } },
      });
    });
  });

  it('tears down the source on unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold<E>('a-b-a-b-a', ev);
      expectObservable(src.pipe(withCache<E, S>({ initial: {}, reduce })), '^--!').toBe('a-b', {
        a: { ...ev.a, canceled: false, before: {}, after: { a: 1 } },
        b: { ...ev.b, canceled: false, before: { a: 1 }, after: { a: 1, b: 2 } },
      });
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });
  it('intercept predicates see the current state and the would-be after; the reducer reuses that after', () => {
    let reductions = 0;
    const counted = (s: S, e: E): S => {
      reductions++;
      return reduce(s, e);
    };
    const seen: string[] = [];
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold<E>('a-x-b|', ev).pipe(
        withCache<E, S>({
          initial: {},
          reduce: counted,
          intercept: [
            // Cancel a Set that would overwrite an existing key, judged from state and after.
            cancelWhen((e, { state, after }) => {
              seen.push(`${JSON.stringify(state)}->${JSON.stringify(after)}`);
              return e.type === 'Set' && e.data.key in state && after[e.data.key] !== state[e.data.key];
            }),
          ],
        }),
      );
      expectObservable(out).toBe('a-x-b|', {
        a: { ...ev.a, canceled: false, before: {}, after: { a: 1 } },
        x: { ...ev.x, canceled: true, before: { a: 1 }, after: { a: 1 } },
        b: { ...ev.b, canceled: false, before: { a: 1 }, after: { a: 1, b: 2 } },
      });
    });
    expect(seen).toEqual(['{}->{"a":1}', '{"a":1}->{"a":99}', '{"a":1}->{"a":1,"b":2}']);
    expect(reductions).toBe(3); // one per event: the predicate's `after` was reused
  });

  it('uncancel applies an event an earlier operator canceled', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = cold<E>('a-x|', ev).pipe(
        withCache<E, S>({
          initial: {},
          reduce,
          intercept: [cancelWhen(() => true), uncancel((e, { after }) => e.type === 'Set' && after[e.data.key] < 50)],
        }),
      );
      expectObservable(out).toBe('a-x|', {
        a: { ...ev.a, canceled: false, before: {}, after: { a: 1 } },
        x: { ...ev.x, canceled: true, before: { a: 1 }, after: { a: 1 } },
      });
    });
  });
});
