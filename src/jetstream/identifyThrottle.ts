import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import type { KvLike } from './ports';

/** Options of `jetStreamIdentifyThrottler`. */
export interface JetStreamIdentifyThrottlerOptions {
  /** `session_start_limit.max_concurrency` from GET /gateway/bot. Default 1. */
  readonly maxConcurrency?: number;
  /** Who asks (stored in the slot entry; e.g. `hostname:pid`). */
  readonly owner: string;
  /** How often to try for a busy slot, ms. Default 250. */
  readonly pollMs?: number;
  /** Timers. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Discord's identify limit (one identify per 5 s per bucket, bucket =
 * `shard_id % max_concurrency`) shared by every process: a slot is a KV entry
 * `identify.<bucket>` created only if absent, in a bucket whose TTL is the
 * window plus a margin (create it with `{ ttl: 5500 }` or more). `acquire`
 * emits once this process holds the bucket's slot for the next window.
 * Pass it as `identifyThrottler` to the Discord source.
 */
export function jetStreamIdentifyThrottler(kv: KvLike, options: JetStreamIdentifyThrottlerOptions): { acquire(shardId: number): Observable<void> } {
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 1);
  const pollMs = options.pollMs ?? 250;
  const scheduler = options.scheduler ?? asyncScheduler;
  return {
    acquire(shardId) {
      return new Observable<void>((subscriber) => {
        const key = `identify.${shardId % maxConcurrency}`;
        let closed = false;
        const attempt = (): void => {
          kv.create(key, `${options.owner} shard ${shardId}`).then(
            () => {
              if (closed) return;
              subscriber.next();
              subscriber.complete();
            },
            () => {
              if (!closed) subscriber.add(scheduler.schedule(attempt, pollMs));
            },
          );
        };
        attempt();
        return () => {
          closed = true;
        };
      });
    },
  };
}
