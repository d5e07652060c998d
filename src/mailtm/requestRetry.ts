import { retry, type MonoTypeOperatorFunction } from 'rxjs';
import { RateLimitedError, backoffDelayFn, isRetryable, type BackoffPolicy } from '../core';
import type { MailtmRetryMode } from './client';

/**
 * The retry layer of one API request (ky's own retry is off):
 * 'all' retries 429, 5xx, network errors and timeouts with the policy's
 * backoff (up to its maxAttempts); 'rateLimit' retries only 429, without
 * limit (the event stream reports outages itself); 'none' does not retry.
 * A 429's Retry-After is the floor of the wait (see `backoffDelay`).
 */
export function mailtmRequestRetry<T>(mode: MailtmRetryMode, policy: BackoffPolicy): MonoTypeOperatorFunction<T> {
  if (mode === 'none') return (source) => source;
  const effective: BackoffPolicy =
    mode === 'all'
      ? { ...policy, retryable: policy.retryable ?? isRetryable }
      : { ...policy, maxAttempts: Infinity, retryable: (e: unknown) => e instanceof RateLimitedError };
  return retry({ delay: backoffDelayFn(effective), resetOnSuccess: true });
}
