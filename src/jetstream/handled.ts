import { catchError, concatMap, EMPTY, from, isObservable, map, mergeMap, of, toArray, type Observable, type OperatorFunction } from 'rxjs';
import type { DecodeErrorEvent } from '../core';
import type { Delivery } from './fromJetStream';

function isPromiseLike<R>(v: unknown): v is PromiseLike<R> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/** Options of `handled`. */
export interface HandledOptions {
  /** Messages handled at once. Default 1: in order, one at a time. */
  readonly concurrency?: number;
  /** Redelivery delay after a failed handler, ms. Default 1000. */
  readonly nakDelay?: number;
}

/**
 * Runs `handler` for each delivery and acknowledges the message only after the
 * handler's result completed (a value — arrays included, emitted as one value —, a Promise or an Observable); a handler
 * that throws or errors naks the message (JetStream redelivers it) and the
 * stream goes on. Emits what the handler produced, in order when concurrency is 1.
 */
export function handled<E, R>(
  handler: (event: E | DecodeErrorEvent<string>, delivery: Delivery<E>) => Observable<R> | PromiseLike<R> | R,
  options: HandledOptions = {},
): OperatorFunction<Delivery<E>, R> {
  const concurrency = options.concurrency ?? 1;
  const nakDelay = options.nakDelay ?? 1000;
  const run = (d: Delivery<E>) => {
    let out: Observable<R> | PromiseLike<R> | R;
    try {
      out = handler(d.event, d);
    } catch {
      d.nak(nakDelay);
      return EMPTY;
    }
    const values = isObservable(out) ? out : isPromiseLike(out) ? from(Promise.resolve(out)) : of(out);
    return values.pipe(
      toArray(),
      map((rs) => {
        d.ack();
        return rs;
      }),
      catchError(() => {
        d.nak(nakDelay);
        return of([] as R[]);
      }),
      concatMap((rs) => from(rs)),
    );
  };
  return concurrency === 1 ? concatMap(run) : mergeMap(run, concurrency);
}
