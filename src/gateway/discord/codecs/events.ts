/**
 * The codec of each dispatch's `d`, keyed by the event's type name: the
 * disco event set (Ready ... MessageReactionRemoveAll). `DISPATCH_TYPES` maps
 * the wire name (MESSAGE_CREATE) to the type name (MessageCreate) in one
 * lookup; other dispatches become `Dispatch` events with their raw data.
 */
import * as t from 'io-ts';
import { withFastGuard } from './fastGuard';
import { Channel, Emoji, Guild, GuildMember, Message, PresenceUpdate, Role, Snowflake, UnavailableGuild, User, VoiceState } from './models';

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

export const Ready = t.intersection([
  t.type({
    v: t.number,
    user: User,
    guilds: t.array(UnavailableGuild),
    session_id: t.string,
  }),
  // resume_gateway_url: required in Discord's docs, but a READY without it must still be a Ready
  // (the session then resumes on the configured URL).
  t.partial({ resume_gateway_url: t.string, shard: t.tuple([t.number, t.number]), application: t.type({ id: Snowflake }) }),
]);
export type Ready = t.TypeOf<typeof Ready>;

const GuildId = t.type({ guild_id: Snowflake });
/** GUILD_CREATE during an outage: only the id (disco: `unavailable` means "not loaded yet", not "left"). */
const OutageGuild = t.type({ id: Snowflake, unavailable: t.literal(true) });
const MessageReaction = t.intersection([
  t.type({ user_id: Snowflake, channel_id: Snowflake, message_id: Snowflake, emoji: Emoji }),
  t.partial({ guild_id: Snowflake, member: GuildMember, burst: t.boolean, type: t.number }),
]);

const plainCodecs = {
  Ready,
  Resumed: t.unknown,
  /** A full guild, or `{id, unavailable: true}` for a guild in an outage. */
  GuildCreate: t.union([Guild, OutageGuild]),
  GuildUpdate: Guild,
  GuildDelete: UnavailableGuild,
  ChannelCreate: Channel,
  ChannelUpdate: Channel,
  ChannelDelete: Channel,
  ChannelPinsUpdate: t.intersection([t.type({ channel_id: Snowflake }), t.partial({ guild_id: Snowflake, last_pin_timestamp: nullable(t.string) })]),
  GuildBanAdd: t.type({ guild_id: Snowflake, user: User }),
  GuildBanRemove: t.type({ guild_id: Snowflake, user: User }),
  GuildEmojisUpdate: t.type({ guild_id: Snowflake, emojis: t.array(Emoji) }),
  GuildIntegrationsUpdate: GuildId,
  GuildMembersChunk: t.intersection([
    t.type({ guild_id: Snowflake, members: t.array(GuildMember), chunk_index: t.number, chunk_count: t.number }),
    t.partial({ not_found: t.array(t.unknown), presences: t.array(PresenceUpdate), nonce: t.string }),
  ]),
  GuildMemberAdd: t.intersection([GuildMember, GuildId]),
  GuildMemberRemove: t.type({ guild_id: Snowflake, user: User }),
  GuildMemberUpdate: t.intersection([t.type({ guild_id: Snowflake, roles: t.array(Snowflake), user: User }), t.partial({ nick: nullable(t.string), joined_at: nullable(t.string) })]),
  GuildRoleCreate: t.type({ guild_id: Snowflake, role: Role }),
  GuildRoleUpdate: t.type({ guild_id: Snowflake, role: Role }),
  GuildRoleDelete: t.type({ guild_id: Snowflake, role_id: Snowflake }),
  MessageCreate: Message,
  MessageUpdate: t.intersection([t.type({ id: Snowflake, channel_id: Snowflake }), t.partial({ guild_id: Snowflake, content: t.string, edited_timestamp: nullable(t.string), author: User })]),
  MessageDelete: t.intersection([t.type({ id: Snowflake, channel_id: Snowflake }), t.partial({ guild_id: Snowflake })]),
  MessageDeleteBulk: t.intersection([t.type({ ids: t.array(Snowflake), channel_id: Snowflake }), t.partial({ guild_id: Snowflake })]),
  PresenceUpdate,
  TypingStart: t.intersection([t.type({ channel_id: Snowflake, user_id: Snowflake, timestamp: t.number }), t.partial({ guild_id: Snowflake, member: GuildMember })]),
  VoiceStateUpdate: VoiceState,
  VoiceServerUpdate: t.type({ token: t.string, guild_id: Snowflake, endpoint: nullable(t.string) }),
  WebhooksUpdate: t.type({ guild_id: Snowflake, channel_id: Snowflake }),
  MessageReactionAdd: MessageReaction,
  MessageReactionRemove: t.intersection([t.type({ user_id: Snowflake, channel_id: Snowflake, message_id: Snowflake, emoji: Emoji }), t.partial({ guild_id: Snowflake })]),
  RateLimited: t.type({ opcode: t.number, retry_after: t.number, meta: t.unknown }),
  MessageReactionRemoveAll: t.intersection([t.type({ channel_id: Snowflake, message_id: Snowflake }), t.partial({ guild_id: Snowflake })]),
};
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
