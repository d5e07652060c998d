import { TestScheduler } from 'rxjs/testing';
import { defer, map, merge, of, switchMap, throwError, timer } from 'rxjs';
import { RateLimitedError, TransportClosedError, CommandFailedError } from '../../src/core';
import { MailtmRateLimiter, mailtmRequestRetry } from '../../src/mailtm';

describe('MailtmRateLimiter (virtual time)', () => {
  it('lets `limit` requests start per window and queues the rest in order', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ expectObservable }) => {
      const limiter = new MailtmRateLimiter({ limit: 3, interval: 1000 }, ts);
      const reqs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => limiter.run(defer(() => of(id))));
      expectObservable(merge(...reqs)).toBe('(abc) 995ms (def) 995ms (g|)');
    });
  });

  it('never starts more than `limit` in any window, whatever the arrival pattern', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    const starts: number[] = [];
    ts.run(({ cold }) => {
      const limiter = new MailtmRateLimiter({ limit: 7, interval: 1025 }, ts);
      // 40 requests arriving in bursts.
      const arrivals = cold('a 99ms (aaaaaaaaaa) 250ms (aaaaaaaaaa) 700ms (aaaaaaaaaaaaaaaaaaa)');
      arrivals.subscribe(() => limiter.run(defer(() => of(starts.push(ts.now())))).subscribe());
    });
    expect(starts).toHaveLength(40);
    for (let i = 7; i < starts.length; i++) expect(starts[i] - starts[i - 7]).toBeGreaterThanOrEqual(1025);
  });

  it('counts a request from its end, so slow responses cannot bunch requests at the server', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ expectObservable }) => {
      const limiter = new MailtmRateLimiter({ limit: 2, interval: 1000 }, ts);
      // Each request takes 300 ms: a and b end at 300, so c may start at 1300 and ends at 1600.
      const reqs = ['a', 'b', 'c'].map((id) => limiter.run(timer(300, ts).pipe(map(() => id))));
      expectObservable(merge(...reqs)).toBe('300ms (ab) 1296ms (c|)');
    });
  });

  it('pause() (a 429) holds every new request back until the pause is over', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ expectObservable }) => {
      const limiter = new MailtmRateLimiter({ limit: 10, interval: 1000 }, ts);
      ts.schedule(() => limiter.pause(500), 10);
      const late = timer(20, ts).pipe(switchMap(() => limiter.run(of('b'))));
      expectObservable(merge(limiter.run(of('a')), late)).toBe('a 509ms (b|)');
    });
  });
});

describe('mailtmRequestRetry (virtual time)', () => {
  const policy = { initialDelay: 100, maxDelay: 10_000, jitter: 'none' as const, maxAttempts: 4 };

  it('a 429 waits its Retry-After (a floor over the backoff) and retries until it gets through', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ expectObservable }) => {
      let calls = 0;
      const request = defer(() => (++calls <= 2 ? throwError(() => new RateLimitedError(1000)) : of('ok')));
      expectObservable(request.pipe(mailtmRequestRetry('rateLimit', { ...policy, scheduler: ts }))).toBe('2000ms (o|)', { o: 'ok' });
    });
  });

  it("'rateLimit' mode lets outages through (the stream reports them); 'all' mode retries them with backoff", () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ expectObservable }) => {
      const outage = new TransportClosedError('HTTP 503');
      let calls = 0;
      const flaky = defer(() => (++calls <= 2 ? throwError(() => outage) : of('ok')));
      expectObservable(defer(() => throwError(() => outage)).pipe(mailtmRequestRetry('rateLimit', { ...policy, scheduler: ts }))).toBe('#', undefined, outage);
      expectObservable(flaky.pipe(mailtmRequestRetry('all', { ...policy, scheduler: ts }))).toBe('300ms (o|)', { o: 'ok' });
    });
  });

  it('does not retry a typed fatal error, and gives up after maxAttempts', () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ expectObservable }) => {
      const refused = new CommandFailedError('POST /accounts', 'HTTP 422', 'address: This value is already used.');
      expectObservable(defer(() => throwError(() => refused)).pipe(mailtmRequestRetry('all', { ...policy, scheduler: ts }))).toBe('#', undefined, refused);
      const down = new TransportClosedError('HTTP 500');
      // 100 + 200 + 400 + 800 ms of backoff, then the fifth failure propagates.
      expectObservable(defer(() => throwError(() => down)).pipe(mailtmRequestRetry('all', { ...policy, scheduler: ts }))).toBe('1500ms #', undefined, down);
    });
  });
});
