import { asyncScheduler, mergeMap } from 'rxjs';
import { holdLease, initialLease, jetStreamIdentifyThrottler, leaseStep, leasedWork, type LeaseInput, type LeaseOutput, type LeaseState } from '../../src/jetstream';
import { testScheduler } from '../helpers';
import { SyncKv } from '../../src/testing';

const config = { ttl: 300 };

describe('leaseStep (pure)', () => {
  const run = (inputs: LeaseInput[]): LeaseOutput[][] => {
    let s: LeaseState = initialLease;
    return inputs.map((i) => {
      const [n, out] = leaseStep(config, s, i);
      s = n;
      return [...out];
    });
  };

  it('acquires, renews, and reports holding once', () => {
    expect(
      run([
        { kind: 'tick', now: 0 },
        { kind: 'created', revision: 1, now: 0 },
        { kind: 'tick', now: 100 },
        { kind: 'updated', revision: 2, now: 100 },
      ]),
    ).toEqual([[{ kind: 'create' }], [{ kind: 'held', held: true }], [{ kind: 'update', revision: 1 }], []]);
  });

  it('a rejected renewal loses the lease; a rejected create just waits for the next tick', () => {
    expect(
      run([
        { kind: 'tick', now: 0 },
        { kind: 'rejected', now: 0 },
        { kind: 'tick', now: 100 },
        { kind: 'created', revision: 3, now: 100 },
        { kind: 'tick', now: 200 },
        { kind: 'rejected', now: 200 },
      ]),
    ).toEqual([[{ kind: 'create' }], [], [{ kind: 'create' }], [{ kind: 'held', held: true }], [{ kind: 'update', revision: 3 }], [{ kind: 'held', held: false }]]);
  });

  it('fencing: a holder that cannot renew gives up before its entry can expire', () => {
    const out = run([
      { kind: 'tick', now: 0 },
      { kind: 'created', revision: 1, now: 0 },
      { kind: 'tick', now: 100 },
      { kind: 'failed', now: 100 },
      { kind: 'tick', now: 200 },
      { kind: 'failed', now: 200 },
      { kind: 'tick', now: 225 }, // 0.75 × 300 after the last renewal
    ]);
    expect(out[6]).toEqual([{ kind: 'held', held: false }, { kind: 'create' }]);
  });

  it('release deletes our entry and ends the machine', () => {
    expect(run([{ kind: 'tick', now: 0 }, { kind: 'created', revision: 9, now: 0 }, { kind: 'release' }, { kind: 'tick', now: 100 }])).toEqual([
      [{ kind: 'create' }],
      [{ kind: 'held', held: true }],
      [{ kind: 'held', held: false }, { kind: 'delete', revision: 9 }],
      [],
    ]);
  });
});

/** A view of `kv` for a process that dies at `at`: from then on no call ever answers. */
function dyingAt(kv: SyncKv, at: number): SyncKv {
  const never = { then: () => never } as unknown as Promise<never>;
  return new Proxy(kv, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => (asyncScheduler.now() >= at ? never : (v as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
}

describe('holdLease and leasedWork in virtual time', () => {
  const opts = (owner: string) => ({ ttl: 300, interval: 100, owner });

  it('one of two holders holds; when it leaves, the other takes over at its next try', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const kv = new SyncKv(asyncScheduler, 300);
      const a$ = holdLease(kv, 'shard.0', opts('a'));
      const b$ = cold('10ms x').pipe(mergeMap(() => holdLease(kv, 'shard.0', opts('b'))));
      expectObservable(a$, '^ 499ms !').toBe('t', { t: true });
      expectObservable(b$, '^ 999ms !').toBe('510ms t', { t: true });
    });
  });

  it('when the holder dies (stops answering, never releases) the other takes over only after the TTL', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const kv = new SyncKv(asyncScheduler, 300);
      const a$ = holdLease(dyingAt(kv, 450), 'shard.0', opts('a'));
      const b$ = cold('10ms x').pipe(mergeMap(() => holdLease(kv, 'shard.0', opts('b'))));
      // a renewed last at 400; its entry expires at 700; b tries at 10, 110, …, 710.
      // a itself gives up (fencing) at 400 + 0.75 × 300 = 625, before the entry expires.
      expectObservable(a$, '^ 999ms !').toBe('t 624ms f', { t: true, f: false });
      expectObservable(b$, '^ 999ms !').toBe('710ms t', { t: true });
    });
  });

  it('leasedWork runs the work only while the lease is held', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const kv = new SyncKv(asyncScheduler, 300);
      const work = (key: string) => cold('50ms a 99ms b', { a: `${key}:a`, b: `${key}:b` });
      const a$ = leasedWork(kv, ['m1'], opts('a'), work);
      const b$ = cold('20ms x').pipe(mergeMap(() => leasedWork(kv, ['m1'], opts('b'), work)));
      expectObservable(a$, '^ 119ms !').toBe('50ms a', { a: 'm1:a' });
      // a leaves at 120 and releases its entry; b's try in the same frame (20 + 100) takes it.
      expectObservable(b$, '^ 499ms !').toBe('170ms a 99ms b', { a: 'm1:a', b: 'm1:b' });
    });
  });
});

describe('jetStreamIdentifyThrottler in virtual time', () => {
  it('spaces identifies of one bucket by the slot TTL across processes, and lets other buckets go at once', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const kv = new SyncKv(asyncScheduler, 5500);
      const p1 = jetStreamIdentifyThrottler(kv, { owner: 'p1', maxConcurrency: 2 });
      const p2 = jetStreamIdentifyThrottler(kv, { owner: 'p2', maxConcurrency: 2 });
      expectObservable(p1.acquire(0)).toBe('(x|)', { x: undefined });
      expectObservable(p2.acquire(1)).toBe('(x|)', { x: undefined }); // bucket 1
      expectObservable(cold('1ms (y|)').pipe(mergeMap(() => p2.acquire(2)))).toBe('5501ms (x|)', { x: undefined }); // bucket 0 again
    });
  });
});
