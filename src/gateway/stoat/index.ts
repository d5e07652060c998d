/**
 * rxwire/stoat: Stoat's (formerly Revolt's) Bonfire gateway as typed events.
 *
 * DESIGN
 * - handle: `stoat(options)` (`stoat.ts`) = `{ events$, beginTyping, endTyping, subscribe }`.
 *   `events$ = shareSource(driver ∘ redacted)`: one socket while anyone listens. Actions
 *   hold `events$`, wait for a Ready (the driver's `StoatLink`), complete once written
 *   (Bonfire acknowledges nothing), error with ActionDroppedError if the source ends first.
 *   `stoatGateway` is the deprecated alias (`stoat(o).events$`).
 * - transport: the shared cold WebSocket (`../transport`), one socket per connection.
 * - framing: one message = one EventV1, JSON text or MessagePack (rmp-serde named) binary
 *   (`frame.ts`). MessagePack frames pass a linear, allocation-free shape check first
 *   (`msgpackShape.ts`: depth ≤ `maxFrameDepth`, announced lengths ≤ bytes left).
 * - decode: wire `type` → rxwire name (stoat.py's class names without `Event`) → io-ts
 *   codec, one record lookup (`codecs/events.ts`, core `decodeFrame`). Codecs follow the
 *   backend's Rust models (serde optionality); timestamps decode to ISO strings from both
 *   framings (`Timestamp`). A compiled guard (`codecs/guard.ts`) is the fast path.
 * - session: a pure step function (`session.ts`): Authenticate/Authenticated/Ready,
 *   Ping/Pong dead-connection detection, Bulk unpacked in order (≤ MAX_BULK_DEPTH deep),
 *   Error/Logout → typed fatal errors. The driver (`gateway.ts`) does the I/O, guards every
 *   socket callback (a bug on a frame becomes a DecodeError), logs, and reconnects with
 *   backoff: Disconnected {reason, willReconnect, code?} + Reconnecting, or Disconnected +
 *   Closed before a fatal error. No resume: each reconnect ends in a fresh Ready
 *   (`reconnect: true`). `commands` (BeginTyping, EndTyping, Subscribe) go out after Ready.
 * - cache: `withStoatCache` = core `withCache` + an immutable reducer (`cache.ts`) over
 *   persistent maps, following stoat.py's `process()` (read states, settings, the own user,
 *   DM index); the intercept stage (`cancelWhen`/`uncancel`) sees the event, the cache and
 *   the would-be `after`; `beforeOf`/`afterOf`/`deletedMessagesOf` select what an event
 *   was about before and after it.
 */
export * from './events';
export { stoat, stoatGateway, type StoatHandle } from './stoat';
export { connectStoat, stoatUrl, type StoatOptions, type StoatGatewayOptions, type StoatReadyField, type StoatLink, type StoatDriverContext } from './gateway';
export { withStoatCache, type StoatCachedEvent, type StoatCacheOptions } from './withStoatCache';
export { emptyStoatCache, reduceStoatCache, getMessage, getMember, getRole, getUserVoiceState, getMe, getReadState, getDirectMessage, memberKey, UNKNOWN_JOINED_AT, type StoatCache } from './cache';
export { beforeOf, afterOf, entityOf, deletedMessagesOf, type StoatEntity, type StoatEntityOf, type WithStates } from './snapshots';
export { stepSession, initialSession, errorKind, MAX_BULK_DEPTH, type SessionConfig, type SessionPhase, type SessionState, type SessionInput, type SessionOutput, type StoatClientMessage } from './session';
export { parseText, parseBinary, encodeFrame, frameTag, stoatDecodeSpec, MAX_FRAME_DEPTH, type StoatFormat, type StoatFrame, type ParsedFrame } from './frame';
export { checkMsgpackShape } from './msgpackShape';
export { stoatCodecs, wireToName, nameToWire, ReadyData, type StoatCodecs, type StoatEventName, type plainCodecs } from './codecs/events';
/**
 * io-ts codecs of the Stoat objects events carry (`StoatModels.Message`, `StoatModels.User`, `StoatModels.Channel`, ...),
 * each with its type of the same name: the wire's field names, optionality as the backend's Rust models serialize them,
 * timestamps as ISO 8601 strings from both framings.
 */
export * as StoatModels from './codecs/models';
export { PersistentMap } from './persistentMap';
export { cancelWhen, uncancel, ofType, type InterceptContext } from '../../core';
