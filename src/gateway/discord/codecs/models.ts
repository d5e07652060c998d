/**
 * io-ts codecs of the Discord objects the gateway events carry, in the wire's
 * own field names, following Discord's docs (developers/resources/*) and
 * cross-checked field by field against discord-api-types
 * (test/discord/codecs-crosscheck.test.ts). Required keys are the ones
 * Discord always sends; the rest are in `t.partial` so the `is` fast path
 * holds on real payloads. Unknown extra keys pass through untouched.
 */
import * as t from 'io-ts';

/** A snowflake id (a decimal string). */
export const Snowflake = t.string;
const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/** A user (developers/resources/user#user-object). */
export const User = t.intersection([
  t.type({ id: Snowflake, username: t.string, discriminator: t.string, global_name: nullable(t.string), avatar: nullable(t.string) }),
  t.partial({ bot: t.boolean, system: t.boolean, public_flags: t.number, banner: nullable(t.string), accent_color: nullable(t.number), flags: t.number, premium_type: t.number }),
]);
/** A user (decoded). */
export type User = t.TypeOf<typeof User>;

const MemberFields = {
  nick: nullable(t.string),
  avatar: nullable(t.string),
  banner: nullable(t.string),
  premium_since: nullable(t.string),
  pending: t.boolean,
  communication_disabled_until: nullable(t.string),
};

/** A guild member (developers/resources/guild#guild-member-object). */
export const GuildMember = t.intersection([
  t.type({ user: User, roles: t.array(Snowflake), joined_at: nullable(t.string), deaf: t.boolean, mute: t.boolean, flags: t.number }),
  t.partial(MemberFields),
]);
/** A guild member (decoded). */
export type GuildMember = t.TypeOf<typeof GuildMember>;

/** A guild member without `user` (MESSAGE_CREATE's `member`). */
export const GuildMemberNoUser = t.intersection([t.type({ roles: t.array(Snowflake), joined_at: nullable(t.string), deaf: t.boolean, mute: t.boolean, flags: t.number }), t.partial(MemberFields)]);

/** A role (developers/topics/permissions#role-object). */
export const Role = t.intersection([
  t.type({ id: Snowflake, name: t.string, color: t.number, hoist: t.boolean, position: t.number, permissions: t.string, managed: t.boolean, mentionable: t.boolean, flags: t.number }),
  t.partial({ icon: nullable(t.string), unicode_emoji: nullable(t.string) }),
]);
/** A role (decoded). */
export type Role = t.TypeOf<typeof Role>;

/** An emoji (developers/resources/emoji#emoji-object). */
export const Emoji = t.intersection([
  t.type({ id: nullable(Snowflake), name: nullable(t.string) }),
  t.partial({ roles: t.array(Snowflake), user: User, require_colons: t.boolean, managed: t.boolean, animated: t.boolean, available: t.boolean }),
]);
/** An emoji (decoded). */
export type Emoji = t.TypeOf<typeof Emoji>;

const ChannelFields = {
  topic: nullable(t.string),
  nsfw: t.boolean,
  last_message_id: nullable(Snowflake),
  parent_id: nullable(Snowflake),
  permission_overwrites: t.array(t.UnknownRecord),
  rate_limit_per_user: t.number,
  last_pin_timestamp: nullable(t.string),
  flags: t.number,
};

/** Any channel, as GUILD_CREATE's `channels` carry them (developers/resources/channel#channel-object). */
export const Channel = t.intersection([
  t.type({ id: Snowflake, type: t.number, name: nullable(t.string) }),
  t.partial({ guild_id: Snowflake, position: t.number, recipients: t.array(User), ...ChannelFields }),
]);
/** A channel (decoded). */
export type Channel = t.TypeOf<typeof Channel>;

/** A guild channel, as CHANNEL_CREATE/UPDATE/DELETE carry it. */
export const GuildChannel = t.intersection([t.type({ id: Snowflake, type: t.number, name: t.string, guild_id: Snowflake, position: t.number }), t.partial(ChannelFields)]);
/** A guild channel (decoded). */
export type GuildChannel = t.TypeOf<typeof GuildChannel>;

/** An attachment (developers/resources/message#attachment-object). */
export const Attachment = t.intersection([
  t.type({ id: Snowflake, filename: t.string, size: t.number, url: t.string, proxy_url: t.string }),
  t.partial({ content_type: t.string, height: nullable(t.number), width: nullable(t.number), description: t.string, ephemeral: t.boolean, flags: t.number }),
]);

/** A message (developers/resources/message#message-object) with MESSAGE_CREATE's extra fields. */
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
    mentions: t.array(t.UnknownRecord),
    mention_roles: t.array(Snowflake),
    attachments: t.array(Attachment),
    embeds: t.array(t.UnknownRecord),
    pinned: t.boolean,
    type: t.number,
  }),
  t.partial({
    guild_id: Snowflake,
    member: GuildMemberNoUser,
    nonce: t.union([t.string, t.number]),
    webhook_id: Snowflake,
    reactions: t.array(t.UnknownRecord),
    flags: t.number,
    referenced_message: nullable(t.UnknownRecord),
    message_reference: t.UnknownRecord,
    components: t.array(t.UnknownRecord),
    application_id: Snowflake,
    position: t.number,
  }),
]);
/** A message (decoded). */
export type Message = t.TypeOf<typeof Message>;

/** An unavailable guild (developers/resources/guild#unavailable-guild-object). */
export const UnavailableGuild = t.intersection([t.type({ id: Snowflake }), t.partial({ unavailable: t.boolean })]);
/** An unavailable guild (decoded). */
export type UnavailableGuild = t.TypeOf<typeof UnavailableGuild>;

/** A guild (developers/resources/guild#guild-object): the fields rxwire types; the rest pass through. */
export const Guild = t.type({ id: Snowflake, name: t.string, icon: nullable(t.string), owner_id: Snowflake, roles: t.array(Role), emojis: t.array(Emoji), features: t.array(t.string) });
/** A guild (decoded). */
export type Guild = t.TypeOf<typeof Guild>;

/** An activity (developers/events/gateway-events#activity-object). */
export const Activity = t.intersection([
  t.type({ name: t.string, type: t.number, created_at: t.number }),
  t.partial({ url: nullable(t.string), state: nullable(t.string), details: nullable(t.string), application_id: Snowflake, timestamps: t.UnknownRecord, emoji: t.UnknownRecord, flags: t.number }),
]);

/** A presence without its guild (GUILD_MEMBERS_CHUNK's `presences`): `user` may hold only its id. */
export const Presence = t.intersection([
  t.type({ user: t.intersection([t.type({ id: Snowflake }), t.partial({ username: t.string })]) }),
  t.partial({ status: t.string, activities: t.array(Activity), client_status: t.UnknownRecord }),
]);

/** A presence (developers/events/gateway-events#presence-update). */
export const PresenceUpdate = t.intersection([Presence, t.type({ guild_id: Snowflake })]);
/** A presence (decoded). */
export type PresenceUpdate = t.TypeOf<typeof PresenceUpdate>;

/** A voice state (developers/resources/voice#voice-state-object). */
export const VoiceState = t.intersection([
  t.type({
    channel_id: nullable(Snowflake),
    user_id: Snowflake,
    session_id: t.string,
    deaf: t.boolean,
    mute: t.boolean,
    self_deaf: t.boolean,
    self_mute: t.boolean,
    self_video: t.boolean,
    suppress: t.boolean,
    request_to_speak_timestamp: nullable(t.string),
  }),
  t.partial({ guild_id: Snowflake, member: GuildMember, self_stream: t.boolean }),
]);
/** A voice state (decoded). */
export type VoiceState = t.TypeOf<typeof VoiceState>;
