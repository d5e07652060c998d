import { filter, type OperatorFunction } from 'rxjs';
import type { AnyEvent } from '../event';

/**
 * Keeps the events whose `type` is one of `types`, narrowing the union:
 * `events$.pipe(ofType('MessageCreate'))` is an `Observable<Extract<E, {type: 'MessageCreate'}>>`.
 * A type name the union does not have is a compile error.
 */
export function ofType<E extends AnyEvent, T extends E['type']>(...types: [T, ...T[]]): OperatorFunction<E, Extract<E, { type: T }>> {
  if (types.length === 1) {
    const only = types[0];
    return filter((e: E): e is Extract<E, { type: T }> => e.type === only);
  }
  const wanted = new Set<string>(types);
  return filter((e: E): e is Extract<E, { type: T }> => wanted.has(e.type));
}
