import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { initialLease, leaseStep, type LeaseConfig, type LeaseInput, type LeaseOutput, type LeaseState } from './leaseMachine';
import type { KvLike } from './ports';

/** Options of `holdLease` (and of the leased workers). */
export interface HoldLeaseOptions extends LeaseConfig {
  /** Who holds it (stored as the entry's value; e.g. `hostname:pid`). */
  readonly owner: string;
  /** How often to try/renew. Default ttl / 3. */
  readonly interval?: number;
  /** Timers and clock. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Holds a lease on `key` in `kv` while subscribed: emits `true` when this
 * process holds it, `false` when it lost it (and keeps trying to take it
 * again). Unsubscribing releases it (deletes our entry) so another process can
 * take over at once; a process that dies releases it by expiry (the bucket's TTL).
 */
export function holdLease(kv: KvLike, key: string, options: HoldLeaseOptions): Observable<boolean> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const interval = options.interval ?? Math.max(1, Math.floor(options.ttl / 3));
  return new Observable<boolean>((subscriber) => {
    let state: LeaseState = initialLease;
    let closed = false;
    let deadline: Subscription | undefined;
    const limit = options.ttl * (options.safety ?? 0.75);
    const feed = (input: LeaseInput): void => {
      const before = state;
      const [next, outputs] = leaseStep(options, state, input);
      state = next;
      // Fencing: check exactly at the limit after each successful renewal, not only at the next tick.
      if (next.holding && next.renewedAt !== before.renewedAt && !closed) {
        deadline?.unsubscribe();
        deadline = scheduler.schedule(() => feed({ kind: 'tick', now: scheduler.now() }), limit);
      }
      for (const o of outputs) run(o);
    };
    const run = (o: LeaseOutput): void => {
      const now = (): number => scheduler.now();
      switch (o.kind) {
        case 'held':
          if (!closed) subscriber.next(o.held);
          return;
        case 'create':
          kv.create(key, options.owner).then(
            (revision) => feed({ kind: 'created', revision, now: now() }),
            (err: unknown) => feed({ kind: isConflict(err) ? 'rejected' : 'failed', now: now() }),
          );
          return;
        case 'update':
          kv.update(key, options.owner, o.revision).then(
            (revision) => feed({ kind: 'updated', revision, now: now() }),
            (err: unknown) => feed({ kind: isConflict(err) ? 'rejected' : 'failed', now: now() }),
          );
          return;
        case 'delete':
          kv.delete(key, { previousSeq: o.revision }).then(
            () => feed({ kind: 'deleted' }),
            () => feed({ kind: 'deleted' }),
          );
          return;
      }
    };
    const timer = scheduler.schedule(function tick() {
      feed({ kind: 'tick', now: scheduler.now() });
      if (!closed) this.schedule(undefined, interval);
    });
    return () => {
      closed = true;
      timer.unsubscribe();
      deadline?.unsubscribe();
      feed({ kind: 'release' });
    };
  });
}

/** A KV write refused because of the key's state (exists / wrong last sequence), as opposed to NATS being unreachable. */
function isConflict(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message} ${String((err as { code?: unknown }).code ?? '')}` : String(err);
  return /wrong last sequence|key exists|already exists|10071|10164/i.test(text);
}
