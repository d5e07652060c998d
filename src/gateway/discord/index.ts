/**
 * rxwire/discord — the Discord gateway as a typed event stream.
 *
 * DESIGN: `discord(options)` returns `{ events$, updatePresence,
 * updateVoiceState, requestGuildMembers }` (the source contract;
 * `discordGateway` is the deprecated alias). Pipeline per shard: transport
 * (shared cold `ws` with `maxPayload` + inflate stage with bounded inflated
 * size and pending buffer + rate-limited send queue, 120 per 61 s (Discord's
 * 60 s plus a margin) for every send, heartbeats and identify included; ws's
 * UTF-8 scan is skipped, the text is decoded with replacement and parsed)
 * → frame decoder (decoder.ts: `textInput` parses `{op,d,s,t}`, checked by
 * hand, and `stepFrame` runs the session step guarded; the fuzz targets
 * `discord.decode.*` start here) → session (a pure
 * `(state, input) => [state, outputs]`: Hello, Identify/Resume, heartbeat
 * with jitter, zombie detection, op 7/9, every close code mapped, resume URL
 * policy and fallback, persistence hooks) → dispatch decoding (one lookup on
 * a null-prototype table to the io-ts codec, `is` fast path; every current
 * receive event typed, unknown names as `Dispatch`) → `events$`, a
 * `DiscordEvent` union tagged with shard id and seq, lifecycle events in the
 * core shapes. shard.ts is the only I/O and guards frame handling (a bug on
 * one frame becomes a DecodeError); gateway.ts merges the shards (GET
 * /gateway/bot through ky for `shardCount: 'auto'`, one identify throttler
 * per handle: max_concurrency buckets, 5 s + margin, session_start_limit),
 * shares them (`shareSource`) and redacts the token as the last stage (one
 * fused stage from the plan to the shards, no switchMap/merge chain per
 * frame; redact.ts: an allow-list of typed data dispatches skips the walk,
 * everything else is redacted). Fatal
 * close codes emit Closed and error the stream with a FatalCloseError;
 * everything else reconnects and resumes.
 */
export { discord, discordGateway, type DiscordHandle, type DiscordOptions, type DiscordGateway, type DiscordGatewayOptions, type PresenceUpdate as PresenceUpdatePayload, type VoiceStateUpdate as VoiceStateUpdatePayload, type RequestGuildMembers, type GuildMembersChunkEvent } from './gateway';
export { shardEvents, DEFAULT_PROPERTIES, MAX_SEND_BYTES, type ShardOptions, type ShardHandle, type DiscordSessionInfo } from './shard';
export { fetchGatewayBot, GatewayBotInfo, DISCORD_API_URL, type GatewayBotRequest } from './gatewayBot';
export { acceptResumeUrl } from './resumeUrl';
export { shardFor } from './shardFor';
export { createIdentifyThrottler, type IdentifyThrottler, type IdentifyThrottlerOptions, type SessionStartLimit } from './identifyThrottle';
export { step as discordSessionStep, initialSession as initialDiscordSession, gatewayUrl, type SessionConfig as DiscordSessionConfig, type SessionState as DiscordSessionState, type SessionInput as DiscordSessionInput, type SessionOutput as DiscordSessionOutput, type GatewayPayload, type IdentifyProperties, type StoredSession as DiscordStoredSession, type Phase as DiscordSessionPhase, type TimerName as DiscordSessionTimerName, type Step as DiscordSessionStepResult } from './session';
export { closeDecision, RESUME_CLOSE_CODE, type CloseDecision } from './closeCodes';
export { parseFrame, Op, type GatewayFrame } from './frame';
export { discordCodecs, DISPATCH_TYPES, dispatchTypeName, wireName, Ready, type DiscordCodecs, type plainCodecs } from './codecs/events';
export * from './codecs/models';
export * from './codecs/resources';
export type { DiscordEvent, DiscordEventBody, DiscordEventType, DiscordLifecycleEvent, DiscordDispatchEvent, DiscordSource } from './events';
export type { WsConnection, WsInbound, WsOptions, CompressionMode, InflateOptions, SendQueue, SendQueueOptions } from '../transport';
