import { defer } from 'rxjs';
import {
  AuthenticationFailedError,
  backoffDelay,
  reconnecting,
  retryBackoff,
  seededRandom,
  TransportClosedError,
  RateLimitedError,
  type BackoffPolicy,
} from '../../src/core';
import { testScheduler } from '../helpers';

describe('backoffDelay', () => {
  const policy: BackoffPolicy = { initialDelay: 100, maxDelay: 1000, jitter: 'none' };
  it('grows exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('full jitter stays in [0, d) and is reproducible with a seed', () => {
    const p = { ...policy, jitter: 'full' as const, random: seededRandom(7) };
    const q = { ...policy, jitter: 'full' as const, random: seededRandom(7) };
    const a = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(p, n));
    const b = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(q, n));
    expect(a).toEqual(b);
    a.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** i));
    });
    expect(new Set(a).size).toBeGreaterThan(1);
  });
  it('equal jitter keeps at least half the delay', () => {
    const p = { ...policy, jitter: 'equal' as const, random: () => 0 };
    expect(backoffDelay(p, 3)).toBe(200);
  });
  it("a rate limit's retry-after is a floor", () => {
    expect(backoffDelay(policy, 1, new RateLimitedError(750))).toBe(750);
  });
});

describe('retryBackoff', () => {
  it('retries with growing delays and resets after a success', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      // Each subscription: fails at once, except every third which emits one value and then fails.
      let n = 0;
      const src = cold('#', undefined, new TransportClosedError('drop'));
      const okThenFail = cold('a#', { a: 1 }, new TransportClosedError('drop'));
      const flaky = defer(() => (++n % 3 === 0 ? okThenFail : src));
      const policy: BackoffPolicy = { initialDelay: 10, maxDelay: 1000, jitter: 'none', maxAttempts: 3 };
      // 0 fail; +10 -> 10 fail; +20 -> 30 emits 'a', fails at 31 and the count resets;
      // +10 -> 41 fail; +20 -> 61 fail; +40 -> 101 (after the unsubscribe at 90).
      const out = flaky.pipe(retryBackoff(policy));
      expectObservable(out, '^ 89ms !').toBe('30ms a', { a: 1 });
      expectSubscriptions(src.subscriptions).toBe(['(^!)', '10ms (^!)', '41ms (^!)', '61ms (^!)']);
      expectSubscriptions(okThenFail.subscriptions).toBe(['30ms ^!']);
    });
  });

  it('does not retry a fatal error', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const err = new AuthenticationFailedError('imap');
      const out = cold('--#', undefined, err).pipe(retryBackoff({ initialDelay: 10, maxDelay: 100 }));
      expectObservable(out).toBe('--#', undefined, err);
    });
  });

  it('gives up after maxAttempts', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const err = new TransportClosedError('drop');
      const out = cold('#', undefined, err).pipe(retryBackoff({ initialDelay: 10, maxDelay: 100, jitter: 'none', maxAttempts: 2 }));
      // attempts: t0 fail, retry at 10 fail, retry at 30 fail -> error
      expectObservable(out).toBe('30ms #', undefined, err);
    });
  });
});

describe('reconnecting', () => {
  type L = { type: 'Data'; n: number } | { type: 'Disconnected'; reason: string } | { type: 'Reconnecting'; attempt: number; delay: number };

  it('emits Disconnected and Reconnecting before each wait, in stream order, and stops on unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const conn = cold<L>('d-#', { d: { type: 'Data', n: 1 } }, new TransportClosedError('drop'));
      const out = reconnecting(() => conn, {
        backoff: { initialDelay: 5, maxDelay: 100, jitter: 'none' },
        onRetry: (e, attempt, delay): L[] => [
          { type: 'Disconnected', reason: (e as Error).message.slice(0, 24) },
          { type: 'Reconnecting', attempt, delay },
        ],
      });
      const values = {
        d: { type: 'Data', n: 1 },
        x: { type: 'Disconnected', reason: 'connection closed: drop.' },
        r: { type: 'Reconnecting', attempt: 1, delay: 5 },
      };
      // data at 0, error at 2 -> x,r at 2, reconnect at 7 -> data at 7, error at 9 -> x,r(attempt 1 again: reset by data)
      expectObservable(out, '^ 14ms !').toBe('d-(xr)-d-(xr)-d', values);
      expectSubscriptions(conn.subscriptions).toBe(['^-!', '7ms ^-!', '14ms ^!']);
    });
  });

  it('ends with the fatal error, no retry', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const err = new AuthenticationFailedError('x');
      const out = reconnecting(() => cold<number>('1-#', { 1: 1 }, err), {
        backoff: { initialDelay: 5, maxDelay: 100 },
        onRetry: () => [-1],
      });
      expectObservable(out).toBe('1-#', { 1: 1 }, err);
    });
  });

  it('completes when the connection completes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const out = reconnecting(() => cold<number>('1-|', { 1: 1 }), { backoff: { initialDelay: 5, maxDelay: 100 }, onRetry: () => [] });
      expectObservable(out).toBe('1-|', { 1: 1 });
    });
  });

  it('calls connect again per attempt so state can carry across reconnects', () => {
    let calls = 0;
    testScheduler().run(({ cold, expectObservable }) => {
      const out = reconnecting(
        () => (++calls < 3 ? cold<number>('#', undefined, new TransportClosedError('x')) : cold<number>('a|', { a: calls })),
        { backoff: { initialDelay: 1, maxDelay: 1, jitter: 'none' }, onRetry: () => [] },
      );
      expectObservable(out).toBe('2ms a|', { a: 3 });
    });
    expect(calls).toBe(3);
  });
});
