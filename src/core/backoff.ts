/**
 * Reconnect/retry policy: exponential delay with jitter and a cap, reset after
 * success, a `retryable(error)` predicate (typed fatal errors stop it), and a
 * scheduler so marble tests run it in virtual time.
 */
import { asyncScheduler, throwError, timer, type SchedulerLike } from 'rxjs';
import { isRetryable, RateLimitedError } from './errors';

/** How `retryBackoff` and `reconnecting` wait between attempts. */
export interface BackoffPolicy {
  /** Delay before the first retry, in ms (before jitter). */
  readonly initialDelay: number;
  /** Upper bound of any delay, in ms. */
  readonly maxDelay: number;
  /** Growth per attempt; default 2. */
  readonly factor?: number;
  /**
   * 'full' (default): uniform in [0, d) (AWS "full jitter"); 'equal': d/2 + uniform [0, d/2);
   * 'none': exactly d.
   */
  readonly jitter?: 'full' | 'equal' | 'none';
  /** Give up after this many consecutive failed attempts (the error then propagates). Default: never. */
  readonly maxAttempts?: number;
  /** Random source in [0, 1); inject a seeded one for tests. Default Math.random. */
  readonly random?: () => number;
  /** Which errors are worth retrying. Default: `isRetryable` (typed fatal errors are not). */
  readonly retryable?: (error: unknown) => boolean;
  /** The scheduler the waits run on. Default `asyncScheduler`; a TestScheduler in marble tests. */
  readonly scheduler?: SchedulerLike;
}

/** The delay before retry number `attempt` (1-based). A RateLimitedError's retry-after is a floor. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, error?: unknown): number {
  const factor = policy.factor ?? 2;
  const base = Math.min(policy.maxDelay, policy.initialDelay * Math.pow(factor, Math.max(0, attempt - 1)));
  const r = (policy.random ?? Math.random)();
  const jitter = policy.jitter ?? 'full';
  let d = jitter === 'none' ? base : jitter === 'equal' ? base / 2 + (r * base) / 2 : r * base;
  if (error instanceof RateLimitedError) d = Math.max(d, error.retryAfterMs);
  return Math.round(d);
}

/**
 * The `delay` function for RxJS `retry({ delay, resetOnSuccess: true })`:
 * rethrows non-retryable errors and errors past `maxAttempts`, otherwise waits
 * the backoff delay on the policy's scheduler. `onRetry` sees each decision
 * first (sources use it to emit Disconnected/Reconnecting events).
 */
export function backoffDelayFn(policy: BackoffPolicy, onRetry?: (error: unknown, attempt: number, delay: number) => void) {
  const retryable = policy.retryable ?? isRetryable;
  const scheduler = policy.scheduler ?? asyncScheduler;
  return (error: unknown, attempt: number) => {
    if (!retryable(error) || attempt > (policy.maxAttempts ?? Infinity)) return throwError(() => error);
    const delay = backoffDelay(policy, attempt, error);
    onRetry?.(error, attempt, delay);
    return timer(delay, scheduler);
  };
}

/** A deterministic random source (mulberry32) for seeded jitter in tests and simulations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
