/**
 * A user's marble test against rxwire/testing's SyncKv: a short outage of
 * the bucket does not move a lease; a holder that leaves hands it over.
 */
import { mergeMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { holdLease } from '../../src/jetstream';
import { SyncKv } from '../../src/testing';

test('a 10 ms outage between renewals: the holder keeps the lease, the other worker never gets it', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ cold, expectObservable, flush }) => {
    const kv = new SyncKv(ts, 300);
    const opts = (owner: string) => ({ ttl: 300, interval: 100, owner });
    const a$ = holdLease(kv, 'lease.0', opts('a'));
    const b$ = cold('150ms x').pipe(mergeMap(() => holdLease(kv, 'lease.0', opts('b'))));
    // a renews at 0, 100, 200; the bucket is down from 250 to 260; a's renewal at 300 finds it back
    ts.schedule(() => (kv.down = true), 250);
    ts.schedule(() => (kv.down = false), 260);
    expectObservable(a$, '^ 999ms !').toBe('t', { t: true });
    expectObservable(b$, '^ 999ms !').toBe('', {});
    let holderAt900: string | undefined;
    ts.schedule(() => (holderAt900 = kv.holder('lease.0')), 900);
    flush();
    expect(holderAt900).toBe('a');
    expect(kv.log.filter((l) => l.endsWith('=b'))).toEqual([]);
  });
});

test('when the holder leaves, the other worker takes the lease at its next try', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ cold, expectObservable }) => {
    const kv = new SyncKv(ts, 300);
    const opts = (owner: string) => ({ ttl: 300, interval: 100, owner });
    const b$ = cold('10ms x').pipe(mergeMap(() => holdLease(kv, 'lease.0', opts('b'))));
    expectObservable(holdLease(kv, 'lease.0', opts('a')), '^ 499ms !').toBe('t', { t: true });
    expectObservable(b$, '^ 999ms !').toBe('510ms t', { t: true });
  });
});
