/**
 * io-ts codecs of the Discord objects the gateway events carry, in the wire's
 * own field names. Required keys are the ones Discord always sends; the rest
 * are in `t.partial` so the `is` fast path holds on real payloads. Unknown
 * extra keys pass through untouched.
 */
import * as t from 'io-ts';

export const Snowflake = t.string;
const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

export const User = t.intersection([
  t.type({ id: Snowflake, username: t.string, avatar: nullable(t.string) }),
  t.partial({ discriminator: t.string, global_name: nullable(t.string), bot: t.boolean, system: t.boolean, public_flags: t.number }),
]);
export type User = t.TypeOf<typeof User>;

export const GuildMember = t.intersection([
  t.type({ roles: t.array(Snowflake) }),
  t.partial({
    user: User,
    nick: nullable(t.string),
    avatar: nullable(t.string),
    joined_at: nullable(t.string),
    premium_since: nullable(t.string),
    deaf: t.boolean,
    mute: t.boolean,
    pending: t.boolean,
    flags: t.number,
    communication_disabled_until: nullable(t.string),
  }),
]);
export type GuildMember = t.TypeOf<typeof GuildMember>;

export const Role = t.intersection([
  t.type({ id: Snowflake, name: t.string, color: t.number, hoist: t.boolean, position: t.number, permissions: t.string, managed: t.boolean, mentionable: t.boolean }),
  t.partial({ icon: nullable(t.string), unicode_emoji: nullable(t.string), flags: t.number }),
]);
export type Role = t.TypeOf<typeof Role>;

export const Emoji = t.intersection([
  t.type({ id: nullable(Snowflake), name: nullable(t.string) }),
  t.partial({ roles: t.array(Snowflake), user: User, require_colons: t.boolean, managed: t.boolean, animated: t.boolean, available: t.boolean }),
]);
export type Emoji = t.TypeOf<typeof Emoji>;

export const Channel = t.intersection([
  t.type({ id: Snowflake, type: t.number }),
  t.partial({
    guild_id: Snowflake,
    position: t.number,
    name: nullable(t.string),
    topic: nullable(t.string),
    nsfw: t.boolean,
    last_message_id: nullable(Snowflake),
    parent_id: nullable(Snowflake),
    permission_overwrites: t.array(t.unknown),
    rate_limit_per_user: t.number,
    recipients: t.array(User),
    last_pin_timestamp: nullable(t.string),
  }),
]);
export type Channel = t.TypeOf<typeof Channel>;

export const Attachment = t.intersection([
  t.type({ id: Snowflake, filename: t.string, size: t.number, url: t.string, proxy_url: t.string }),
  t.partial({ content_type: t.string, height: nullable(t.number), width: nullable(t.number) }),
]);

export const Message = t.intersection([
  t.type({
    id: Snowflake,
    channel_id: Snowflake,
    author: User,
    content: t.string,
    timestamp: t.string,
    edited_timestamp: nullable(t.string),
    tts: t.boolean,
    mention_everyone: t.boolean,
    mentions: t.array(t.unknown),
    mention_roles: t.array(Snowflake),
    attachments: t.array(Attachment),
    embeds: t.array(t.unknown),
    pinned: t.boolean,
    type: t.number,
  }),
  t.partial({
    guild_id: Snowflake,
    member: t.unknown,
    nonce: t.union([t.string, t.number]),
    webhook_id: Snowflake,
    reactions: t.array(t.unknown),
    flags: t.number,
    referenced_message: t.unknown,
    message_reference: t.unknown,
    components: t.array(t.unknown),
  }),
]);
export type Message = t.TypeOf<typeof Message>;

export const UnavailableGuild = t.intersection([t.type({ id: Snowflake }), t.partial({ unavailable: t.boolean })]);
export type UnavailableGuild = t.TypeOf<typeof UnavailableGuild>;

export const Guild = t.intersection([
  t.type({ id: Snowflake, name: t.string, owner_id: Snowflake, roles: t.array(Role), emojis: t.array(Emoji) }),
  t.partial({
    icon: nullable(t.string),
    unavailable: t.boolean,
    member_count: t.number,
    large: t.boolean,
    joined_at: t.string,
    members: t.array(GuildMember),
    channels: t.array(Channel),
    threads: t.array(Channel),
    presences: t.array(t.unknown),
    voice_states: t.array(t.unknown),
    features: t.array(t.string),
  }),
]);
export type Guild = t.TypeOf<typeof Guild>;

export const Activity = t.intersection([t.type({ name: t.string, type: t.number }), t.partial({ url: nullable(t.string), state: nullable(t.string) })]);

export const PresenceUpdate = t.intersection([
  t.type({ user: t.intersection([t.type({ id: Snowflake }), t.partial({ username: t.string })]), status: t.string }),
  t.partial({ guild_id: Snowflake, activities: t.array(Activity), client_status: t.UnknownRecord }),
]);
export type PresenceUpdate = t.TypeOf<typeof PresenceUpdate>;

export const VoiceState = t.intersection([
  t.type({ channel_id: nullable(Snowflake), user_id: Snowflake, session_id: t.string, deaf: t.boolean, mute: t.boolean, self_deaf: t.boolean, self_mute: t.boolean, suppress: t.boolean }),
  t.partial({ guild_id: Snowflake, member: GuildMember, self_stream: t.boolean, self_video: t.boolean, request_to_speak_timestamp: nullable(t.string) }),
]);
export type VoiceState = t.TypeOf<typeof VoiceState>;
