import { retry, type MonoTypeOperatorFunction } from 'rxjs';
import { backoffDelayFn, type BackoffPolicy } from '../backoff';

/**
 * Resubscribes to the source after a retryable error, waiting the policy's
 * backoff delay; the attempt count resets after the source emits a value.
 * A non-retryable (typed fatal) error, or one past `maxAttempts`, propagates.
 */
export function retryBackoff<T>(policy: BackoffPolicy): MonoTypeOperatorFunction<T> {
  return retry({ delay: backoffDelayFn(policy), resetOnSuccess: true });
}
