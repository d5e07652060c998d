/**
 * Identify throttling across shards: Discord allows `max_concurrency`
 * identifies per 5 s, one per bucket, where a shard's bucket is
 * `shard_id % max_concurrency`. `acquire(shardId)` is a cold Observable that
 * emits once when that shard may identify: each bucket hands out one slot per
 * window, in the order the slots were asked for. Resumes do not go through
 * here (they do not count).
 */
import { asyncScheduler, defer, map, timer, type Observable, type SchedulerLike } from 'rxjs';

export interface IdentifyThrottlerOptions {
  /** From GET /gateway/bot `session_start_limit.max_concurrency`. Default 1. */
  readonly maxConcurrency?: number;
  /** Window per bucket, ms. Default 5000. */
  readonly windowMs?: number;
  readonly scheduler?: SchedulerLike;
}

export interface IdentifyThrottler {
  acquire(shardId: number): Observable<void>;
}

export function createIdentifyThrottler(options: IdentifyThrottlerOptions = {}): IdentifyThrottler {
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 1);
  const windowMs = options.windowMs ?? 5000;
  const scheduler = options.scheduler ?? asyncScheduler;
  /** Per bucket: the time its next slot opens. */
  const nextFree = new Map<number, number>();
  return {
    acquire(shardId) {
      return defer(() => {
        const bucket = shardId % maxConcurrency;
        const now = scheduler.now();
        const at = Math.max(now, nextFree.get(bucket) ?? now);
        nextFree.set(bucket, at + windowMs);
        return timer(at - now, scheduler).pipe(map((): void => undefined));
      });
    },
  };
}
