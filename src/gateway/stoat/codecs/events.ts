/**
 * The codec table of Bonfire's EventV1, keyed by rxwire's event names (the
 * stoat.py event class names without `Event`), and the wire tag → name map.
 * `data` is the frame object as sent (flattened events such as `Message` are
 * the object itself; the wire `type` tag stays on it at runtime).
 */
import * as t from 'io-ts';
import {
  AppendMessage,
  Channel,
  ChannelSlowmode,
  ChannelUnread,
  ChannelVoiceState,
  Emoji,
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
  Report,
  Server,
  Session,
  User,
  UserVoiceState,
  Webhook,
} from './models';

const withClear = <P extends t.Props>(props: P) => t.intersection([t.type(props), t.partial({ clear: t.array(t.string) })]);
const none = t.UnknownRecord;

/** The Ready payload: every field is optional (the `ready=` query selects them). */
export const ReadyData = t.partial({
  users: t.array(User),
  servers: t.array(Server),
  channels: t.array(Channel),
  members: t.array(Member),
  emojis: t.array(Emoji),
  voice_states: t.array(ChannelVoiceState),
  user_settings: t.record(t.string, t.unknown),
  channel_unreads: t.array(ChannelUnread),
  policy_changes: t.array(PolicyChange),
});
export type ReadyData = t.TypeOf<typeof ReadyData>;

const reaction = t.type({ id: t.string, channel_id: t.string, user_id: t.string, emoji_id: t.string });
const channelUser = t.type({ id: t.string, user: t.string });
const messageEditing = t.type({ id: t.string, channel: t.string, user: t.string });

/** Data events, keyed by rxwire name. */
export const stoatCodecs = {
  MessageCreate: Message,
  MessageUpdate: withClear({ id: t.string, channel: t.string, data: PartialMessage }),
  MessageAppend: t.type({ id: t.string, channel: t.string, append: AppendMessage }),
  MessageDelete: t.type({ id: t.string, channel: t.string }),
  MessageReact: reaction,
  MessageUnreact: reaction,
  MessageClearReaction: t.type({ id: t.string, channel_id: t.string, emoji_id: t.string }),
  MessageDeleteBulk: t.type({ channel: t.string, ids: t.array(t.string) }),
  MessageStartEditing: messageEditing,
  MessageStopEditing: messageEditing,
  ServerCreate: t.intersection([
    t.type({ id: t.string, server: Server, channels: t.array(Channel) }),
    t.partial({ emojis: t.array(Emoji), voice_states: t.array(ChannelVoiceState) }),
  ]),
  ServerUpdate: withClear({ id: t.string, data: PartialServer }),
  ServerDelete: t.type({ id: t.string }),
  ServerMemberJoin: t.intersection([t.type({ id: t.string, user: t.string }), t.partial({ member: Member })]),
  ServerMemberUpdate: withClear({ id: MemberCompositeKey, data: PartialMember }),
  ServerMemberRemove: t.intersection([t.type({ id: t.string, user: t.string }), t.partial({ reason: t.string })]),
  RawServerRoleUpdate: withClear({ id: t.string, role_id: t.string, data: PartialRole }),
  ServerRoleDelete: t.type({ id: t.string, role_id: t.string }),
  ServerRoleRanksUpdate: t.type({ id: t.string, ranks: t.array(t.string) }),
  ServerEmojiCreate: Emoji,
  ServerEmojiUpdate: t.type({ id: t.string, data: PartialEmoji }),
  ServerEmojiDelete: t.type({ id: t.string }),
  ReportCreate: Report,
  ChannelCreate: Channel,
  ChannelUpdate: withClear({ id: t.string, data: PartialChannel }),
  ChannelDelete: t.type({ id: t.string }),
  ChannelWipe: t.type({ id: t.string }),
  GroupRecipientAdd: channelUser,
  GroupRecipientRemove: channelUser,
  ChannelStartTyping: channelUser,
  ChannelStopTyping: channelUser,
  MessageAck: t.type({ id: t.string, user: t.string, message_id: t.string }),
  UserUpdate: t.intersection([t.type({ id: t.string, data: PartialUser }), t.partial({ clear: t.array(t.string), event_id: t.union([t.string, t.null]) })]),
  UserRelationshipUpdate: t.intersection([t.type({ user: User }), t.partial({ id: t.string, status: t.string })]),
  UserSettingsUpdate: t.type({ id: t.string, update: t.record(t.string, t.unknown) }),
  UserPlatformWipe: t.type({ user_id: t.string, flags: t.number }),
  UserSlowmodes: t.type({ slowmodes: t.array(ChannelSlowmode) }),
  WebhookCreate: Webhook,
  WebhookUpdate: t.intersection([t.type({ id: t.string, data: PartialWebhook }), t.partial({ remove: t.array(t.string) })]),
  WebhookDelete: t.type({ id: t.string }),
  SessionCreate: t.type({ session: Session }),
  SessionDelete: t.type({ user_id: t.string, session_id: t.string }),
  SessionDeleteAll: t.intersection([t.type({ user_id: t.string }), t.partial({ exclude_session_id: t.union([t.string, t.null]) })]),
  Logout: none,
  VoiceChannelJoin: t.type({ id: t.string, state: UserVoiceState }),
  VoiceChannelLeave: channelUser,
  VoiceChannelMove: t.type({ user: t.string, from: t.string, to: t.string, state: UserVoiceState }),
  UserVoiceStateUpdate: t.type({ id: t.string, channel_id: t.string, data: PartialUserVoiceState }),
  UserMoveVoiceChannel: t.intersection([t.type({ node: t.string, token: t.string }), t.partial({ from: t.string, to: t.string })]),
  VoiceCallUpdate: t.intersection([t.type({ channel_id: t.string }), t.partial({ initiator_id: t.string, started_at: t.union([t.string, t.number, t.null]), ended: t.boolean })]),
  Bees: none,
};
export type StoatCodecs = typeof stoatCodecs;
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
  MessageStartEditing: 'MessageStartEditing',
  MessageStopEditing: 'MessageStopEditing',
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
  ChannelWipe: 'ChannelWipe',
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

/** The documented `{type:"Auth", event_type}` shape's event types. */
export const authEventToName: Readonly<Record<string, StoatEventName>> = {
  CreateSession: 'SessionCreate',
  DeleteSession: 'SessionDelete',
  DeleteAllSessions: 'SessionDeleteAll',
};
