/**
 * `DiscordEvent`: one union on `type` holding the decoded dispatches (the
 * disco set), any other dispatch as `Dispatch`, the lifecycle events, and
 * Unknown/DecodeError. Every event carries the id of the shard it came from;
 * dispatches also carry their sequence number `seq`.
 */
import type { DecodedEvents, DecodeErrorEvent, SourceEvent, UnknownEvent } from '../../core';
import type { DiscordCodecs } from './codecs/events';

export type DiscordSource = 'discord';

export type DiscordLifecycleEvent =
  | SourceEvent<DiscordSource, 'Connecting', { readonly url: string; readonly resume: boolean }>
  | SourceEvent<DiscordSource, 'Hello', { readonly heartbeat_interval: number }>
  | SourceEvent<DiscordSource, 'Disconnected', { readonly code: number; readonly reason: string }>
  | SourceEvent<DiscordSource, 'Reconnecting', { readonly resume: boolean; readonly delay: number }>
  | SourceEvent<DiscordSource, 'InvalidSession', { readonly resumable: boolean }>;

/** A dispatch outside the typed set, with its wire name (e.g. `THREAD_CREATE`) and raw data. */
export type DiscordDispatchEvent = SourceEvent<DiscordSource, 'Dispatch', { readonly name: string; readonly data: unknown }>;

export type DiscordEventBody =
  | DecodedEvents<DiscordSource, DiscordCodecs>
  | DiscordLifecycleEvent
  | DiscordDispatchEvent
  | UnknownEvent<DiscordSource>
  | DecodeErrorEvent<DiscordSource>;

export type DiscordEvent = DiscordEventBody & {
  /** The shard this event came from. */
  readonly shard: number;
  /** The dispatch's sequence number (dispatch events only). */
  readonly seq?: number;
};

export type DiscordEventType = DiscordEvent['type'];
