/**
 * StoatEvent: the one discriminated union of the Stoat source. Data events
 * come from the codec table (named after stoat.py's event classes without
 * `Event`); lifecycle events (BeforeConnect, AfterConnect, Authenticated,
 * Ready, Disconnected, Reconnecting) share the union so their order relative
 * to data events is observable.
 */
import type { ClosedData, ConnectedData, ConnectingData, DecodeErrorEvent, DecodedEvents, DisconnectedData, ReconnectingData, SourceEvent, UnknownEvent } from '../../core';
import type { ReadyData, StoatCodecs } from './codecs/events';

/** The `source` of every Stoat event. */
export type StoatSource = 'stoat';

/** Events decoded from EventV1 frames, one member per codec. */
export type StoatDataEvent = DecodedEvents<StoatSource, StoatCodecs>;

/** The contract's `Connecting` under Stoat's seed name: a socket is being opened (`url` without the token; `attempt` from 1). */
export type StoatBeforeConnectEvent = SourceEvent<StoatSource, 'BeforeConnect', ConnectingData>;
/** The contract's `Connected` under Stoat's seed name: the socket is open (before authentication). */
export type StoatAfterConnectEvent = SourceEvent<StoatSource, 'AfterConnect', ConnectedData>;
/** Bonfire accepted the token (`Authenticated`); Ready follows. */
export type StoatAuthenticatedEvent = SourceEvent<StoatSource, 'Authenticated', Record<string, never>>;
/**
 * The initial state. Bonfire has no resume, so every connection gets a fresh
 * Ready; `reconnect: true` marks one that follows an earlier Ready in the same
 * subscription: the cache is rebuilt from it (a cache reset).
 */
export type StoatReadyEvent = SourceEvent<StoatSource, 'Ready', ReadyData> & { readonly reconnect: boolean };
/** The connection went away: why (token redacted), whether a reconnect follows, and the close code when the socket closed with one. */
export type StoatDisconnectedEvent = SourceEvent<StoatSource, 'Disconnected', DisconnectedData>;
/** Reconnect attempt `attempt` (from 1) opens after `delay` ms. */
export type StoatReconnectingEvent = SourceEvent<StoatSource, 'Reconnecting', ReconnectingData>;
/** The source ended for good (a fatal error follows it: refused token, Logout, retries exhausted). */
export type StoatClosedEvent = SourceEvent<StoatSource, 'Closed', ClosedData>;

/** Stoat's connection lifecycle events (the core vocabulary, seed names kept). */
export type StoatLifecycleEvent =
  | StoatBeforeConnectEvent
  | StoatAfterConnectEvent
  | StoatAuthenticatedEvent
  | StoatReadyEvent
  | StoatDisconnectedEvent
  | StoatReconnectingEvent
  | StoatClosedEvent;

/** Every event the Stoat source emits. */
export type StoatEvent = StoatDataEvent | StoatLifecycleEvent | UnknownEvent<StoatSource> | DecodeErrorEvent<StoatSource>;
/** The `type` of any Stoat event. */
export type StoatEventType = StoatEvent['type'];

/** The source name. */
export const STOAT: StoatSource = 'stoat';
