/**
 * rxwire/stoat: Stoat's (formerly Revolt's) Bonfire gateway as typed events.
 *
 * DESIGN
 * - transport: the shared cold WebSocket (`../transport`), one socket per connection.
 * - framing: one message = one EventV1, JSON text or MessagePack binary (`frame.ts`).
 * - decode: wire `type` → rxwire name (stoat.py's class names without `Event`) → io-ts
 *   codec, one record lookup (`codecs/events.ts`, core `decodeFrame`).
 * - session: a pure step function (`session.ts`): Authenticate/Authenticated/Ready,
 *   Ping/Pong dead-connection detection, Bulk unpacked in order, Error/Logout → typed
 *   fatal errors. The driver (`gateway.ts`) does the I/O and reconnects with backoff;
 *   there is no resume, so each reconnect ends in a fresh Ready (`reconnect: true`).
 *   Client messages (BeginTyping, EndTyping, Subscribe) come in as an Observable
 *   (`commands`) and go out on each connection after its Ready.
 * - cache: `withStoatCache` = core `withCache` + an immutable reducer (`cache.ts`)
 *   over persistent maps; `cancelWhen` in its intercept stage keeps an event out of
 *   the cache while it still reaches subscribers; `beforeOf`/`afterOf` select the
 *   object an event is about in the cache before and after it.
 */
export * from './events';
export { stoat, stoatGateway, type StoatHandle } from './stoat';
export { connectStoat, stoatUrl, type StoatOptions, type StoatGatewayOptions, type StoatReadyField, type StoatLink, type StoatDriverContext } from './gateway';
export { withStoatCache, type StoatCachedEvent, type StoatCacheOptions } from './withStoatCache';
export { emptyStoatCache, reduceStoatCache, getMessage, getMember, getRole, getUserVoiceState, getMe, getReadState, getDirectMessage, memberKey, UNKNOWN_JOINED_AT, type StoatCache } from './cache';
export { beforeOf, afterOf, entityOf, deletedMessagesOf, type StoatEntity, type StoatEntityOf } from './snapshots';
export { stepSession, initialSession, errorKind, MAX_BULK_DEPTH, type SessionConfig, type SessionState, type SessionInput, type SessionOutput, type StoatClientMessage } from './session';
export { parseText, parseBinary, encodeFrame, frameTag, stoatDecodeSpec, MAX_FRAME_DEPTH, type StoatFormat, type StoatFrame, type ParsedFrame } from './frame';
export { checkMsgpackShape } from './msgpackShape';
export { stoatCodecs, wireToName, nameToWire, ReadyData, type StoatCodecs, type StoatEventName } from './codecs/events';
export * as StoatModels from './codecs/models';
export { PersistentMap } from './persistentMap';
export { cancelWhen, uncancel, ofType, type InterceptContext } from '../../core';
