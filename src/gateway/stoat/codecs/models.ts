/**
 * io-ts codecs of the Stoat (Revolt) objects that ride on Bonfire events, in
 * the wire's own field names (cross-checked against stoat-api's OpenAPI
 * types). Identifying fields are required; everything the server may omit is
 * in a `t.partial`, so the codecs' fast `is` path accepts real payloads.
 * Nested objects the cache never reads (files, embeds, system messages) are
 * kept as `unknown` records rather than guessed at.
 */
import * as t from 'io-ts';

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/** An uploaded file (avatar, icon, attachment): only its id is relied on. */
export const File = t.intersection([t.type({ _id: t.string }), t.partial({ tag: t.string, filename: t.string, content_type: t.string, size: t.number })]);
export type File = t.TypeOf<typeof File>;

export const RelationshipStatus = t.keyof({
  None: null,
  User: null,
  Friend: null,
  Outgoing: null,
  Incoming: null,
  Blocked: null,
  BlockedOther: null,
});
export type RelationshipStatus = t.TypeOf<typeof RelationshipStatus>;

export const User = t.intersection([
  t.type({ _id: t.string, username: t.string, discriminator: t.string }),
  t.partial({
    display_name: nullable(t.string),
    avatar: nullable(File),
    relations: t.array(t.type({ _id: t.string, status: RelationshipStatus })),
    badges: t.number,
    status: nullable(t.partial({ text: nullable(t.string), presence: nullable(t.string) })),
    flags: t.number,
    privileged: t.boolean,
    bot: nullable(t.type({ owner: t.string })),
    relationship: RelationshipStatus,
    online: t.boolean,
  }),
]);
export type User = t.TypeOf<typeof User>;

export const PartialUser = t.partial({
  username: t.string,
  discriminator: t.string,
  display_name: nullable(t.string),
  avatar: nullable(File),
  badges: t.number,
  status: nullable(t.partial({ text: nullable(t.string), presence: nullable(t.string) })),
  flags: t.number,
  online: t.boolean,
  relationship: RelationshipStatus,
});
export type PartialUser = t.TypeOf<typeof PartialUser>;

/** `{ a: allow, d: deny }` permission override. */
export const OverrideField = t.type({ a: t.number, d: t.number });

export const Role = t.intersection([
  t.type({ name: t.string, permissions: OverrideField }),
  t.partial({ _id: t.string, colour: nullable(t.string), hoist: t.boolean, rank: t.number }),
]);
export type Role = t.TypeOf<typeof Role>;

export const PartialRole = t.partial({ _id: t.string, name: t.string, permissions: OverrideField, colour: nullable(t.string), hoist: t.boolean, rank: t.number });
export type PartialRole = t.TypeOf<typeof PartialRole>;

const serverOptional = {
  description: nullable(t.string),
  categories: nullable(t.array(t.type({ id: t.string, title: t.string, channels: t.array(t.string) }))),
  system_messages: nullable(t.UnknownRecord),
  roles: t.record(t.string, Role),
  icon: nullable(File),
  banner: nullable(File),
  flags: t.number,
  nsfw: t.boolean,
  analytics: t.boolean,
  discoverable: t.boolean,
};

export const Server = t.intersection([
  t.type({ _id: t.string, owner: t.string, name: t.string, channels: t.array(t.string), default_permissions: t.number }),
  t.partial(serverOptional),
]);
export type Server = t.TypeOf<typeof Server>;

export const PartialServer = t.partial({ owner: t.string, name: t.string, channels: t.array(t.string), default_permissions: t.number, ...serverOptional });
export type PartialServer = t.TypeOf<typeof PartialServer>;

const textish = {
  description: nullable(t.string),
  icon: nullable(File),
  last_message_id: nullable(t.string),
  default_permissions: nullable(OverrideField),
  role_permissions: t.record(t.string, OverrideField),
  nsfw: t.boolean,
  voice: nullable(t.UnknownRecord),
};

export const SavedMessagesChannel = t.type({ channel_type: t.literal('SavedMessages'), _id: t.string, user: t.string });
export const DirectMessageChannel = t.intersection([
  t.type({ channel_type: t.literal('DirectMessage'), _id: t.string, active: t.boolean, recipients: t.array(t.string) }),
  t.partial({ last_message_id: nullable(t.string) }),
]);
export const GroupChannel = t.intersection([
  t.type({ channel_type: t.literal('Group'), _id: t.string, name: t.string, owner: t.string, recipients: t.array(t.string) }),
  t.partial({ description: nullable(t.string), icon: nullable(File), last_message_id: nullable(t.string), permissions: nullable(t.number), nsfw: t.boolean }),
]);
export const TextChannel = t.intersection([
  t.type({ channel_type: t.literal('TextChannel'), _id: t.string, server: t.string, name: t.string }),
  t.partial(textish),
]);
/** Older servers send voice channels as their own type; newer ones as a TextChannel with `voice`. */
export const VoiceChannel = t.intersection([t.type({ channel_type: t.literal('VoiceChannel'), _id: t.string, server: t.string, name: t.string }), t.partial(textish)]);

export const PrivateChannel = t.union([SavedMessagesChannel, DirectMessageChannel, GroupChannel]);
export const ServerChannel = t.union([TextChannel, VoiceChannel]);
export const Channel = t.union([SavedMessagesChannel, DirectMessageChannel, GroupChannel, TextChannel, VoiceChannel]);
export type Channel = t.TypeOf<typeof Channel>;

export const PartialChannel = t.partial({
  name: t.string,
  owner: t.string,
  description: nullable(t.string),
  icon: nullable(File),
  nsfw: t.boolean,
  active: t.boolean,
  permissions: t.number,
  role_permissions: t.record(t.string, OverrideField),
  default_permissions: OverrideField,
  last_message_id: t.string,
  recipients: t.array(t.string),
  voice: t.UnknownRecord,
});
export type PartialChannel = t.TypeOf<typeof PartialChannel>;

export const MemberCompositeKey = t.type({ server: t.string, user: t.string });
export type MemberCompositeKey = t.TypeOf<typeof MemberCompositeKey>;

const memberOptional = {
  nickname: nullable(t.string),
  avatar: nullable(File),
  roles: t.array(t.string),
  timeout: nullable(t.string),
  can_publish: t.boolean,
  can_receive: t.boolean,
};

export const Member = t.intersection([t.type({ _id: MemberCompositeKey, joined_at: t.string }), t.partial(memberOptional)]);
export type Member = t.TypeOf<typeof Member>;

export const PartialMember = t.partial({ joined_at: t.string, ...memberOptional });
export type PartialMember = t.TypeOf<typeof PartialMember>;

const messageOptional = {
  nonce: nullable(t.string),
  user: nullable(User),
  member: nullable(Member),
  webhook: nullable(t.type({ name: t.string })),
  content: nullable(t.string),
  system: nullable(t.UnknownRecord),
  attachments: nullable(t.array(File)),
  edited: nullable(t.string),
  embeds: nullable(t.array(t.UnknownRecord)),
  mentions: nullable(t.array(t.string)),
  role_mentions: nullable(t.array(t.string)),
  replies: nullable(t.array(t.string)),
  reactions: t.record(t.string, t.array(t.string)),
  interactions: t.UnknownRecord,
  masquerade: nullable(t.UnknownRecord),
  pinned: nullable(t.boolean),
  flags: t.number,
};

export const Message = t.intersection([t.type({ _id: t.string, channel: t.string, author: t.string }), t.partial(messageOptional)]);
export type Message = t.TypeOf<typeof Message>;

export const PartialMessage = t.partial(messageOptional);
export type PartialMessage = t.TypeOf<typeof PartialMessage>;

export const AppendMessage = t.partial({ embeds: t.array(t.UnknownRecord) });
export type AppendMessage = t.TypeOf<typeof AppendMessage>;

export const EmojiParent = t.union([t.type({ type: t.literal('Server'), id: t.string }), t.type({ type: t.literal('Detached') })]);

export const Emoji = t.intersection([
  t.type({ _id: t.string, parent: EmojiParent, creator_id: t.string, name: t.string }),
  t.partial({ animated: t.boolean, nsfw: t.boolean }),
]);
export type Emoji = t.TypeOf<typeof Emoji>;

export const PartialEmoji = t.partial({ name: t.string, animated: t.boolean, nsfw: t.boolean });
export type PartialEmoji = t.TypeOf<typeof PartialEmoji>;

export const UserVoiceState = t.intersection([
  t.type({ id: t.string }),
  t.partial({ joined_at: t.number, is_receiving: t.boolean, is_publishing: t.boolean, screensharing: t.boolean, camera: t.boolean }),
]);
export type UserVoiceState = t.TypeOf<typeof UserVoiceState>;

export const PartialUserVoiceState = t.partial({ id: t.string, joined_at: t.number, is_receiving: t.boolean, is_publishing: t.boolean, screensharing: t.boolean, camera: t.boolean });
export type PartialUserVoiceState = t.TypeOf<typeof PartialUserVoiceState>;

export const ChannelVoiceState = t.type({ id: t.string, participants: t.array(UserVoiceState) });
export type ChannelVoiceState = t.TypeOf<typeof ChannelVoiceState>;

export const Webhook = t.intersection([
  t.type({ id: t.string, name: t.string, creator_id: t.string, channel_id: t.string, permissions: t.number }),
  t.partial({ avatar: nullable(File), token: nullable(t.string) }),
]);
export type Webhook = t.TypeOf<typeof Webhook>;

export const PartialWebhook = t.partial({ name: t.string, avatar: nullable(File), permissions: t.number });

export const Report = t.intersection([t.type({ _id: t.string, author_id: t.string }), t.partial({ content: t.UnknownRecord, additional_context: t.string, status: t.string })]);

export const ChannelUnread = t.intersection([
  t.type({ _id: t.type({ channel: t.string, user: t.string }) }),
  t.partial({ last_id: nullable(t.string), mentions: t.array(t.string) }),
]);

export const PolicyChange = t.type({ created_time: t.string, effective_time: t.string, description: t.string, url: t.string });

/** A session object of the account service (CreateSession). Its token, if present, is the user's secret. */
export const Session = t.intersection([t.type({ _id: t.string, user_id: t.string }), t.partial({ name: t.string, last_seen: t.string })]);

export const ChannelSlowmode = t.intersection([t.type({ channel_id: t.string }), t.partial({ expires_at: t.union([t.string, t.number]), duration: t.number })]);
