/**
 * The Mezon event union: one member per Envelope push field, named after the
 * seed's Events enum in PascalCase, plus lifecycle, Unknown and DecodeError.
 */
import type { ClosedData, ConnectedData, ConnectingData, DecodedEvents, DecodeErrorEvent, DecodeSpec, DisconnectedData, ReconnectingData, SourceEvent, UnknownEvent } from '../../core';
import { decodeFrame } from '../../core';
import { normalizeChannelMessage } from './channelMessage';
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
import type { MezonFrame } from './frame';

export const MEZON_SOURCE = 'mezon' as const;
export type MezonSource = typeof MEZON_SOURCE;

/** Event type name → codec of its data. */
export const MEZON_CODECS = {
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

export type MezonEventType = keyof typeof MEZON_CODECS;

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
};

/** The reverse table: event type → Envelope field (for test servers and encoders). */
export const MEZON_FIELD_OF: Readonly<Record<MezonEventType, string>> = Object.fromEntries(
  Object.entries(MEZON_EVENT_FIELDS).map(([field, type]) => [type, field]),
) as Record<MezonEventType, string>;

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

export type MezonEvent = MezonDataEvent | MezonLifecycleEvent | UnknownEvent<MezonSource> | DecodeErrorEvent<MezonSource>;

export type MezonEventOf<T extends MezonEvent['type']> = Extract<MezonEvent, { type: T }>;

export const MEZON_DECODE: DecodeSpec<MezonSource, typeof MEZON_CODECS, MezonFrame> = {
  source: MEZON_SOURCE,
  codecs: MEZON_CODECS,
  tag: (f) => (f.field === undefined ? undefined : MEZON_EVENT_FIELDS[f.field] ?? f.field),
  payload: (f) => (f.field === 'channel_message' ? normalizeChannelMessage(f.payload) : f.payload),
  raw: (f) => f.raw,
};

/** One server push → its typed event (Unknown / DecodeError on bad input; never throws). */
export function decodeMezonPush(frame: MezonFrame): MezonEvent {
  return decodeFrame(MEZON_DECODE, frame);
}
