/**
 * Identify throttling across shards: Discord allows `max_concurrency`
 * identifies per 5 s, one per bucket, where a shard's bucket is
 * `shard_id % max_concurrency`. `acquire(shardId)` is a cold Observable that
 * emits once when that shard may identify: each bucket hands out one slot per
 * window (5 s plus a margin, default 250 ms, so the spacing holds as the
 * server measures it, after network jitter), in the order the slots were
 * asked for. The next slot of a bucket is counted from when the last one was
 * granted, never from when it was asked for. Resumes do not go through here.
 *
 * With a `sessionStartLimit` (GET /gateway/bot), every grant uses one of the
 * `remaining` session starts; when none are left, the next grant waits until
 * `reset_after` has passed (`onExhausted: 'wait'`, the default) or errors with
 * a RateLimitedError (`'error'`): identifies are never burnt in a loop.
 *
 * One throttler lives as long as its gateway handle: unsubscribing and
 * subscribing again does not reset the spacing.
 */
import { asyncScheduler, defer, map, Observable, throwError, timer, type SchedulerLike } from 'rxjs';
import { RateLimitedError } from '../../core';

/** `session_start_limit` of GET /gateway/bot, as Discord sends it. */
export interface SessionStartLimit {
  /** `total`: session starts (identifies) allowed per reset period. */
  readonly total: number;
  /** `remaining`: session starts left in this period. */
  readonly remaining: number;
  /** Ms until `remaining` is reset to `total`. */
  readonly reset_after: number;
  /** `max_concurrency`: identify requests allowed per 5 s (the number of rate-limit buckets, by `shard_id % max_concurrency`). */
  readonly max_concurrency: number;
}

/** Options of `createIdentifyThrottler`. */
export interface IdentifyThrottlerOptions {
  /** From GET /gateway/bot `session_start_limit.max_concurrency`. Default 1 (or the limit's). */
  readonly maxConcurrency?: number;
  /** Window per bucket, ms. Default 5000. */
  readonly windowMs?: number;
  /** Added to every window so the spacing holds at the server. Default 250 ms (0 when `windowMs` is given). */
  readonly marginMs?: number;
  /** The session start budget; without it only the spacing is enforced. */
  readonly sessionStartLimit?: SessionStartLimit;
  /** What a grant does when the budget is used up. Default 'wait'. */
  readonly onExhausted?: 'wait' | 'error';
  /** Clock and timers. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/** Hands out identify slots (see the module comment). */
export interface IdentifyThrottler {
  /** Emits once (then completes) when `shardId` may identify. */
  acquire(shardId: number): Observable<void>;
}

/** A throttler for one gateway (or several sharing its buckets). */
export function createIdentifyThrottler(options: IdentifyThrottlerOptions = {}): IdentifyThrottler {
  const limit = options.sessionStartLimit;
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? limit?.max_concurrency ?? 1);
  const windowMs = (options.windowMs ?? 5000) + (options.marginMs ?? (options.windowMs === undefined ? 250 : 0));
  const scheduler = options.scheduler ?? asyncScheduler;
  /** Per bucket: the earliest time its next slot may open. */
  const nextFree = new Map<number, number>();
  let remaining = limit ? Math.max(0, limit.remaining) : Infinity;
  let resetAt = limit ? scheduler.now() + Math.max(0, limit.reset_after) : Infinity;
  const total = limit ? Math.max(1, limit.total) : Infinity;

  return {
    acquire(shardId) {
      return defer(() => {
        const bucket = shardId % maxConcurrency;
        const now = scheduler.now();
        if (now >= resetAt && limit) {
          remaining = total;
          resetAt = now + 24 * 60 * 60 * 1000;
        }
        let at = Math.max(now, nextFree.get(bucket) ?? now);
        if (remaining <= 0) {
          if (options.onExhausted === 'error') {
            return throwError(() => new RateLimitedError(Math.max(0, resetAt - now), 'session start limit used up (GET /gateway/bot remaining = 0); rxwire will not identify until reset_after'));
          }
          at = Math.max(at, resetAt);
          remaining = total;
          resetAt = resetAt + 24 * 60 * 60 * 1000;
        }
        remaining--;
        nextFree.set(bucket, at + windowMs);
        return timer(at - now, scheduler).pipe(
          map((): void => {
            const granted = scheduler.now();
            nextFree.set(bucket, Math.max(nextFree.get(bucket) ?? 0, granted + windowMs));
          }),
        );
      });
    },
  };
}
