/**
 * rxwire/discord — the Discord gateway as a typed event stream.
 *
 * DESIGN: transport (shared cold `ws` + inflate stage + rate-limited send
 * queue) → frame parse (`{op,d,s,t}`, checked by hand) → session (a pure
 * `(state, input) => [state, outputs]` per shard: Hello, Identify/Resume,
 * heartbeat with jitter, zombie detection, op 7/9, every close code mapped)
 * → dispatch decoding (one record lookup to the io-ts codec, `is` fast path)
 * → `events$`, a `DiscordEvent` union tagged with shard id and seq. The
 * driver in shard.ts is the only I/O; shards merge in gateway.ts, sharing one
 * identify throttler (max_concurrency buckets). Fatal close codes error the
 * stream with a FatalCloseError; everything else reconnects and resumes.
 */
export { discord, discordGateway, type DiscordHandle, type DiscordOptions, type DiscordGateway, type DiscordGatewayOptions, type PresenceUpdate as PresenceUpdatePayload, type VoiceStateUpdate as VoiceStateUpdatePayload, type RequestGuildMembers, type GuildMembersChunkEvent } from './gateway';
export { shardEvents, DEFAULT_PROPERTIES, MAX_SEND_BYTES, type ShardOptions, type ShardHandle, type DiscordSessionInfo } from './shard';
export { fetchGatewayBot, GatewayBotInfo, DISCORD_API_URL, type GatewayBotRequest } from './gatewayBot';
export { acceptResumeUrl } from './resumeUrl';
export { shardFor } from './shardFor';
export { createIdentifyThrottler, type IdentifyThrottler, type IdentifyThrottlerOptions, type SessionStartLimit } from './identifyThrottle';
export { step as discordSessionStep, initialSession as initialDiscordSession, gatewayUrl, type SessionConfig as DiscordSessionConfig, type SessionState as DiscordSessionState, type SessionInput as DiscordSessionInput, type SessionOutput as DiscordSessionOutput, type GatewayPayload, type IdentifyProperties, type StoredSession as DiscordStoredSession } from './session';
export { closeDecision, RESUME_CLOSE_CODE, type CloseDecision } from './closeCodes';
export { parseFrame, Op, type GatewayFrame } from './frame';
export { discordCodecs, DISPATCH_TYPES, dispatchTypeName, wireName, Ready, type DiscordCodecs } from './codecs/events';
export * from './codecs/models';
export type { DiscordEvent, DiscordEventBody, DiscordEventType, DiscordLifecycleEvent, DiscordDispatchEvent, DiscordSource } from './events';
