/**
 * The codec table of Bonfire's EventV1, keyed by rxwire's event names (the
 * stoat.py event class names without `Event`), and the wire tag → name map.
 * `data` is the frame object as sent (flattened events such as `Message` are
 * the object itself; the wire `type` tag stays on it at runtime).
 */
import * as t from 'io-ts';
import { withStoatGuard } from './guard';
import {
  Account,
  AppendMessage,
  Channel,
  ChannelSlowmode,
  ChannelUnread,
  ChannelVoiceState,
  Emoji,
  FieldsChannel,
  FieldsMember,
  FieldsMessage,
  FieldsRole,
  FieldsServer,
  FieldsUser,
  FieldsWebhook,
  Member,
  MemberCompositeKey,
  Message,
  PartialChannel,
  PartialEmoji,
  PartialMember,
  PartialMessage,
  PartialRole,
  PartialServer,
  PartialUser,
  PartialUserVoiceState,
  PartialWebhook,
  PolicyChange,
  RemovalIntention,
  Report,
  Server,
  Session,
  Timestamp,
  User,
  UserSettings,
  UserVoiceState,
  Webhook,
} from './models';

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);
/** An event without fields (`Logout`, `Bees`): the frame object with its `type`. */
const none = t.UnknownRecord;

/** The Ready payload (client.rs `EventV1::Ready`): every field is optional (the `ready=` query selects them). */
export const ReadyData = withStoatGuard(t.partial({
  users: t.array(User),
  servers: t.array(Server),
  channels: t.array(Channel),
  members: t.array(Member),
  emojis: t.array(Emoji),
  voice_states: t.array(ChannelVoiceState),
  user_settings: UserSettings,
  channel_unreads: t.array(ChannelUnread),
  policy_changes: t.array(PolicyChange),
}));
/** The Ready payload's type. */
export type ReadyData = t.TypeOf<typeof ReadyData>;

const reaction = t.type({ id: t.string, channel_id: t.string, user_id: t.string, emoji_id: t.string });
const channelUser = t.type({ id: t.string, user: t.string });

/**
 * Data events, keyed by rxwire name, each following its `EventV1` variant in
 * stoatchat/stoatchat `crates/core/database/src/events/client.rs`. `clear`
 * fields are `#[serde(default)]` without `skip_serializing_if`: always sent.
 *
 * @internal The table before the guards are compiled in: use `stoatCodecs` (same type, `StoatCodecs`).
 */
export const plainCodecs = {
  MessageCreate: Message,
  MessageUpdate: t.type({ id: t.string, channel: t.string, data: PartialMessage, clear: t.array(FieldsMessage) }),
  MessageAppend: t.type({ id: t.string, channel: t.string, append: AppendMessage }),
  MessageDelete: t.type({ id: t.string, channel: t.string }),
  MessageReact: reaction,
  MessageUnreact: reaction,
  MessageClearReaction: t.type({ id: t.string, channel_id: t.string, emoji_id: t.string }),
  MessageDeleteBulk: t.type({ channel: t.string, ids: t.array(t.string) }),
  ServerCreate: t.type({ id: t.string, server: Server, channels: t.array(Channel), emojis: t.array(Emoji), voice_states: t.array(ChannelVoiceState) }),
  ServerUpdate: t.type({ id: t.string, data: PartialServer, clear: t.array(FieldsServer) }),
  ServerDelete: t.type({ id: t.string }),
  ServerMemberJoin: t.type({ id: t.string, user: t.string, member: Member }),
  ServerMemberUpdate: t.type({ id: MemberCompositeKey, data: PartialMember, clear: t.array(FieldsMember) }),
  ServerMemberRemove: t.type({ id: t.string, user: t.string, reason: RemovalIntention }),
  RawServerRoleUpdate: t.type({ id: t.string, role_id: t.string, data: PartialRole, clear: t.array(FieldsRole) }),
  ServerRoleDelete: t.type({ id: t.string, role_id: t.string }),
  ServerRoleRanksUpdate: t.type({ id: t.string, ranks: t.array(t.string) }),
  ServerEmojiCreate: Emoji,
  ServerEmojiUpdate: t.type({ id: t.string, data: PartialEmoji }),
  ServerEmojiDelete: t.type({ id: t.string }),
  ReportCreate: Report,
  ChannelCreate: Channel,
  ChannelUpdate: t.type({ id: t.string, data: PartialChannel, clear: t.array(FieldsChannel) }),
  ChannelDelete: t.type({ id: t.string }),
  GroupRecipientAdd: channelUser,
  GroupRecipientRemove: channelUser,
  ChannelStartTyping: channelUser,
  ChannelStopTyping: channelUser,
  MessageAck: t.type({ id: t.string, user: t.string, message_id: t.string }),
  UserUpdate: t.type({ id: t.string, data: PartialUser, clear: t.array(FieldsUser), event_id: nullable(t.string) }),
  UserRelationshipUpdate: t.type({ id: t.string, user: User }),
  UserSettingsUpdate: t.type({ id: t.string, update: UserSettings }),
  UserPlatformWipe: t.type({ user_id: t.string, flags: t.number }),
  UserSlowmodes: t.type({ slowmodes: t.array(ChannelSlowmode) }),
  WebhookCreate: Webhook,
  WebhookUpdate: t.type({ id: t.string, data: PartialWebhook, remove: t.array(FieldsWebhook) }),
  WebhookDelete: t.type({ id: t.string }),
  AccountCreate: t.type({ account: Account }),
  SessionCreate: t.type({ session: Session }),
  SessionDelete: t.type({ user_id: t.string, session_id: t.string }),
  SessionDeleteAll: t.type({ user_id: t.string, exclude_session_id: nullable(t.string) }),
  Logout: none,
  VoiceChannelJoin: t.type({ id: t.string, state: UserVoiceState }),
  VoiceChannelLeave: channelUser,
  VoiceChannelMove: t.type({ user: t.string, from: t.string, to: t.string, state: UserVoiceState }),
  UserVoiceStateUpdate: t.type({ id: t.string, channel_id: t.string, data: PartialUserVoiceState }),
  UserMoveVoiceChannel: t.type({ node: t.string, from: t.string, to: t.string, token: t.string }),
  VoiceCallUpdate: t.type({ initiator_id: t.string, channel_id: t.string, started_at: nullable(Timestamp), ended: t.boolean }),
  Bees: none,
};
/** The codec table's type. */
export type StoatCodecs = typeof plainCodecs;

/**
 * The codec table, each codec with a compiled `is` for the validation fast
 * path (`guard.ts`; same
 * answers as io-ts's `is`, failures still reported by io-ts).
 */
export const stoatCodecs: StoatCodecs = Object.fromEntries(Object.entries(plainCodecs).map(([k, c]) => [k, withStoatGuard(c)])) as unknown as StoatCodecs;
/** The name of a Stoat data event. */
export type StoatEventName = keyof StoatCodecs;

/** Wire `type` → rxwire name, where they differ or the event is not the session's own. */
export const wireToName: Readonly<Record<string, StoatEventName>> = {
  Message: 'MessageCreate',
  MessageUpdate: 'MessageUpdate',
  MessageAppend: 'MessageAppend',
  MessageDelete: 'MessageDelete',
  MessageReact: 'MessageReact',
  MessageUnreact: 'MessageUnreact',
  MessageRemoveReaction: 'MessageClearReaction',
  BulkMessageDelete: 'MessageDeleteBulk',
  ServerCreate: 'ServerCreate',
  ServerUpdate: 'ServerUpdate',
  ServerDelete: 'ServerDelete',
  ServerMemberJoin: 'ServerMemberJoin',
  ServerMemberUpdate: 'ServerMemberUpdate',
  ServerMemberLeave: 'ServerMemberRemove',
  ServerRoleUpdate: 'RawServerRoleUpdate',
  ServerRoleDelete: 'ServerRoleDelete',
  ServerRoleRanksUpdate: 'ServerRoleRanksUpdate',
  EmojiCreate: 'ServerEmojiCreate',
  EmojiUpdate: 'ServerEmojiUpdate',
  EmojiDelete: 'ServerEmojiDelete',
  ReportCreate: 'ReportCreate',
  ChannelCreate: 'ChannelCreate',
  ChannelUpdate: 'ChannelUpdate',
  ChannelDelete: 'ChannelDelete',
  ChannelGroupJoin: 'GroupRecipientAdd',
  ChannelGroupLeave: 'GroupRecipientRemove',
  ChannelStartTyping: 'ChannelStartTyping',
  ChannelStopTyping: 'ChannelStopTyping',
  ChannelAck: 'MessageAck',
  UserUpdate: 'UserUpdate',
  UserRelationship: 'UserRelationshipUpdate',
  UserSettingsUpdate: 'UserSettingsUpdate',
  UserPlatformWipe: 'UserPlatformWipe',
  UserSlowmodes: 'UserSlowmodes',
  WebhookCreate: 'WebhookCreate',
  WebhookUpdate: 'WebhookUpdate',
  WebhookDelete: 'WebhookDelete',
  CreateAccount: 'AccountCreate',
  CreateSession: 'SessionCreate',
  DeleteSession: 'SessionDelete',
  DeleteAllSessions: 'SessionDeleteAll',
  Logout: 'Logout',
  VoiceChannelJoin: 'VoiceChannelJoin',
  VoiceChannelLeave: 'VoiceChannelLeave',
  VoiceChannelMove: 'VoiceChannelMove',
  UserVoiceStateUpdate: 'UserVoiceStateUpdate',
  UserMoveVoiceChannel: 'UserMoveVoiceChannel',
  VoiceCallUpdate: 'VoiceCallUpdate',
  Bees: 'Bees',
};

/** rxwire name → the wire `type` it comes from (the inverse of wireToName). */
export const nameToWire: Readonly<Record<StoatEventName, string>> = Object.fromEntries(
  Object.entries(wireToName).map(([wire, name]) => [name, wire]),
) as Record<StoatEventName, string>;

/** The older `{type:"Auth", event_type}` shape's event types (authifier events before they became top-level variants). */
export const authEventToName: Readonly<Record<string, StoatEventName>> = {
  CreateAccount: 'AccountCreate',
  CreateSession: 'SessionCreate',
  DeleteSession: 'SessionDelete',
  DeleteAllSessions: 'SessionDeleteAll',
};
