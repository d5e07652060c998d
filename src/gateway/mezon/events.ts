/**
 * The Mezon event union: one member per Envelope push field, named after the
 * seed's Events enum in PascalCase, plus lifecycle, Unknown and DecodeError.
 */
import type { ClosedData, ConnectedData, ConnectingData, DecodedEvents, DecodeErrorEvent, DecodeSpec, DisconnectedData, ReconnectingData, SourceEvent, UnknownEvent } from '../../core';
import { decodeFrame } from '../../core';
import { normalizeChannelMessage, typedChannelMessage } from './channelMessage';
import {
  MezonAddClanUserEvent,
  MezonChannelCreatedEvent,
  MezonChannelDeletedEvent,
  MezonChannelMessage,
  MezonChannelPresenceEvent,
  MezonChannelUpdatedEvent,
  MezonClanUpdatedEvent,
  MezonCreateEventRequest,
  MezonGiveCoffeeEvent,
  MezonMessageButtonClicked,
  MezonMessageReaction,
  MezonMessageTypingEvent,
  MezonNotifications,
  MezonTokenSentEvent,
  MezonUserChannelAdded,
  MezonUserChannelRemoved,
  MezonUserClanRemoved,
  MezonVoiceEndedEvent,
  MezonVoiceJoinedEvent,
  MezonVoiceLeavedEvent,
  MezonVoiceStartedEvent,
} from './codecs';
import { MEZON_EXTRA_CODECS, MEZON_EXTRA_EVENT_FIELDS } from './codecs.generated';
import { isSchemaFrame, type MezonFrame } from './frame';

/** The `source` of every Mezon event. */
export const MEZON_SOURCE = 'mezon' as const;
/** The Mezon source name type. */
export type MezonSource = typeof MEZON_SOURCE;

/** The seed's 21 event types → codec of their data (hand-written). */
export const MEZON_SEED_CODECS = {
  ChannelMessage: MezonChannelMessage,
  MessageReaction: MezonMessageReaction,
  MessageTypingEvent: MezonMessageTypingEvent,
  MessageButtonClicked: MezonMessageButtonClicked,
  ChannelCreated: MezonChannelCreatedEvent,
  ChannelUpdated: MezonChannelUpdatedEvent,
  ChannelDeleted: MezonChannelDeletedEvent,
  ChannelPresenceEvent: MezonChannelPresenceEvent,
  UserChannelAdded: MezonUserChannelAdded,
  UserChannelRemoved: MezonUserChannelRemoved,
  UserClanRemoved: MezonUserClanRemoved,
  AddClanUser: MezonAddClanUserEvent,
  VoiceStartedEvent: MezonVoiceStartedEvent,
  VoiceEndedEvent: MezonVoiceEndedEvent,
  VoiceJoinedEvent: MezonVoiceJoinedEvent,
  VoiceLeavedEvent: MezonVoiceLeavedEvent,
  ClanUpdatedEvent: MezonClanUpdatedEvent,
  ClanEventCreated: MezonCreateEventRequest,
  GiveCoffee: MezonGiveCoffeeEvent,
  TokenSend: MezonTokenSentEvent,
  Notification: MezonNotifications,
} as const;

/**
 * Event type name → codec of its data: the seed's 21 plus every further push
 * of the current schema's Envelope that a bot receives (channel archive, role
 * events, streaming, dropdown, WebRTC signaling, quick menu, AI agent, ...;
 * codecs.generated.ts, generated from the schema). Names follow mezon-sdk's
 * Events enum where it has one, else the message name.
 */
export const MEZON_CODECS = { ...MEZON_SEED_CODECS, ...MEZON_EXTRA_CODECS } as const;

/** Every typed Mezon event type. */
export type MezonEventType = keyof typeof MEZON_CODECS;
/** The seed's 21 event types. */
export type MezonSeedEventType = keyof typeof MEZON_SEED_CODECS;

/**
 * Envelope field → event type (seed Events enum name → PascalCase):
 * CHANNEL_MESSAGE channel_message → ChannelMessage, MESSAGE_REACTION
 * message_reaction_event → MessageReaction, ..., TOKEN_SEND token_sent_event →
 * TokenSend, NOTIFICATION notifications → Notification.
 */
export const MEZON_EVENT_FIELDS: Readonly<Record<string, MezonEventType>> = {
  channel_message: 'ChannelMessage',
  message_reaction_event: 'MessageReaction',
  message_typing_event: 'MessageTypingEvent',
  message_button_clicked: 'MessageButtonClicked',
  channel_created_event: 'ChannelCreated',
  channel_updated_event: 'ChannelUpdated',
  channel_deleted_event: 'ChannelDeleted',
  channel_presence_event: 'ChannelPresenceEvent',
  user_channel_added_event: 'UserChannelAdded',
  user_channel_removed_event: 'UserChannelRemoved',
  user_clan_removed_event: 'UserClanRemoved',
  add_clan_user_event: 'AddClanUser',
  voice_started_event: 'VoiceStartedEvent',
  voice_ended_event: 'VoiceEndedEvent',
  voice_joined_event: 'VoiceJoinedEvent',
  voice_leaved_event: 'VoiceLeavedEvent',
  clan_updated_event: 'ClanUpdatedEvent',
  clan_event_created: 'ClanEventCreated',
  give_coffee_event: 'GiveCoffee',
  token_sent_event: 'TokenSend',
  notifications: 'Notification',
  ...MEZON_EXTRA_EVENT_FIELDS,
};

/** The reverse table: event type → Envelope field (for test servers and encoders). */
export const MEZON_FIELD_OF: Readonly<Record<MezonEventType, string>> = Object.fromEntries(
  Object.entries(MEZON_EVENT_FIELDS).map(([field, type]) => [type, field]),
) as Record<MezonEventType, string>;

/** Every typed Mezon push event. */
export type MezonDataEvent = DecodedEvents<MezonSource, typeof MEZON_CODECS>;

/**
 * Lifecycle in the core shapes (src/core/lifecycle.ts), in the same union so
 * its order against data events is observable. Connecting's url has no token
 * (the API base, or the socket base); Connected adds the connection id and
 * framing; Ready lists the clans joined and those that failed.
 */
export type MezonLifecycleEvent =
  | SourceEvent<MezonSource, 'Connecting', ConnectingData>
  | SourceEvent<MezonSource, 'Connected', ConnectedData & { readonly connectionId: number; readonly format: 'protobuf' | 'json' }>
  | SourceEvent<MezonSource, 'Ready', { readonly clans: readonly string[]; readonly failed: readonly string[] }>
  | SourceEvent<MezonSource, 'Disconnected', DisconnectedData>
  | SourceEvent<MezonSource, 'Reconnecting', ReconnectingData>
  | SourceEvent<MezonSource, 'Closed', ClosedData>;

/**
 * A push with no typed event (a reply-only field, or a field number this
 * schema lacks: `#<n>`): `tag` and `field` name the Envelope field, `decoded`
 * is its value as the schema decodes it (raw bytes for unknown numbers), `raw` the frame.
 */
export type MezonUnknownEvent = SourceEvent<MezonSource, 'Unknown', UnknownEvent<MezonSource>['data'] & { readonly field: string | undefined; readonly decoded: unknown }>;

/** Everything `mezon().events$` emits. */
export type MezonEvent = MezonDataEvent | MezonLifecycleEvent | MezonUnknownEvent | DecodeErrorEvent<MezonSource>;

/** The Mezon event of one `type`. */
export type MezonEventOf<T extends MezonEvent['type']> = Extract<MezonEvent, { type: T }>;

/** How a push frame decodes: tag = the Envelope field's event type, payload = its value (channel messages completed). */
export const MEZON_DECODE: DecodeSpec<MezonSource, typeof MEZON_CODECS, MezonFrame> = {
  source: MEZON_SOURCE,
  codecs: MEZON_CODECS,
  tag: (f) => (f.field === undefined ? undefined : MEZON_EVENT_FIELDS[f.field] ?? f.field),
  payload: (f) => (f.field === 'channel_message' ? normalizeChannelMessage(f.payload) : f.payload),
  raw: (f) => f.raw,
};

/**
 * One server push → its typed event (Unknown / DecodeError on bad input; never throws).
 * A channel message parseBinary decoded with the schema skips the codec's pass (its
 * values have the codec's types by construction: typedChannelMessage); any
 * other payload, or one whose content does not parse, is validated.
 */
export function decodeMezonPush(frame: MezonFrame): MezonEvent {
  if (frame.field === 'channel_message' && isSchemaFrame(frame)) {
    const data = typedChannelMessage(frame.payload as Record<string, unknown>);
    if (data !== undefined) return { source: MEZON_SOURCE, type: 'ChannelMessage', data };
  }
  const e = decodeFrame(MEZON_DECODE, frame);
  if (e.type !== 'Unknown') return e as MezonEvent;
  return { source: MEZON_SOURCE, type: 'Unknown', data: { tag: frame.field, raw: frame.raw, field: frame.field, decoded: frame.payload } };
}
