/**
 * io-ts codecs of the Stoat (Revolt) objects that ride on Bonfire events, in
 * the wire's own field names, following the backend's Rust models
 * (stoatchat/stoatchat `crates/core/models/src/v0/*.rs`, the auth models in
 * `crates/core/database/src/models/{accounts,sessions}/model.rs`).
 *
 * Optionality follows serde: a field with `skip_serializing_if` may be absent
 * (`t.partial`, never null); an `Option` without it is always sent and may be
 * null (required, `nullable`); everything else is required. Partial* types are
 * the `revolt_optional_struct` partials: every field optional, never null.
 *
 * Timestamps: Bonfire serializes `iso8601_timestamp::Timestamp` as an ISO
 * 8601 string in JSON and, through rmp-serde (not human-readable), as integer
 * milliseconds since the epoch in MessagePack. Both decode to ONE type: the
 * ISO string (`2025-01-01T00:00:00.000Z`), so a user's code does not depend on
 * the framing.
 */
import * as t from 'io-ts';

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/**
 * A timestamp, as an ISO 8601 string. Accepts the JSON form (a string) and the
 * MessagePack form (integer ms since the epoch), which it turns into the ISO
 * string. Its `is` accepts strings only, so a number takes the decode path.
 */
export const Timestamp = new t.Type<string, string, unknown>(
  'Timestamp',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    if (typeof u === 'string') return t.success(u);
    if (typeof u === 'number' && Number.isSafeInteger(u) && Math.abs(u) <= 8.64e15) return t.success(new Date(u).toISOString());
    return t.failure(u, c, 'expected an ISO 8601 string or integer milliseconds');
  },
  (a) => a,
);
/** The decoded type of `Timestamp`. */
export type Timestamp = t.TypeOf<typeof Timestamp>;

const Dimensions = { width: t.number, height: t.number };

/** File metadata (files.rs `Metadata`, tagged by `type`). */
export const FileMetadata = t.union([
  t.type({ type: t.literal('File') }),
  t.type({ type: t.literal('Text') }),
  t.type({ type: t.literal('Image'), ...Dimensions, thumbhash: nullable(t.array(t.number)), animated: nullable(t.boolean) }),
  t.type({ type: t.literal('Video'), ...Dimensions }),
  t.type({ type: t.literal('Audio') }),
]);
/** The decoded type of `FileMetadata`. */
export type FileMetadata = t.TypeOf<typeof FileMetadata>;

/** An uploaded file: avatar, icon, attachment (files.rs `File`). */
export const File = t.intersection([
  t.type({ _id: t.string, tag: t.string, filename: t.string, metadata: FileMetadata, content_type: t.string, size: t.number }),
  t.partial({ deleted: t.boolean, reported: t.boolean, message_id: t.string, user_id: t.string, server_id: t.string, object_id: t.string }),
]);
/** The decoded type of `File`. */
export type File = t.TypeOf<typeof File>;

/** users.rs `RelationshipStatus`. */
export const RelationshipStatus = t.keyof({ None: null, User: null, Friend: null, Outgoing: null, Incoming: null, Blocked: null, BlockedOther: null });
/** The decoded type of `RelationshipStatus`. */
export type RelationshipStatus = t.TypeOf<typeof RelationshipStatus>;

/** users.rs `Relationship`: the own user's relation with another. */
export const Relationship = t.type({ _id: t.string, status: RelationshipStatus });
/** The decoded type of `Relationship`. */
export type Relationship = t.TypeOf<typeof Relationship>;

/** users.rs `Presence`. */
export const Presence = t.keyof({ Online: null, Idle: null, Focus: null, Busy: null, Invisible: null });

/** users.rs `UserStatus`. */
export const UserStatus = t.partial({ text: t.string, presence: Presence });
/** The decoded type of `UserStatus`. */
export type UserStatus = t.TypeOf<typeof UserStatus>;

const userOptional = {
  display_name: t.string,
  pronouns: t.string,
  avatar: File,
  relations: t.array(Relationship),
  badges: t.number,
  status: UserStatus,
  flags: t.number,
  privileged: t.boolean,
  bot: t.type({ owner: t.string }),
};

/** users.rs `User`. */
export const User = t.intersection([
  t.type({ _id: t.string, username: t.string, discriminator: t.string, relationship: RelationshipStatus, online: t.boolean }),
  t.partial(userOptional),
]);
/** The decoded type of `User`. */
export type User = t.TypeOf<typeof User>;

/** users.rs `PartialUser`. */
export const PartialUser = t.partial({ _id: t.string, username: t.string, discriminator: t.string, relationship: RelationshipStatus, online: t.boolean, ...userOptional });
/** The decoded type of `PartialUser`. */
export type PartialUser = t.TypeOf<typeof PartialUser>;

/** users.rs `FieldsUser`. */
export const FieldsUser = t.keyof({ Avatar: null, StatusText: null, StatusPresence: null, ProfileContent: null, ProfileBackground: null, DisplayName: null, Pronouns: null, Internal: null });

/** revolt_permissions `OverrideField`: `{ a: allow, d: deny }`. */
export const OverrideField = t.type({ a: t.number, d: t.number });
/** The decoded type of `OverrideField`. */
export type OverrideField = t.TypeOf<typeof OverrideField>;

const roleOptional = { colour: t.string, hoist: t.boolean, icon: File };

/** servers.rs `Role`. */
export const Role = t.intersection([t.type({ _id: t.string, name: t.string, permissions: OverrideField, rank: t.number }), t.partial(roleOptional)]);
/** The decoded type of `Role`. */
export type Role = t.TypeOf<typeof Role>;

/** servers.rs `PartialRole`. */
export const PartialRole = t.partial({ _id: t.string, name: t.string, permissions: OverrideField, rank: t.number, ...roleOptional });
/** The decoded type of `PartialRole`. */
export type PartialRole = t.TypeOf<typeof PartialRole>;

/** servers.rs `FieldsRole`. */
export const FieldsRole = t.keyof({ Colour: null, Icon: null });

/** servers.rs `Category`. */
export const Category = t.type({ id: t.string, title: t.string, channels: t.array(t.string) });

/** servers.rs `SystemMessageChannels`. */
export const SystemMessageChannels = t.partial({ user_joined: t.string, user_left: t.string, user_kicked: t.string, user_banned: t.string });

const serverOptional = {
  description: t.string,
  categories: t.array(Category),
  system_messages: SystemMessageChannels,
  roles: t.record(t.string, Role),
  icon: File,
  banner: File,
  flags: t.number,
  nsfw: t.boolean,
  analytics: t.boolean,
  discoverable: t.boolean,
};

/** servers.rs `Server`. */
export const Server = t.intersection([
  t.type({ _id: t.string, owner: t.string, name: t.string, channels: t.array(t.string), default_permissions: t.number, approximate_member_count: t.number }),
  t.partial(serverOptional),
]);
/** The decoded type of `Server`. */
export type Server = t.TypeOf<typeof Server>;

/** servers.rs `PartialServer`. */
export const PartialServer = t.partial({ _id: t.string, owner: t.string, name: t.string, channels: t.array(t.string), default_permissions: t.number, approximate_member_count: t.number, ...serverOptional });
/** The decoded type of `PartialServer`. */
export type PartialServer = t.TypeOf<typeof PartialServer>;

/** servers.rs `FieldsServer`. */
export const FieldsServer = t.keyof({ Description: null, Categories: null, SystemMessages: null, Icon: null, Banner: null });

/** channels.rs `VoiceInformation`. */
export const VoiceInformation = t.partial({ max_users: t.number });

/** channels.rs `Channel::SavedMessages`. */
export const SavedMessagesChannel = t.type({ channel_type: t.literal('SavedMessages'), _id: t.string, user: t.string });
/** channels.rs `Channel::DirectMessage`. */
export const DirectMessageChannel = t.intersection([
  t.type({ channel_type: t.literal('DirectMessage'), _id: t.string, active: t.boolean, recipients: t.array(t.string) }),
  t.partial({ last_message_id: t.string }),
]);
/** channels.rs `Channel::Group`. */
export const GroupChannel = t.intersection([
  t.type({ channel_type: t.literal('Group'), _id: t.string, name: t.string, owner: t.string, recipients: t.array(t.string) }),
  t.partial({ description: t.string, icon: File, last_message_id: t.string, permissions: t.number, nsfw: t.boolean }),
]);
/** channels.rs `Channel::TextChannel` (voice channels are text channels with `voice`). */
export const TextChannel = t.intersection([
  t.type({ channel_type: t.literal('TextChannel'), _id: t.string, server: t.string, name: t.string }),
  t.partial({
    description: t.string,
    icon: File,
    last_message_id: t.string,
    default_permissions: OverrideField,
    role_permissions: t.record(t.string, OverrideField),
    nsfw: t.boolean,
    voice: VoiceInformation,
    slowmode: t.number,
  }),
]);

/** channels.rs `Channel`, tagged by `channel_type`. */
export const Channel = t.union([SavedMessagesChannel, DirectMessageChannel, GroupChannel, TextChannel]);
/** The decoded type of `Channel`. */
export type Channel = t.TypeOf<typeof Channel>;

/** channels.rs `PartialChannel`. */
export const PartialChannel = t.partial({
  name: t.string,
  owner: t.string,
  description: t.string,
  icon: File,
  nsfw: t.boolean,
  active: t.boolean,
  permissions: t.number,
  role_permissions: t.record(t.string, OverrideField),
  default_permissions: OverrideField,
  last_message_id: t.string,
  voice: VoiceInformation,
  slowmode: t.number,
});
/** The decoded type of `PartialChannel`. */
export type PartialChannel = t.TypeOf<typeof PartialChannel>;

/** channels.rs `FieldsChannel`. */
export const FieldsChannel = t.keyof({ Description: null, Icon: null, DefaultPermissions: null, Voice: null, Slowmode: null });

/** server_members.rs `MemberCompositeKey`. */
export const MemberCompositeKey = t.type({ server: t.string, user: t.string });
/** The decoded type of `MemberCompositeKey`. */
export type MemberCompositeKey = t.TypeOf<typeof MemberCompositeKey>;

const memberOptional = {
  nickname: t.string,
  pronouns: t.string,
  avatar: File,
  roles: t.array(t.string),
  timeout: Timestamp,
  can_publish: t.boolean,
  can_receive: t.boolean,
};

/** server_members.rs `Member`. */
export const Member = t.intersection([t.type({ _id: MemberCompositeKey, joined_at: Timestamp }), t.partial(memberOptional)]);
/** The decoded type of `Member`. */
export type Member = t.TypeOf<typeof Member>;

/** server_members.rs `PartialMember`. */
export const PartialMember = t.partial({ _id: MemberCompositeKey, joined_at: Timestamp, ...memberOptional });
/** The decoded type of `PartialMember`. */
export type PartialMember = t.TypeOf<typeof PartialMember>;

/** server_members.rs `FieldsMember`. */
export const FieldsMember = t.keyof({ Nickname: null, Pronouns: null, Avatar: null, Roles: null, Timeout: null, CanReceive: null, CanPublish: null, JoinedAt: null, VoiceChannel: null });

/** server_members.rs `RemovalIntention`. */
export const RemovalIntention = t.keyof({ Leave: null, Kick: null, Ban: null });

/** embeds.rs `Image`. */
export const EmbedImage = t.type({ url: t.string, ...Dimensions, size: t.keyof({ Large: null, Preview: null }) });
/** embeds.rs `Video`. */
export const EmbedVideo = t.type({ url: t.string, ...Dimensions });

/** embeds.rs `Embed`, tagged by `type`. `special` (a tagged union of site-specific data) is kept as a record with its `type`. */
export const Embed = t.union([
  t.intersection([
    t.type({ type: t.literal('Website') }),
    t.partial({
      url: t.string,
      original_url: t.string,
      special: t.intersection([t.type({ type: t.string }), t.UnknownRecord]),
      title: t.string,
      description: t.string,
      image: EmbedImage,
      video: EmbedVideo,
      site_name: t.string,
      icon_url: t.string,
      colour: t.string,
    }),
  ]),
  t.intersection([t.type({ type: t.literal('Image') }), EmbedImage]),
  t.intersection([t.type({ type: t.literal('Video') }), EmbedVideo]),
  t.intersection([
    t.type({ type: t.literal('Text') }),
    t.partial({ icon_url: t.string, url: t.string, title: t.string, description: t.string, media: File, colour: t.string }),
  ]),
  t.type({ type: t.literal('None') }),
]);
/** The decoded type of `Embed`. */
export type Embed = t.TypeOf<typeof Embed>;

const by = { by: t.string };
/** messages.rs `SystemMessage`, tagged by `type`. */
export const SystemMessage = t.union([
  t.type({ type: t.literal('text'), content: t.string }),
  t.type({ type: t.literal('user_added'), id: t.string, ...by }),
  t.type({ type: t.literal('user_remove'), id: t.string, ...by }),
  t.type({ type: t.literal('user_joined'), id: t.string }),
  t.type({ type: t.literal('user_left'), id: t.string }),
  t.type({ type: t.literal('user_kicked'), id: t.string }),
  t.type({ type: t.literal('user_banned'), id: t.string }),
  t.type({ type: t.literal('channel_renamed'), name: t.string, ...by }),
  t.type({ type: t.literal('channel_description_changed'), ...by }),
  t.type({ type: t.literal('channel_icon_changed'), ...by }),
  t.type({ type: t.literal('channel_ownership_changed'), from: t.string, to: t.string }),
  t.type({ type: t.literal('message_pinned'), id: t.string, ...by }),
  t.type({ type: t.literal('message_unpinned'), id: t.string, ...by }),
  t.type({ type: t.literal('call_started'), ...by, finished_at: nullable(Timestamp) }),
]);
/** The decoded type of `SystemMessage`. */
export type SystemMessage = t.TypeOf<typeof SystemMessage>;

/** channel_webhooks.rs `MessageWebhook`. */
export const MessageWebhook = t.type({ name: t.string, avatar: nullable(t.string) });
/** messages.rs `Interactions`. */
export const Interactions = t.partial({ reactions: t.array(t.string), restrict_reactions: t.boolean });
/** messages.rs `Masquerade`. */
export const Masquerade = t.partial({ name: t.string, avatar: t.string, colour: t.string });

const messageOptional = {
  nonce: t.string,
  user: User,
  member: Member,
  webhook: MessageWebhook,
  content: t.string,
  system: SystemMessage,
  attachments: t.array(File),
  edited: Timestamp,
  embeds: t.array(Embed),
  mentions: t.array(t.string),
  role_mentions: t.array(t.string),
  replies: t.array(t.string),
  reactions: t.record(t.string, t.array(t.string)),
  interactions: Interactions,
  masquerade: Masquerade,
  pinned: t.boolean,
  flags: t.number,
};

/** messages.rs `Message`. */
export const Message = t.intersection([t.type({ _id: t.string, channel: t.string, author: t.string }), t.partial(messageOptional)]);
/** The decoded type of `Message`. */
export type Message = t.TypeOf<typeof Message>;

/** messages.rs `PartialMessage`. */
export const PartialMessage = t.partial({ _id: t.string, channel: t.string, author: t.string, ...messageOptional });
/** The decoded type of `PartialMessage`. */
export type PartialMessage = t.TypeOf<typeof PartialMessage>;

/** messages.rs `FieldsMessage`. */
export const FieldsMessage = t.keyof({ Pinned: null });

/** messages.rs `AppendMessage`. */
export const AppendMessage = t.partial({ embeds: t.array(Embed) });
/** The decoded type of `AppendMessage`. */
export type AppendMessage = t.TypeOf<typeof AppendMessage>;

/** emojis.rs `EmojiParent`, tagged by `type`. */
export const EmojiParent = t.union([t.type({ type: t.literal('Server'), id: t.string }), t.type({ type: t.literal('Detached') })]);

/** emojis.rs `Emoji`. */
export const Emoji = t.intersection([t.type({ _id: t.string, parent: EmojiParent, creator_id: t.string, name: t.string }), t.partial({ animated: t.boolean, nsfw: t.boolean })]);
/** The decoded type of `Emoji`. */
export type Emoji = t.TypeOf<typeof Emoji>;

/** emojis.rs `PartialEmoji`. */
export const PartialEmoji = t.partial({ name: t.string });
/** The decoded type of `PartialEmoji`. */
export type PartialEmoji = t.TypeOf<typeof PartialEmoji>;

const voiceFields = { id: t.string, joined_at: Timestamp, is_receiving: t.boolean, is_publishing: t.boolean, screensharing: t.boolean, camera: t.boolean };

/** users.rs `UserVoiceState`. */
export const UserVoiceState = t.type(voiceFields);
/** The decoded type of `UserVoiceState`. */
export type UserVoiceState = t.TypeOf<typeof UserVoiceState>;

/** users.rs `PartialUserVoiceState`. */
export const PartialUserVoiceState = t.partial(voiceFields);
/** The decoded type of `PartialUserVoiceState`. */
export type PartialUserVoiceState = t.TypeOf<typeof PartialUserVoiceState>;

/** channels.rs `ChannelVoiceState`: who is in a voice channel. */
export const ChannelVoiceState = t.type({ id: t.string, participants: t.array(UserVoiceState) });
/** The decoded type of `ChannelVoiceState`. */
export type ChannelVoiceState = t.TypeOf<typeof ChannelVoiceState>;

/** channel_webhooks.rs `Webhook`. Its `token` is the webhook's secret. */
export const Webhook = t.intersection([
  t.type({ id: t.string, name: t.string, creator_id: t.string, channel_id: t.string, permissions: t.number, token: nullable(t.string) }),
  t.partial({ avatar: File }),
]);
/** The decoded type of `Webhook`. */
export type Webhook = t.TypeOf<typeof Webhook>;

/** channel_webhooks.rs `PartialWebhook`. */
export const PartialWebhook = t.partial({ id: t.string, name: t.string, avatar: File, creator_id: t.string, channel_id: t.string, permissions: t.number, token: t.string });
/** The decoded type of `PartialWebhook`. */
export type PartialWebhook = t.TypeOf<typeof PartialWebhook>;

/** channel_webhooks.rs `FieldsWebhook`. */
export const FieldsWebhook = t.keyof({ Avatar: null });

const ContentReportReason = t.keyof({
  NoneSpecified: null,
  Illegal: null,
  IllegalGoods: null,
  IllegalExtortion: null,
  IllegalPornography: null,
  IllegalHacking: null,
  ExtremeViolence: null,
  PromotesHarm: null,
  UnsolicitedSpam: null,
  Raid: null,
  SpamAbuse: null,
  ScamsFraud: null,
  Malware: null,
  Harassment: null,
});
const UserReportReason = t.keyof({ NoneSpecified: null, UnsolicitedSpam: null, SpamAbuse: null, InappropriateProfile: null, Impersonation: null, BanEvasion: null, Underage: null });

/** safety_reports.rs `ReportedContent`, tagged by `type`. */
export const ReportedContent = t.union([
  t.type({ type: t.literal('Message'), id: t.string, report_reason: ContentReportReason }),
  t.type({ type: t.literal('Server'), id: t.string, report_reason: ContentReportReason }),
  t.type({ type: t.literal('User'), id: t.string, report_reason: UserReportReason, message_id: nullable(t.string) }),
]);

/** safety_reports.rs `Report` (its `ReportStatus` is flattened in, tagged by `status`). */
export const Report = t.intersection([
  t.type({ _id: t.string, author_id: t.string, content: ReportedContent, additional_context: t.string, notes: t.string }),
  t.union([
    t.type({ status: t.literal('Created') }),
    t.type({ status: t.literal('Rejected'), rejection_reason: t.string, closed_at: nullable(Timestamp) }),
    t.type({ status: t.literal('Resolved'), closed_at: nullable(Timestamp) }),
  ]),
]);
/** The decoded type of `Report`. */
export type Report = t.TypeOf<typeof Report>;

/** channel_unreads.rs `ChannelUnread`: the own read state of a channel. */
export const ChannelUnread = t.intersection([t.type({ _id: t.type({ channel: t.string, user: t.string }) }), t.partial({ last_id: t.string, mentions: t.array(t.string) })]);
/** The decoded type of `ChannelUnread`. */
export type ChannelUnread = t.TypeOf<typeof ChannelUnread>;

/** policy_changes.rs `PolicyChange`. */
export const PolicyChange = t.type({ created_time: Timestamp, effective_time: Timestamp, description: t.string, url: t.string });
/** The decoded type of `PolicyChange`. */
export type PolicyChange = t.TypeOf<typeof PolicyChange>;

/** user_settings.rs `UserSettings`: key → `[updated at (ms), JSON value as text]`. */
export const UserSettings = t.record(t.string, t.tuple([t.number, t.string]));
/** The decoded type of `UserSettings`. */
export type UserSettings = t.TypeOf<typeof UserSettings>;

/** The database's `Session` (sessions/model.rs), as CreateSession carries it. Its `token` is that session's secret. */
export const Session = t.intersection([
  t.type({ _id: t.string, user_id: t.string, token: t.string, name: t.string, last_seen: Timestamp }),
  t.partial({ origin: t.string, subscription: t.type({ endpoint: t.string, p256dh: t.string, auth: t.string }) }),
]);
/** The decoded type of `Session`. */
export type Session = t.TypeOf<typeof Session>;

const expiring = { token: t.string, expiry: Timestamp };
/** The database's `Account` (accounts/model.rs), as CreateAccount carries it (internal event; holds secrets). */
export const Account = t.type({
  _id: t.string,
  email: t.string,
  email_normalised: t.string,
  password: t.string,
  disabled: t.boolean,
  verification: t.union([
    t.type({ status: t.literal('Verified') }),
    t.type({ status: t.literal('Pending'), ...expiring }),
    t.type({ status: t.literal('Moving'), new_email: t.string, ...expiring }),
  ]),
  password_reset: nullable(t.type(expiring)),
  deletion: nullable(
    t.union([
      t.type({ status: t.literal('WaitingForVerification'), ...expiring }),
      t.type({ status: t.literal('Scheduled'), after: Timestamp }),
      t.type({ status: t.literal('Deleted') }),
    ]),
  ),
  lockout: nullable(t.type({ attempts: t.number, expiry: nullable(Timestamp) })),
  mfa: t.partial({
    totp_token: t.union([t.literal('Disabled'), t.type({ Pending: t.type({ secret: t.string }) }), t.type({ Enabled: t.type({ secret: t.string }) })]),
    recovery_codes: t.array(t.string),
  }),
});
/** The decoded type of `Account`. */
export type Account = t.TypeOf<typeof Account>;

/** channels.rs `ChannelSlowmode`: an active slowmode of the own user (seconds). */
export const ChannelSlowmode = t.type({ channel_id: t.string, duration: t.number, retry_after: t.number });
/** The decoded type of `ChannelSlowmode`. */
export type ChannelSlowmode = t.TypeOf<typeof ChannelSlowmode>;
