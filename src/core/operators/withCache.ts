import { Observable, type MonoTypeOperatorFunction, type OperatorFunction } from 'rxjs';
import type { AnyEvent } from '../event';

/**
 * An event on its way through the intercept stage, with the cache it meets:
 * `state` is the cache when the event entered the stage, `after` the cache it
 * would produce if applied (computed on first read, then reused by the
 * reducer), so a predicate can decide from both. Make changed copies with
 * `withCanceled`, never by spreading (that would compute `after`).
 */
export interface Intercepted<E, S = unknown> {
  /** The event. */
  readonly event: E;
  /** True once an intercept operator (e.g. `cancelWhen`) canceled it: the reducer will skip it. */
  readonly canceled: boolean;
  /** The cache before this event. */
  readonly state: S;
  /** The cache this event would produce (lazily computed, shared with the reducer). */
  readonly after: S;
}

interface Memo<S> {
  done: boolean;
  value: S | undefined;
}

/** The intercept-stage item withCache makes (one class: a fast, monomorphic shape with a lazy `after`). */
class Staged<E, S> implements Intercepted<E, S> {
  constructor(
    readonly event: E,
    readonly canceled: boolean,
    readonly state: S,
    readonly reduce: (state: S, event: E) => S,
    readonly memo: Memo<S>,
  ) {}

  get after(): S {
    const memo = this.memo;
    if (!memo.done) {
      memo.value = this.reduce(this.state, this.event);
      memo.done = true;
    }
    return memo.value as S;
  }
}

/** A copy of an intercept-stage item with `canceled` set (keeps its lazily computed `after`). */
export function withCanceled<E, S>(item: Intercepted<E, S>, canceled: boolean): Intercepted<E, S> {
  if (item.canceled === canceled) return item;
  if (item instanceof Staged) return new Staged<E, S>(item.event as E, canceled, item.state as S, item.reduce as (s: S, e: E) => S, item.memo as Memo<S>);
  const { event, state } = item;
  let after: S | undefined;
  let done = false;
  return {
    event,
    canceled,
    state,
    get after(): S {
      if (!done) {
        after = item.after;
        done = true;
      }
      return after as S;
    },
  };
}

/**
 * An event after the cache stage: the event itself (spread, so `ofType` and
 * `type` narrowing work on it), whether it was canceled, and the cache state
 * before and after it was applied (equal when canceled). The reducer must
 * treat state as immutable, so `before` stays valid.
 */
export type Cached<E, S> = E extends unknown ? E & { readonly canceled: boolean; readonly before: S; readonly after: S } : never;

/** Options of `withCache`. */
export interface CacheOptions<E, S> {
  /** The state before the first event. */
  readonly initial: S;
  /** Pure: returns the new state, never mutates the old one. */
  readonly reduce: (state: S, event: E) => S;
  /**
   * User operators run in order before the reducer (e.g. `cancelWhen`,
   * `uncancel`). They must emit each event once, in order, synchronously for
   * `state`/`after` to be the cache the event is applied to.
   */
  readonly intercept?: ReadonlyArray<MonoTypeOperatorFunction<Intercepted<E, S>>>;
  /** Called with every new state (e.g. to expose the live cache). */
  readonly onState?: (state: S) => void;
}

/**
 * A cache derived from the event stream: events pass the intercept stage
 * (seeing the current cache and the would-be next one), then the reducer runs
 * unless the event was canceled. Emits each event with `canceled`, `before`
 * and `after`. Without intercept operators the stage costs nothing.
 */
export function withCache<E extends AnyEvent, S>(options: CacheOptions<E, S>): OperatorFunction<E, Cached<E, S>> {
  const reduce = options.reduce;
  return (source) =>
    new Observable<Cached<E, S>>((subscriber) => {
      let state = options.initial;
      const apply = (event: E, canceled: boolean, next: S | undefined): void => {
        const before = state;
        if (!canceled) {
          state = next === undefined ? reduce(state, event) : next;
          if (state !== before) options.onState?.(state);
        }
        // Object.assign, not spread-then-add: V8 (Node 20) makes the spread form several times slower here.
        subscriber.next(Object.assign({}, event, { canceled, before, after: state }) as Cached<E, S>);
      };
      const ops = options.intercept ?? [];
      if (ops.length === 0) {
        return source.subscribe({
          next: (event) => apply(event, false, undefined),
          error: (e) => subscriber.error(e),
          complete: () => subscriber.complete(),
        });
      }
      const staged = ops.reduce<Observable<Intercepted<E, S>>>(
        (acc, op) => acc.pipe(op),
        new Observable<Intercepted<E, S>>((inner) =>
          source.subscribe({
            next: (event) => inner.next(new Staged(event, false, state, reduce, { done: false, value: undefined })),
            error: (e) => inner.error(e),
            complete: () => inner.complete(),
          }),
        ),
      );
      return staged.subscribe({
        next: (item) => {
          // Reuse the `after` an intercept predicate computed when it was computed from this very state.
          const reuse = !item.canceled && item.state === state && item instanceof Staged && item.memo.done;
          apply(item.event, item.canceled, reuse ? (item.memo.value as S) : undefined);
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
