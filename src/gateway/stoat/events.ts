/**
 * StoatEvent: the one discriminated union of the Stoat source. Data events
 * come from the codec table (named after stoat.py's event classes without
 * `Event`); lifecycle events (BeforeConnect, AfterConnect, Authenticated,
 * Ready, Disconnected, Reconnecting) share the union so their order relative
 * to data events is observable.
 */
import type { DecodeErrorEvent, DecodedEvents, SourceEvent, UnknownEvent } from '../../core';
import type { ReadyData, StoatCodecs } from './codecs/events';

export type StoatSource = 'stoat';

/** Events decoded from EventV1 frames, one member per codec. */
export type StoatDataEvent = DecodedEvents<StoatSource, StoatCodecs>;

export type StoatBeforeConnectEvent = SourceEvent<StoatSource, 'BeforeConnect', { readonly url: string; readonly attempt: number }>;
export type StoatAfterConnectEvent = SourceEvent<StoatSource, 'AfterConnect', { readonly url: string }>;
export type StoatAuthenticatedEvent = SourceEvent<StoatSource, 'Authenticated', Record<string, never>>;
/**
 * The initial state. Bonfire has no resume, so every connection gets a fresh
 * Ready; `reconnect: true` marks one that follows an earlier Ready in the same
 * subscription: the cache is rebuilt from it (a cache reset).
 */
export type StoatReadyEvent = SourceEvent<StoatSource, 'Ready', ReadyData> & { readonly reconnect: boolean };
export type StoatDisconnectedEvent = SourceEvent<StoatSource, 'Disconnected', { readonly reason: string }>;
export type StoatReconnectingEvent = SourceEvent<StoatSource, 'Reconnecting', { readonly attempt: number; readonly delay: number }>;

export type StoatLifecycleEvent =
  | StoatBeforeConnectEvent
  | StoatAfterConnectEvent
  | StoatAuthenticatedEvent
  | StoatReadyEvent
  | StoatDisconnectedEvent
  | StoatReconnectingEvent;

export type StoatEvent = StoatDataEvent | StoatLifecycleEvent | UnknownEvent<StoatSource> | DecodeErrorEvent<StoatSource>;
export type StoatEventType = StoatEvent['type'];

export const STOAT: StoatSource = 'stoat';
