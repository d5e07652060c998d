import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { AnyEvent } from '../event';
import { lifecyclePhase } from '../lifecycle';
import type { Redactor } from '../redactor';

const ALWAYS = new Set(['DecodeError', 'Unknown']);

/**
 * The last stage of every source: removes the source's secrets from the events
 * that can carry server-echoed text (lifecycle events, DecodeError and Unknown,
 * plus any type in `alsoTypes`) and from the error that ends the stream.
 * Data events pass untouched (no cost on the hot path).
 */
export function redacted<E extends AnyEvent>(redactor: Redactor, alsoTypes: readonly string[] = []): MonoTypeOperatorFunction<E> {
  if (!redactor.active) return (source) => source;
  const extra = new Set(alsoTypes);
  return (source) =>
    new Observable<E>((subscriber) =>
      source.subscribe({
        next: (e) => {
          subscriber.next(ALWAYS.has(e.type) || extra.has(e.type) || lifecyclePhase(e.type) !== undefined ? redactor.value(e) : e);
        },
        error: (err: unknown) => subscriber.error(redactor.error(err)),
        complete: () => subscriber.complete(),
      }),
    );
}
