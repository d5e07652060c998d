import { retry, throwError, timer, asyncScheduler, type MonoTypeOperatorFunction } from 'rxjs';
import { RateLimitedError, backoffDelay, isRetryable, type BackoffPolicy } from '../core';
import type { MailtmRetryMode } from './client';

/** A 429 waits its Retry-After (or one second); backoff on top of that stays small. */
export const MAILTM_RATE_LIMIT_MAX_DELAY = 2000;

/**
 * The retry layer of one API request (ky's own retry is off):
 * 'all' retries 429, 5xx, network errors and timeouts with the policy's
 * backoff (up to its maxAttempts); 'rateLimit' retries only 429, without
 * limit (the event stream reports outages itself); 'none' does not retry.
 * A 429's Retry-After is the floor of its wait, and its backoff is capped at
 * MAILTM_RATE_LIMIT_MAX_DELAY: the server said when to come back.
 */
export function mailtmRequestRetry<T>(mode: MailtmRetryMode, policy: BackoffPolicy): MonoTypeOperatorFunction<T> {
  if (mode === 'none') return (source) => source;
  const retryable = mode === 'all' ? (policy.retryable ?? isRetryable) : (e: unknown) => e instanceof RateLimitedError;
  const maxAttempts = mode === 'all' ? (policy.maxAttempts ?? Infinity) : Infinity;
  const limited: BackoffPolicy = { ...policy, maxDelay: Math.min(policy.maxDelay, MAILTM_RATE_LIMIT_MAX_DELAY) };
  return retry({
    resetOnSuccess: true,
    delay: (error: unknown, attempt: number) => {
      if (!retryable(error) || attempt > maxAttempts) return throwError(() => error);
      const wait = backoffDelay(error instanceof RateLimitedError ? limited : policy, attempt, error);
      return timer(wait, policy.scheduler ?? asyncScheduler);
    },
  });
}
