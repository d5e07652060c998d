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
 * backoff 5 s → 60 s, and runs actions (send, react, join) as cold Observables
 * that complete on the server's reply and fail with ActionDroppedError when a
 * disconnect dropped them. `mezon(options)` is the factory (`mezonClient` a
 * deprecated alias). Secrets (API key, session tokens) pass a redactor
 * (secrets.ts) on every lifecycle event, error and log line.
 *
 * Schema: rxwire's own copy of the official protocol (mezonai/mezon-protocol
 * realtime.proto + api.proto), generated into schema.generated.ts by
 * scripts/gen-mezon-schema.ts, decoded by wire.ts over @bufbuild/protobuf's
 * BinaryReader/BinaryWriter (an optional peer dependency: zero dependencies
 * of its own). Binary frames first take the generated straight-line decoder
 * (decode.generated.ts, from the same table by the same script; primitives
 * in fastWire.ts): one function per message, locals then one object literal,
 * varints and UTF-8 read straight from the bytes. It takes every Envelope
 * message field and gives up on anything unusual (string cid, map or
 * wrapper set, group, wire-type mismatch, malformed input), which wire.ts
 * then decodes: its values are wire.ts's, bit for bit (tests and a fuzz
 * target hold the two side by side). Frames decoded with the schema are
 * branded (frame.ts); a branded channel_message skips its io-ts pass, whose
 * types the decoder guarantees (content is still parsed and checked; bad
 * content takes the validating path to its DecodeError). The current generation (int32 Envelope.cid, int32
 * UserPresence.session_id, MessageRef.message_sender_avatar) is written; the
 * previous one (string cid) is read too. cid 0, "" or absent is a push.
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
 * Beyond the seed: 50 more pushes of the current Envelope, typed by codecs
 * generated from the schema (codecs.generated.ts: ChannelArchiveEvent,
 * RoleEvent, RoleAssign, Streaming*, DropdownBoxSelected, WebrtcSignalingFwd,
 * QuickMenu, AIAgentEnabledEvent, ...; names from mezon-sdk's Events enum
 * where it has one). Any other field: Unknown with the field name and the
 * decoded object.
 * Lifecycle (core shapes): Connecting, Connected, Ready (clans joined),
 * Disconnected, Reconnecting, Closed. Bad input: DecodeError (never thrown).
 * Limits: maxPayload per WebSocket message, maxApiResponseBytes per raw API
 * response, nesting depth MAX_DEPTH; unmatched API chunks are dropped at once.
 */
export * from './codecs';
export * from './codecs.generated';
export { withDefault, Int64String, BytesC } from './protoCodecs';
export * from './events';
export { parseBinary, parseText, encodeApiChunk, API_CHUNK_MARKER, API_FIN, type MezonFrame, type MezonInbound } from './frame';
export {
  decodeEnvelopeBinary,
  encodeEnvelopeBinary,
  decodeEnvelopeJson,
  encodeEnvelopeJson,
  decodeEnvelopeBinaryParts,
  decodeEnvelopeJsonParts,
  envelopeField,
  envelopeSchema,
  type EnvelopeObject,
  type EnvelopeParts,
  type EnvelopeWriteOptions,
} from './protobuf';
export { wireMessage, decodeBinary, encodeBinary, fromJson, toJson, defaults, MAX_DEPTH, MEZON_EMBEDDED_LISTS, type WireMessage, type WireField } from './wire';
export { MEZON_SCHEMA_COMMIT } from './schema.generated';
export { normalizeChannelMessage, parseContent } from './channelMessage';
export { MezonRuntimeMissingError } from './loadProtobuf';
export { MezonSecrets } from './secrets';
export * from './session';
export { authenticate, MezonSessionResponse, type MezonCredentials, type MezonAuthOptions } from './auth';
export * from './client';
