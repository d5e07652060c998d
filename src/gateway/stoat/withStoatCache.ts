import type { MonoTypeOperatorFunction, OperatorFunction } from 'rxjs';
import { withCache, type Cached, type Intercepted } from '../../core';
import { emptyStoatCache, reduceStoatCache, type StoatCache } from './cache';
import type { StoatEvent } from './events';

/** A Stoat event after the cache stage: the event plus `canceled`, `before` and `after` cache states. */
export type StoatCachedEvent = Cached<StoatEvent, StoatCache>;

/** Options of `withStoatCache`. */
export interface StoatCacheOptions {
  /**
   * Intercept-stage operators, e.g. `cancelWhen((e, { state, after }) => ...)`
   * and `uncancel(...)`: each sees the event, the cache now and the cache it would produce.
   */
  readonly intercept?: ReadonlyArray<MonoTypeOperatorFunction<Intercepted<StoatEvent, StoatCache>>>;
  /** Most messages kept (about; see StoatCache). Default 1000. */
  readonly maxMessages?: number;
  /** Called with each new cache state. */
  readonly onState?: (state: StoatCache) => void;
}

/**
 * The Stoat cache stage (core `withCache` with the Stoat reducer): built from
 * Ready, updated by events unless an intercept operator canceled them. A
 * canceled event still reaches subscribers, marked `canceled: true`, with
 * `before === after`.
 */
export function withStoatCache(options: StoatCacheOptions = {}): OperatorFunction<StoatEvent, StoatCachedEvent> {
  return withCache<StoatEvent, StoatCache>({
    initial: emptyStoatCache(options.maxMessages ?? 1000),
    reduce: reduceStoatCache,
    intercept: options.intercept,
    onState: options.onState,
  });
}
