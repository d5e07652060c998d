/**
 * `DiscordEvent`: one union on `type` holding the decoded dispatches (the
 * disco set), any other dispatch as `Dispatch`, the lifecycle events, and
 * Unknown/DecodeError. Every event carries the id of the shard it came from;
 * dispatches also carry their sequence number `seq`.
 */
import type { DecodedEvents, DecodeErrorEvent, SourceEvent, UnknownEvent } from '../../core';
import type { DiscordCodecs } from './codecs/events';

/** The `source` of every Discord event. */
export type DiscordSource = 'discord';

/**
 * The lifecycle events, in the shapes of the source contract (core
 * lifecycle.ts), plus Discord's own: `Connecting`/`Reconnecting` also say
 * whether the connection resumes, `Hello` and `InvalidSession` report op 10
 * and op 9. `Ready` and `Resumed` are the dispatches of those names.
 */
export type DiscordLifecycleEvent =
  | SourceEvent<DiscordSource, 'Connecting', { readonly url: string; readonly attempt: number; readonly resume: boolean }>
  | SourceEvent<DiscordSource, 'Connected', { readonly url: string }>
  | SourceEvent<DiscordSource, 'Hello', { readonly heartbeat_interval: number }>
  | SourceEvent<DiscordSource, 'Disconnected', { readonly code: number; readonly reason: string; readonly willReconnect: boolean }>
  | SourceEvent<DiscordSource, 'Reconnecting', { readonly attempt: number; readonly delay: number; readonly resume: boolean }>
  | SourceEvent<DiscordSource, 'InvalidSession', { readonly resumable: boolean }>
  | SourceEvent<DiscordSource, 'Closed', { readonly reason: string }>;

/** A dispatch outside the typed set, with its wire name (e.g. `THREAD_CREATE`) and raw data. */
export type DiscordDispatchEvent = SourceEvent<DiscordSource, 'Dispatch', { readonly name: string; readonly data: unknown }>;

/** A Discord event without its shard/seq tags. */
export type DiscordEventBody =
  | DecodedEvents<DiscordSource, DiscordCodecs>
  | DiscordLifecycleEvent
  | DiscordDispatchEvent
  | UnknownEvent<DiscordSource>
  | DecodeErrorEvent<DiscordSource>;

/** Every event `events$` emits: the body plus the shard it came from (and seq for dispatches). */
export type DiscordEvent = DiscordEventBody & {
  /** The shard this event came from. */
  readonly shard: number;
  /** The dispatch's sequence number (dispatch events only). */
  readonly seq?: number;
};

/** The `type` names of `DiscordEvent`. */
export type DiscordEventType = DiscordEvent['type'];
