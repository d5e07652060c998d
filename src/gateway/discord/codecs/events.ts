/**
 * The codec of each dispatch's `d`, keyed by the event's type name: every
 * receive event in Discord's gateway events docs
 * (developers/events/gateway-events.mdx in discord/discord-api-docs) and
 * discord-api-types' `GatewayDispatchEvents`. `DISPATCH_TYPES` maps the wire
 * name (MESSAGE_CREATE) to the type name (MessageCreate) in one lookup on a
 * null-prototype table; dispatches Discord adds later become `Dispatch`
 * events with their raw data.
 */
import * as t from 'io-ts';
import { withFastGuard } from './fastGuard';
import { Channel, Emoji, Guild, GuildChannel, GuildMember, Message, Presence, PresenceUpdate, Role, Snowflake, UnavailableGuild, User, VoiceState } from './models';
import {
  ApplicationCommandPermission,
  AuditLogEntry,
  AutoModerationAction,
  AutoModerationRule,
  Entitlement,
  GuildScheduledEvent,
  Integration,
  Interaction,
  SoundboardSound,
  StageInstance,
  Sticker,
  Subscription,
  Thread,
  ThreadMember,
  VoiceChannelEffect,
} from './resources';

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/** READY (developers/events/gateway-events#ready). */
export const Ready = t.intersection([
  t.type({
    v: t.number,
    user: User,
    guilds: t.array(t.type({ id: Snowflake, unavailable: t.boolean })),
    session_id: t.string,
    application: t.type({ id: Snowflake, flags: t.number }),
  }),
  // resume_gateway_url: required in Discord's docs, but a READY without it must still be a Ready
  // (the session then resumes on the configured URL).
  t.partial({ resume_gateway_url: t.string, shard: t.tuple([t.number, t.number]) }),
]);
/** READY (decoded). */
export type Ready = t.TypeOf<typeof Ready>;

const GuildId = t.type({ guild_id: Snowflake });
/** GUILD_CREATE during an outage: only the id (disco: `unavailable` means "not loaded yet", not "left"). */
const OutageGuild = t.type({ id: Snowflake, unavailable: t.literal(true) });
/** An available guild with GUILD_CREATE's extra fields (developers/events/gateway-events#guild-create). */
const GuildCreateFull = t.intersection([
  Guild,
  t.type({
    joined_at: t.string,
    large: t.boolean,
    member_count: t.number,
    voice_states: t.array(t.UnknownRecord),
    members: t.array(GuildMember),
    channels: t.array(Channel),
    threads: t.array(Channel),
    presences: t.array(t.UnknownRecord),
    stage_instances: t.array(t.UnknownRecord),
    guild_scheduled_events: t.array(t.UnknownRecord),
    soundboard_sounds: t.array(t.UnknownRecord),
  }),
  t.partial({ unavailable: t.boolean }),
]);
const MessageReaction = t.intersection([
  t.type({ user_id: Snowflake, channel_id: Snowflake, message_id: Snowflake, emoji: Emoji }),
  t.type({ burst: t.boolean, type: t.number }),
  t.partial({ guild_id: Snowflake, member: GuildMember, message_author_id: Snowflake, burst_colors: t.array(t.string) }),
]);

/**
 * Dispatch codecs, keyed by rxwire name (the PascalCase of the wire `t`): the codec of each event's `d`.
 *
 * @internal The table before the guards are compiled in: use `discordCodecs` (same type, `DiscordCodecs`).
 */
export const plainCodecs = {
  Ready,
  Resumed: t.unknown,
  /** A full guild, or `{id, unavailable: true}` for a guild in an outage. */
  GuildCreate: t.union([GuildCreateFull, OutageGuild]),
  GuildUpdate: Guild,
  GuildDelete: UnavailableGuild,
  ChannelCreate: GuildChannel,
  ChannelUpdate: GuildChannel,
  ChannelDelete: GuildChannel,
  ChannelPinsUpdate: t.intersection([t.type({ channel_id: Snowflake }), t.partial({ guild_id: Snowflake, last_pin_timestamp: nullable(t.string) })]),
  GuildBanAdd: t.type({ guild_id: Snowflake, user: User }),
  GuildBanRemove: t.type({ guild_id: Snowflake, user: User }),
  GuildEmojisUpdate: t.type({ guild_id: Snowflake, emojis: t.array(Emoji) }),
  GuildIntegrationsUpdate: GuildId,
  GuildMembersChunk: t.intersection([
    t.type({ guild_id: Snowflake, members: t.array(GuildMember), chunk_index: t.number, chunk_count: t.number }),
    t.partial({ not_found: t.array(t.unknown), presences: t.array(Presence), nonce: t.string }),
  ]),
  GuildMemberAdd: t.intersection([GuildMember, GuildId]),
  GuildMemberRemove: t.type({ guild_id: Snowflake, user: User }),
  GuildMemberUpdate: t.intersection([
    t.type({ guild_id: Snowflake, roles: t.array(Snowflake), user: User, joined_at: nullable(t.string), avatar: nullable(t.string), banner: nullable(t.string) }),
    t.partial({ nick: nullable(t.string), premium_since: nullable(t.string), deaf: t.boolean, mute: t.boolean, pending: t.boolean, communication_disabled_until: nullable(t.string), flags: t.number }),
  ]),
  GuildRoleCreate: t.type({ guild_id: Snowflake, role: Role }),
  GuildRoleUpdate: t.type({ guild_id: Snowflake, role: Role }),
  GuildRoleDelete: t.type({ guild_id: Snowflake, role_id: Snowflake }),
  MessageCreate: Message,
  MessageUpdate: Message,
  MessageDelete: t.intersection([t.type({ id: Snowflake, channel_id: Snowflake }), t.partial({ guild_id: Snowflake })]),
  MessageDeleteBulk: t.intersection([t.type({ ids: t.array(Snowflake), channel_id: Snowflake }), t.partial({ guild_id: Snowflake })]),
  PresenceUpdate,
  TypingStart: t.intersection([t.type({ channel_id: Snowflake, user_id: Snowflake, timestamp: t.number }), t.partial({ guild_id: Snowflake, member: GuildMember })]),
  VoiceStateUpdate: VoiceState,
  VoiceServerUpdate: t.type({ token: t.string, guild_id: Snowflake, endpoint: nullable(t.string) }),
  WebhooksUpdate: t.type({ guild_id: Snowflake, channel_id: Snowflake }),
  MessageReactionAdd: MessageReaction,
  MessageReactionRemove: t.intersection([t.type({ user_id: Snowflake, channel_id: Snowflake, message_id: Snowflake, emoji: Emoji }), t.partial({ guild_id: Snowflake })]),
  MessageReactionRemoveAll: t.intersection([t.type({ channel_id: Snowflake, message_id: Snowflake }), t.partial({ guild_id: Snowflake })]),
  MessageReactionRemoveEmoji: t.intersection([t.type({ channel_id: Snowflake, message_id: Snowflake, emoji: Emoji }), t.partial({ guild_id: Snowflake })]),
  RateLimited: t.type({ opcode: t.number, retry_after: t.number, meta: t.unknown }),
  ApplicationCommandPermissionsUpdate: t.type({ id: Snowflake, application_id: Snowflake, guild_id: Snowflake, permissions: t.array(ApplicationCommandPermission) }),
  AutoModerationRuleCreate: AutoModerationRule,
  AutoModerationRuleUpdate: AutoModerationRule,
  AutoModerationRuleDelete: AutoModerationRule,
  AutoModerationActionExecution: t.intersection([
    t.type({ guild_id: Snowflake, action: AutoModerationAction, rule_id: Snowflake, rule_trigger_type: t.number, user_id: Snowflake, content: t.string, matched_keyword: nullable(t.string), matched_content: nullable(t.string) }),
    t.partial({ channel_id: Snowflake, message_id: Snowflake, alert_system_message_id: Snowflake }),
  ]),
  ChannelInfo: t.type({
    guild_id: Snowflake,
    channels: t.array(t.intersection([t.type({ id: Snowflake }), t.partial({ status: nullable(t.string), voice_start_time: nullable(t.number) })])),
  }),
  VoiceChannelStatusUpdate: t.type({ id: Snowflake, guild_id: Snowflake, status: nullable(t.string) }),
  VoiceChannelStartTimeUpdate: t.intersection([t.type({ id: Snowflake, guild_id: Snowflake }), t.partial({ voice_start_time: nullable(t.number) })]),
  ThreadCreate: t.intersection([Thread, t.partial({ newly_created: t.literal(true) })]),
  ThreadUpdate: Thread,
  ThreadDelete: t.type({ id: Snowflake, guild_id: Snowflake, parent_id: Snowflake, type: t.number }),
  ThreadListSync: t.intersection([t.type({ guild_id: Snowflake, threads: t.array(Thread), members: t.array(ThreadMember) }), t.partial({ channel_ids: t.array(Snowflake) })]),
  ThreadMemberUpdate: t.intersection([ThreadMember, GuildId]),
  ThreadMembersUpdate: t.intersection([
    t.type({ id: Snowflake, guild_id: Snowflake, member_count: t.number }),
    t.partial({ added_members: t.array(ThreadMember), removed_member_ids: t.array(Snowflake) }),
  ]),
  EntitlementCreate: Entitlement,
  EntitlementUpdate: Entitlement,
  EntitlementDelete: Entitlement,
  GuildAuditLogEntryCreate: t.intersection([AuditLogEntry, GuildId]),
  GuildStickersUpdate: t.type({ guild_id: Snowflake, stickers: t.array(Sticker) }),
  GuildScheduledEventCreate: GuildScheduledEvent,
  GuildScheduledEventUpdate: GuildScheduledEvent,
  GuildScheduledEventDelete: GuildScheduledEvent,
  GuildScheduledEventUserAdd: t.type({ guild_scheduled_event_id: Snowflake, user_id: Snowflake, guild_id: Snowflake }),
  GuildScheduledEventUserRemove: t.type({ guild_scheduled_event_id: Snowflake, user_id: Snowflake, guild_id: Snowflake }),
  GuildSoundboardSoundCreate: SoundboardSound,
  GuildSoundboardSoundUpdate: SoundboardSound,
  GuildSoundboardSoundDelete: t.type({ sound_id: Snowflake, guild_id: Snowflake }),
  GuildSoundboardSoundsUpdate: t.type({ soundboard_sounds: t.array(SoundboardSound), guild_id: Snowflake }),
  SoundboardSounds: t.type({ soundboard_sounds: t.array(SoundboardSound), guild_id: Snowflake }),
  IntegrationCreate: t.intersection([Integration, GuildId]),
  IntegrationUpdate: t.intersection([Integration, GuildId]),
  IntegrationDelete: t.intersection([t.type({ id: Snowflake, guild_id: Snowflake }), t.partial({ application_id: Snowflake })]),
  InteractionCreate: Interaction,
  InviteCreate: t.intersection([
    t.type({ channel_id: Snowflake, code: t.string, created_at: t.string, max_age: t.number, max_uses: t.number, temporary: t.boolean, uses: t.number, expires_at: nullable(t.string) }),
    t.partial({ guild_id: Snowflake, inviter: User, target_type: t.number, target_user: User, target_application: t.UnknownRecord, role_ids: t.array(Snowflake) }),
  ]),
  InviteDelete: t.intersection([t.type({ channel_id: Snowflake, code: t.string }), t.partial({ guild_id: Snowflake })]),
  MessagePollVoteAdd: t.intersection([t.type({ user_id: Snowflake, channel_id: Snowflake, message_id: Snowflake, answer_id: t.number }), t.partial({ guild_id: Snowflake })]),
  MessagePollVoteRemove: t.intersection([t.type({ user_id: Snowflake, channel_id: Snowflake, message_id: Snowflake, answer_id: t.number }), t.partial({ guild_id: Snowflake })]),
  StageInstanceCreate: StageInstance,
  StageInstanceUpdate: StageInstance,
  StageInstanceDelete: StageInstance,
  SubscriptionCreate: Subscription,
  SubscriptionUpdate: Subscription,
  SubscriptionDelete: Subscription,
  UserUpdate: User,
  VoiceChannelEffectSend: VoiceChannelEffect,
};
/** The codec table type: event type name → codec of its `d`. */
export type DiscordCodecs = typeof plainCodecs;

/** The codec table, each codec with a compiled `is` for the validation fast path (fastGuard.ts). */
export const discordCodecs: DiscordCodecs = Object.fromEntries(Object.entries(plainCodecs).map(([k, c]) => [k, withFastGuard(c)])) as unknown as DiscordCodecs;

/** MessageCreate → MESSAGE_CREATE (the wire name of a codec table key). */
export function wireName(type: string): string {
  return WIRE_OVERRIDES[type] ?? type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Keys whose wire name the camel-case rule does not give. */
const WIRE_OVERRIDES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {});

/** MESSAGE_CREATE → MessageCreate. */
export function dispatchTypeName(wire: string): string {
  return wire
    .toLowerCase()
    .split('_')
    .map((w) => (w.length > 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join('');
}

/** Wire dispatch name → codec table key, for the names the table knows. */
export const DISPATCH_TYPES: Readonly<Record<string, keyof DiscordCodecs | undefined>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, keyof DiscordCodecs>,
    Object.fromEntries((Object.keys(discordCodecs) as Array<keyof DiscordCodecs>).map((k) => [wireName(k), k])),
  ),
);
