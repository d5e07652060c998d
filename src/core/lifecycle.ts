/**
 * The lifecycle vocabulary every source shares (the source contract).
 *
 * Every source emits its connection lifecycle as members of its own event
 * union, with these names and data shapes, so one operator
 * (`connectionState()`) reads any source the same way:
 *
 * | type           | data                                        | meaning                                    |
 * |----------------|---------------------------------------------|--------------------------------------------|
 * | `Connecting`   | `{ url, attempt }`                          | opening a connection (url has no secrets)   |
 * | `Connected`    | `{ url }`                                   | the transport is open                       |
 * | `Ready`        | source-specific                             | logged in / identified / baseline read      |
 * | `Disconnected` | `{ reason, willReconnect, code? }`          | the connection went away                    |
 * | `Reconnecting` | `{ attempt, delay }`                        | a new attempt is scheduled after `delay` ms |
 * | `Resumed`      | source-specific                             | a reconnect caught up without loss          |
 * | `Closed`       | `{ reason }`                                | the source ended (unsubscribe, stop, fatal) |
 *
 * Where a platform's own SDK names a lifecycle event, the source keeps that
 * name with the same data shape: Stoat `BeforeConnect` (= Connecting) and
 * `AfterConnect` (= Connected), Mail.tm `ServerCalledOff` (= Closed).
 * `LIFECYCLE_ALIASES` is the one table that says so.
 */
import * as t from 'io-ts';
import type { SourceEvent } from './event';

/** `Connecting`: a connection is being opened. `url` never carries a secret; `attempt` counts from 1. */
export const ConnectingData = t.type({ url: t.string, attempt: t.number });
export type ConnectingData = t.TypeOf<typeof ConnectingData>;

/** `Connected`: the transport is open (before login/identify). */
export const ConnectedData = t.type({ url: t.string });
export type ConnectedData = t.TypeOf<typeof ConnectedData>;

/** `Disconnected`: the connection went away; `code` is the close code where the transport has one. */
export const DisconnectedData = t.intersection([
  t.type({ reason: t.string, willReconnect: t.boolean }),
  t.partial({ code: t.number }),
]);
export type DisconnectedData = t.TypeOf<typeof DisconnectedData>;

/** `Reconnecting`: attempt `attempt` (from 1) starts after `delay` ms. */
export const ReconnectingData = t.type({ attempt: t.number, delay: t.number });
export type ReconnectingData = t.TypeOf<typeof ReconnectingData>;

/** `Closed`: the source ended and will not reconnect. */
export const ClosedData = t.type({ reason: t.string });
export type ClosedData = t.TypeOf<typeof ClosedData>;

/** The shared lifecycle events of source `S` whose data shape is fixed by the contract. */
export type LifecycleEvent<S extends string> =
  | SourceEvent<S, 'Connecting', ConnectingData>
  | SourceEvent<S, 'Connected', ConnectedData>
  | SourceEvent<S, 'Disconnected', DisconnectedData>
  | SourceEvent<S, 'Reconnecting', ReconnectingData>
  | SourceEvent<S, 'Closed', ClosedData>;

/** The lifecycle phases, in the order a healthy connection passes them. */
export type LifecyclePhase = 'connecting' | 'connected' | 'ready' | 'disconnected' | 'reconnecting' | 'resumed' | 'closed';

/** Event type name → phase: the canonical names plus the seed names that mean the same. */
export const LIFECYCLE_ALIASES: Readonly<Record<string, LifecyclePhase>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, LifecyclePhase>, {
    Connecting: 'connecting',
    BeforeConnect: 'connecting',
    Connected: 'connected',
    AfterConnect: 'connected',
    Ready: 'ready',
    Disconnected: 'disconnected',
    Reconnecting: 'reconnecting',
    Resumed: 'resumed',
    Closed: 'closed',
    ServerCalledOff: 'closed',
  }),
);

/** The phase an event type stands for, or undefined for data events. Own keys only. */
export function lifecyclePhase(type: string): LifecyclePhase | undefined {
  return LIFECYCLE_ALIASES[type];
}
