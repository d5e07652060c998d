import { Observable, type OperatorFunction } from 'rxjs';
import type { AnyEvent } from '../event';
import { lifecyclePhase, type LifecyclePhase } from '../lifecycle';

/** The connection state of a source, as `connectionState()` derives it. */
export interface ConnectionState {
  /** `ready` after Ready or Resumed; `closed` at the end (also when the stream ends or errors without a Closed event). */
  readonly status: 'connecting' | 'connected' | 'ready' | 'disconnected' | 'reconnecting' | 'closed';
  /** The event type that caused this state (e.g. `BeforeConnect`, `Resumed`), or `complete`/`error`. */
  readonly cause: string;
  /** True once the current readiness came from a resume (a reconnect that lost nothing). */
  readonly resumed: boolean;
  /** Attempt number while connecting/reconnecting, when the source says. */
  readonly attempt?: number;
  /** Why the connection went away (disconnected/closed). */
  readonly reason?: string;
  /** Whether the source will reconnect (disconnected). */
  readonly willReconnect?: boolean;
}

const STATUS: Record<LifecyclePhase, ConnectionState['status']> = {
  connecting: 'connecting',
  connected: 'connected',
  ready: 'ready',
  disconnected: 'disconnected',
  reconnecting: 'reconnecting',
  resumed: 'ready',
  closed: 'closed',
};

function field<T>(data: unknown, key: string, kind: 'number' | 'string' | 'boolean'): T | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const v = (data as Record<string, unknown>)[key];
  return typeof v === kind ? (v as T) : undefined;
}

/**
 * Turns any source's event stream into its connection-state stream: one value
 * per change of state, read from the shared lifecycle vocabulary (see
 * `lifecycle.ts`), so the same code watches IMAP, Mail.tm, Discord, Stoat and
 * Mezon. Data events are ignored. When the source completes or errors without
 * a `Closed` event, a final `closed` state is emitted first (then the error is
 * passed on).
 */
export function connectionState(): OperatorFunction<AnyEvent & { readonly data?: unknown }, ConnectionState> {
  return (source) =>
    new Observable<ConnectionState>((subscriber) => {
      let last: ConnectionState | undefined;
      const emit = (s: ConnectionState): void => {
        if (last && last.status === s.status && last.resumed === s.resumed && last.attempt === s.attempt) return;
        last = s;
        subscriber.next(s);
      };
      return source.subscribe({
        next: (e) => {
          const phase = lifecyclePhase(e.type);
          if (phase === undefined) return;
          const d = e.data;
          const state: { -readonly [K in keyof ConnectionState]: ConnectionState[K] } = {
            status: STATUS[phase],
            cause: e.type,
            resumed: phase === 'resumed',
          };
          const attempt = field<number>(d, 'attempt', 'number');
          if (attempt !== undefined && (phase === 'connecting' || phase === 'reconnecting')) state.attempt = attempt;
          const reason = field<string>(d, 'reason', 'string');
          if (reason !== undefined && (phase === 'disconnected' || phase === 'closed')) state.reason = reason;
          const will = field<boolean>(d, 'willReconnect', 'boolean');
          if (will !== undefined && phase === 'disconnected') state.willReconnect = will;
          emit(state);
        },
        error: (err: unknown) => {
          if (last?.status !== 'closed') emit({ status: 'closed', cause: 'error', resumed: false, reason: err instanceof Error ? err.message : String(err) });
          subscriber.error(err);
        },
        complete: () => {
          if (last?.status !== 'closed') emit({ status: 'closed', cause: 'complete', resumed: false, reason: 'stream completed' });
          subscriber.complete();
        },
      });
    });
}
