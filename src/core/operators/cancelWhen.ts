import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { AnyEvent } from '../event';
import type { Intercepted } from './withCache';

/**
 * An intercept-stage operator: marks the events matching `predicate` as
 * canceled, so the cache reducer skips them. They still reach subscribers.
 * Use it in `withCache({ intercept: [cancelWhen(...)] })`.
 */
export function cancelWhen<E extends AnyEvent>(predicate: (event: E) => boolean): MonoTypeOperatorFunction<Intercepted<E>> {
  return map((i: Intercepted<E>) => (i.canceled || !predicate(i.event) ? i : { event: i.event, canceled: true }));
}
