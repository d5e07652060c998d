/**
 * rxwire/mezon: the Mezon realtime socket as one typed RxJS stream.
 *
 * DESIGN. transport (shared ws, `src/gateway/transport`) → framing (binary
 * protobuf Envelope, 0xFF raw API-response chunks, or JSON text frames;
 * frame.ts) → decode (the populated Envelope field picks an io-ts codec from a
 * Record in O(1); events.ts, codecs.ts) → session (pure step function:
 * clan joins before sends, cid matching, ping/pong, chunk reassembly;
 * session.ts) → `client.events$`, a `MezonEvent` union on `type`. The driver
 * (client.ts) authenticates over HTTP with ky (auth.ts), reconnects with
 * backoff 5 s → 60 s, and runs actions (send, react, join) as cold Observables.
 * Protobuf: the official canonical codec of mezon-js-protobuf (protobuf.ts).
 *
 * Event names: the seed's Events enum (Python SDK) in PascalCase, Envelope field in brackets:
 *   CHANNEL_MESSAGE → ChannelMessage (channel_message; content parsed, reactions/mentions/attachments/references decoded)
 *   MESSAGE_REACTION → MessageReaction (message_reaction_event)
 *   MESSAGE_TYPING_EVENT → MessageTypingEvent (message_typing_event)
 *   MESSAGE_BUTTON_CLICKED → MessageButtonClicked (message_button_clicked)
 *   CHANNEL_CREATED / CHANNEL_UPDATED / CHANNEL_DELETED → ChannelCreated / ChannelUpdated / ChannelDeleted (channel_*_event)
 *   CHANNEL_PRESENCE_EVENT → ChannelPresenceEvent (channel_presence_event)
 *   USER_CHANNEL_ADDED / USER_CHANNEL_REMOVED → UserChannelAdded / UserChannelRemoved (user_channel_*_event)
 *   USER_CLAN_REMOVED → UserClanRemoved (user_clan_removed_event); ADD_CLAN_USER → AddClanUser (add_clan_user_event)
 *   VOICE_STARTED/ENDED/JOINED/LEAVED_EVENT → VoiceStartedEvent / VoiceEndedEvent / VoiceJoinedEvent / VoiceLeavedEvent (voice_*_event)
 *   CLAN_UPDATED_EVENT → ClanUpdatedEvent (clan_updated_event); CLAN_EVENT_CREATED → ClanEventCreated (clan_event_created)
 *   GIVE_COFFEE → GiveCoffee (give_coffee_event); TOKEN_SEND → TokenSend (token_sent_event); NOTIFICATION → Notification (notifications)
 * Lifecycle: Connecting, Connected, Ready (clans joined), Disconnected, Reconnecting. Bad input: Unknown, DecodeError.
 */
export * from './codecs';
export { withDefault, Int64String, BytesC } from './protoCodecs';
export * from './events';
export { parseBinary, parseText, encodeApiChunk, type MezonFrame, type MezonInbound } from './frame';
export { decodeEnvelopeBinary, encodeEnvelopeBinary, decodeEnvelopeJson, encodeEnvelopeJson, envelopeField, type EnvelopeObject } from './protobuf';
export { normalizeChannelMessage } from './channelMessage';
export { mezonProtobuf, type MezonProtobuf } from './loadProtobuf';
export * from './session';
export { authenticate, MezonSessionResponse, type MezonCredentials, type MezonAuthOptions } from './auth';
export * from './client';
