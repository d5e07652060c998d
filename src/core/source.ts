/**
 * The source contract, as types. Every source is a factory returning a
 * `SourceHandle`: `events$` connects on its first subscriber and closes on its
 * last (`share()` with refCount, reset on zero: use `shareSource`), and
 * actions are cold Observables that wait for the connection to be ready,
 * complete when the server accepted what they sent, and error with
 * `ActionDroppedError` when a disconnect dropped it.
 */
import { share, type Observable, type SchedulerLike } from 'rxjs';
import type { Logger } from './logger';

/** What every source handle has: the shared event stream. Actions are added per source. */
export interface SourceHandle<E> {
  /** Connects on the first subscription, closes on the last; a later subscription connects anew. */
  readonly events$: Observable<E>;
}

/** Options every source factory accepts. */
export interface CommonSourceOptions {
  /** A pino-compatible logger (off by default). Lines are redacted before they reach it. */
  readonly logger?: Logger;
  /** The scheduler for every wait (timeouts, heartbeats, backoff). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Makes a cold connection stream the shared `events$` of a handle: one
 * connection while anyone listens, closed when the last subscriber leaves, and
 * reopened (fresh) for the next one. After an error or completion the next
 * subscriber starts a new connection too.
 */
export function shareSource<E>(connect$: Observable<E>): Observable<E> {
  return connect$.pipe(share({ resetOnRefCountZero: true, resetOnError: true, resetOnComplete: true }));
}
