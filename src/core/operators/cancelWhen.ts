import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { AnyEvent } from '../event';
import { withCanceled, type Intercepted } from './withCache';

/** What an intercept predicate sees besides the event: the cache now and the cache the event would produce. */
export interface InterceptContext<S> {
  /** The cache before the event. */
  readonly state: S;
  /** The cache after the event, if it is applied (computed when first read). */
  readonly after: S;
}

/**
 * An intercept-stage operator: marks the events matching `predicate` as
 * canceled, so the cache reducer skips them. They still reach subscribers.
 * The predicate gets the current cache and the would-be `after`, so it can
 * decide from them (stoat.py-style: look at the event, then cancel).
 * Use it in `withCache({ intercept: [cancelWhen(...)] })`.
 */
export function cancelWhen<E extends AnyEvent, S = unknown>(predicate: (event: E, context: InterceptContext<S>) => boolean): MonoTypeOperatorFunction<Intercepted<E, S>> {
  return map((i: Intercepted<E, S>) => (i.canceled || !predicate(i.event, i) ? i : withCanceled(i, true)));
}

/**
 * The inverse intercept-stage operator: an event an earlier operator canceled
 * is applied after all when `predicate` says so (e.g. cancel every update of
 * a channel, then uncancel the ones from moderators).
 */
export function uncancel<E extends AnyEvent, S = unknown>(predicate: (event: E, context: InterceptContext<S>) => boolean): MonoTypeOperatorFunction<Intercepted<E, S>> {
  return map((i: Intercepted<E, S>) => (!i.canceled || !predicate(i.event, i) ? i : withCanceled(i, false)));
}
