import { Observable, Subject, merge, retry, tap } from 'rxjs';
import { backoffDelayFn, type BackoffPolicy } from '../backoff';

/** How `reconnecting` retries: the backoff, and the lifecycle events it emits per retry. */
export interface ReconnectOptions<E> {
  /** The waits between attempts, and which errors are worth an attempt. */
  readonly backoff: BackoffPolicy;
  /** Lifecycle events to emit when a connection fails and a retry is scheduled, in order. */
  readonly onRetry: (error: unknown, attempt: number, delay: number) => readonly E[];
  /** Which emitted events prove the connection healthy, resetting the attempt count. Default: every event. */
  readonly isHealthy?: (event: E) => boolean;
}

/**
 * Runs `connect()` and reopens it with backoff whenever it errors retryably,
 * emitting the lifecycle events `onRetry` returns (e.g. Disconnected then
 * Reconnecting) in the stream, before the wait. A fatal error ends the stream.
 * `connect` is called again for each attempt, so it can carry state across
 * reconnects (a resume token, the last UID seen) in its closure.
 */
export function reconnecting<E>(connect: () => Observable<E>, options: ReconnectOptions<E>): Observable<E> {
  return new Observable<E>((subscriber) => {
    const lifecycle = new Subject<E>();
    let attempt = 0;
    const delayFn = backoffDelayFn(options.backoff, (error, n, delay) => {
      for (const e of options.onRetry(error, n, delay)) lifecycle.next(e);
    });
    const main = new Observable<E>((inner) => connect().subscribe(inner)).pipe(
      tap((e) => {
        if (options.isHealthy === undefined || options.isHealthy(e)) attempt = 0;
      }),
      retry({ delay: (error) => delayFn(error, ++attempt) }),
      // merge completes only when both inputs do: end the lifecycle subject with main.
      tap({ complete: () => lifecycle.complete(), error: () => lifecycle.complete() }),
    );
    return merge(lifecycle, main).subscribe(subscriber);
  });
}
