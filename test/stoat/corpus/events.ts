/**
 * The Stoat conformance corpus: one or more frames per EventV1 variant,
 * written by hand from the backend's own definitions (NOT from our local
 * server), each recording the definition it follows. Source:
 * stoatchat/stoatchat @ 99b3ea140f7c35359d8f54dbf1c5376ce5749beb,
 *   E = crates/core/database/src/events/client.rs (EventV1),
 *   models under crates/core/models/src/v0/*.rs (files below),
 *   auth models under crates/core/database/src/models/{accounts,sessions}/model.rs.
 * Serde rules applied: `skip_serializing_if` fields are left out when empty/
 * default, `Option` without it is sent as null, `#[serde(default)]` alone
 * still serializes. Timestamps are written `ts(iso)`: the JSON frame carries
 * the ISO string, the MessagePack frame integer milliseconds (rmp-serde is
 * not human-readable), and both must decode to the ISO string.
 */

/** A timestamp in a fixture: ISO in JSON, ms in MessagePack. */
export class Ts {
  constructor(readonly iso: string) {}
}
const ts = (iso: string): Ts => new Ts(iso);

/** One corpus frame. */
export interface CorpusEntry {
  /** Wire `type`. */
  readonly wire: string;
  /** The rxwire event name it must decode to. */
  readonly name: string;
  /** The definitions it follows (file:line at the commit above). */
  readonly follows: string;
  readonly frame: Readonly<Record<string, unknown>>;
}

const ME = '01HZZZZZZZZZZZZZZZZZZZZME0';
const ALICE = '01HZZZZZZZZZZZZZZZZZZALICE';
const SERVER = '01HZZZZZZZZZZZZZZZZZSERVER';
const CHANNEL = '01HZZZZZZZZZZZZZZZZGENERAL';
const VOICE = '01HZZZZZZZZZZZZZZZZZZVOICE';
const ROLE = '01HZZZZZZZZZZZZZZZZZZZROLE';
const MSG = '01J0000000000000000000MSG1';

// files.rs:3 File, files.rs:43 Metadata
const avatar = { _id: 'avatar0001', tag: 'avatars', filename: 'alice.png', metadata: { type: 'Image', width: 256, height: 256, thumbhash: [1, 2, 3], animated: false }, content_type: 'image/png', size: 20_480 };
const attachment = { _id: 'file0001', tag: 'attachments', filename: 'notes.txt', metadata: { type: 'Text' }, content_type: 'text/plain', size: 12, message_id: MSG, user_id: ALICE };
// users.rs:24 User (badges/flags/privileged skipped when 0/false), users.rs:122 Relationship, users.rs:147 UserStatus, users.rs:277 BotInformation
const alice = { _id: ALICE, username: 'alice', discriminator: '0042', display_name: 'Alice', pronouns: 'she/her', avatar, badges: 256, status: { text: 'around', presence: 'Online' }, relationship: 'Friend', online: true };
const me = { _id: ME, username: 'me', discriminator: '0001', relations: [{ _id: ALICE, status: 'Friend' }], flags: 1, privileged: true, relationship: 'User', online: true };
const bot = { _id: '01HZZZZZZZZZZZZZZZZZZZZBOT', username: 'helper', discriminator: '9999', bot: { owner: ME }, relationship: 'None', online: false };
// server_members.rs:45 Member (can_publish/can_receive skipped when true)
const member = { _id: { server: SERVER, user: ALICE }, joined_at: ts('2025-01-01T00:00:00.000Z'), nickname: 'Al', roles: [ROLE], timeout: ts('2030-01-01T00:00:00.000Z'), can_publish: false };
// servers.rs:90 Role (rank always sent), servers.rs:14 Server
const role = { _id: ROLE, name: 'Moderator', permissions: { a: 8, d: 0 }, colour: '#ff0000', hoist: true, rank: 0 };
const server = {
  _id: SERVER,
  owner: ME,
  name: 'Stoat Den',
  description: 'a test server',
  channels: [CHANNEL, VOICE],
  categories: [{ id: 'cat1', title: 'Text', channels: [CHANNEL] }],
  system_messages: { user_joined: CHANNEL },
  roles: { [ROLE]: role },
  default_permissions: 0,
  icon: avatar,
  discoverable: true,
  approximate_member_count: 2,
};
// channels.rs:13 Channel (every variant)
const textChannel = { channel_type: 'TextChannel', _id: CHANNEL, server: SERVER, name: 'general', last_message_id: MSG, default_permissions: { a: 0, d: 1 }, role_permissions: { [ROLE]: { a: 4, d: 0 } }, slowmode: 5 };
const voiceChannel = { channel_type: 'TextChannel', _id: VOICE, server: SERVER, name: 'Lounge', voice: { max_users: 10 } };
const dm = { channel_type: 'DirectMessage', _id: '01HZZZZZZZZZZZZZZZZZZZZZDM', active: true, recipients: [ME, ALICE] };
const group = { channel_type: 'Group', _id: '01HZZZZZZZZZZZZZZZZZZGROUP', name: 'pals', owner: ME, description: 'friends', recipients: [ME, ALICE], icon: avatar, permissions: 0, nsfw: true };
const saved = { channel_type: 'SavedMessages', _id: '01HZZZZZZZZZZZZZZZZZZSAVED', user: ME };
// emojis.rs:14 Emoji, emojis.rs:40 EmojiParent
const emoji = { _id: '01HZZZZZZZZZZZZZZZZZZEMOJI', parent: { type: 'Server', id: SERVER }, creator_id: ME, name: 'stoat', animated: true };
// users.rs:292 UserVoiceState (every field always sent), channels.rs:299 ChannelVoiceState
const voiceState = { id: ALICE, joined_at: ts('2025-06-01T12:00:00.000Z'), is_receiving: true, is_publishing: false, screensharing: false, camera: false };
// embeds.rs Embed (Website / Image / Video / Text / None)
const embeds = [
  { type: 'Website', url: 'https://stoat.chat', special: { type: 'YouTube', id: 'abc', creator_name: null, creator_url: null }, title: 'Stoat', image: { url: 'https://i', width: 1, height: 2, size: 'Large' } },
  { type: 'Image', url: 'https://i.png', width: 10, height: 10, size: 'Preview' },
  { type: 'Video', url: 'https://v.mp4', width: 640, height: 480 },
  { type: 'Text', title: 'hi', media: attachment, colour: '#00ff00' },
  { type: 'None' },
];
// messages.rs:18 Message
const message = {
  _id: MSG,
  nonce: '01J0000000000000000NONCE01',
  channel: CHANNEL,
  author: ALICE,
  user: alice,
  member,
  content: 'hello <@01HZZZZZZZZZZZZZZZZZZZZME0>',
  attachments: [attachment],
  edited: ts('2025-01-02T03:04:05.678Z'),
  embeds,
  mentions: [ME],
  role_mentions: [ROLE],
  replies: ['01J0000000000000000000MSG0'],
  reactions: { '👍': [ME] },
  interactions: { reactions: ['👍'], restrict_reactions: true },
  masquerade: { name: 'Masked', colour: 'red' },
  pinned: true,
  flags: 2,
};
const minimalMessage = { _id: '01J0000000000000000000MSG2', channel: CHANNEL, author: ME, content: 'plain' };
// messages.rs:108 SystemMessage, channel_webhooks.rs:36 MessageWebhook
const systemMessage = { _id: '01J0000000000000000000MSG3', channel: CHANNEL, author: '00000000000000000000000000', system: { type: 'call_started', by: ME, finished_at: null } };
const webhookMessage = { _id: '01J0000000000000000000MSG4', channel: CHANNEL, author: '01HWEBHOOK0000000000000000', webhook: { name: 'CI', avatar: null }, content: 'build ok' };
// channel_webhooks.rs:8 Webhook (token always sent)
const webhook = { id: '01HWEBHOOK0000000000000000', name: 'CI', creator_id: ME, channel_id: CHANNEL, permissions: 0, token: 'webhook-secret', avatar };
// database models/sessions/model.rs Session, models/accounts/model.rs Account
const session = { _id: '01HSESSION0000000000000000', user_id: ME, token: 'session-secret', name: 'firefox', last_seen: ts('2025-03-03T03:03:03.000Z'), origin: 'stoat.chat' };
const account = {
  _id: ME,
  email: 'me@example.com',
  email_normalised: 'me@example.com',
  password: '$argon2id$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA',
  disabled: false,
  verification: { status: 'Pending', token: 'verify-secret', expiry: ts('2025-04-04T00:00:00.000Z') },
  password_reset: null,
  deletion: null,
  lockout: { attempts: 1, expiry: null },
  mfa: { totp_token: { Enabled: { secret: 'totp-secret' } }, recovery_codes: ['a1b2'] },
};

const E = 'client.rs';
/** The corpus. */
export const corpus: readonly CorpusEntry[] = [
  { wire: 'Message', name: 'MessageCreate', follows: `${E}:104, messages.rs:18, embeds.rs, files.rs:3, server_members.rs:45, users.rs:24`, frame: { type: 'Message', ...message } },
  { wire: 'Message', name: 'MessageCreate', follows: `${E}:104, messages.rs:18 (only required fields + content)`, frame: { type: 'Message', ...minimalMessage } },
  { wire: 'Message', name: 'MessageCreate', follows: `${E}:104, messages.rs:108 SystemMessage::CallStarted`, frame: { type: 'Message', ...systemMessage } },
  { wire: 'Message', name: 'MessageCreate', follows: `${E}:104, channel_webhooks.rs:36 MessageWebhook`, frame: { type: 'Message', ...webhookMessage } },
  { wire: 'MessageUpdate', name: 'MessageUpdate', follows: `${E}:107, messages.rs:18 PartialMessage, FieldsMessage`, frame: { type: 'MessageUpdate', id: MSG, channel: CHANNEL, data: { content: 'edited', edited: ts('2025-01-02T03:05:00.000Z') }, clear: ['Pinned'] } },
  { wire: 'MessageAppend', name: 'MessageAppend', follows: `${E}:116, messages.rs:175`, frame: { type: 'MessageAppend', id: MSG, channel: CHANNEL, append: { embeds: [embeds[1]] } } },
  { wire: 'MessageDelete', name: 'MessageDelete', follows: `${E}:123`, frame: { type: 'MessageDelete', id: MSG, channel: CHANNEL } },
  { wire: 'MessageReact', name: 'MessageReact', follows: `${E}:129`, frame: { type: 'MessageReact', id: MSG, channel_id: CHANNEL, user_id: ME, emoji_id: '👍' } },
  { wire: 'MessageUnreact', name: 'MessageUnreact', follows: `${E}:137`, frame: { type: 'MessageUnreact', id: MSG, channel_id: CHANNEL, user_id: ME, emoji_id: '👍' } },
  { wire: 'MessageRemoveReaction', name: 'MessageClearReaction', follows: `${E}:145`, frame: { type: 'MessageRemoveReaction', id: MSG, channel_id: CHANNEL, emoji_id: '👍' } },
  { wire: 'BulkMessageDelete', name: 'MessageDeleteBulk', follows: `${E}:152`, frame: { type: 'BulkMessageDelete', channel: CHANNEL, ids: [MSG, '01J0000000000000000000MSG2'] } },
  { wire: 'ServerCreate', name: 'ServerCreate', follows: `${E}:158, servers.rs:14, channels.rs:13, emojis.rs:14, channels.rs:299`, frame: { type: 'ServerCreate', id: SERVER, server, channels: [textChannel, voiceChannel], emojis: [emoji], voice_states: [{ id: VOICE, participants: [voiceState] }] } },
  { wire: 'ServerUpdate', name: 'ServerUpdate', follows: `${E}:167, servers.rs:14 PartialServer, servers.rs:121`, frame: { type: 'ServerUpdate', id: SERVER, data: { name: 'Renamed', approximate_member_count: 3 }, clear: ['Icon', 'Description'] } },
  { wire: 'ServerDelete', name: 'ServerDelete', follows: `${E}:175`, frame: { type: 'ServerDelete', id: SERVER } },
  { wire: 'ServerMemberUpdate', name: 'ServerMemberUpdate', follows: `${E}:180, server_members.rs:45 PartialMember, :94 FieldsMember`, frame: { type: 'ServerMemberUpdate', id: { server: SERVER, user: ALICE }, data: { nickname: 'Ally', timeout: ts('2031-01-01T00:00:00.000Z') }, clear: ['Avatar', 'CanPublish'] } },
  { wire: 'ServerMemberJoin', name: 'ServerMemberJoin', follows: `${E}:188, server_members.rs:45`, frame: { type: 'ServerMemberJoin', id: SERVER, user: ALICE, member: { _id: { server: SERVER, user: ALICE }, joined_at: ts('2025-05-05T05:05:05.000Z') } } },
  { wire: 'ServerMemberLeave', name: 'ServerMemberRemove', follows: `${E}:197, server_members.rs:107 RemovalIntention`, frame: { type: 'ServerMemberLeave', id: SERVER, user: ALICE, reason: 'Kick' } },
  { wire: 'ServerRoleUpdate', name: 'RawServerRoleUpdate', follows: `${E}:204, servers.rs:90 PartialRole, :130 FieldsRole`, frame: { type: 'ServerRoleUpdate', id: SERVER, role_id: ROLE, data: { name: 'Mods', rank: 1 }, clear: ['Colour'] } },
  { wire: 'ServerRoleDelete', name: 'ServerRoleDelete', follows: `${E}:213`, frame: { type: 'ServerRoleDelete', id: SERVER, role_id: ROLE } },
  { wire: 'ServerRoleRanksUpdate', name: 'ServerRoleRanksUpdate', follows: `${E}:219`, frame: { type: 'ServerRoleRanksUpdate', id: SERVER, ranks: [ROLE] } },
  { wire: 'UserUpdate', name: 'UserUpdate', follows: `${E}:225 (event_id: Option, always sent), users.rs:24 PartialUser, :88 FieldsUser`, frame: { type: 'UserUpdate', id: ALICE, data: { display_name: 'Alicia', status: { presence: 'Busy' } }, clear: ['Avatar', 'StatusText'], event_id: null } },
  { wire: 'UserUpdate', name: 'UserUpdate', follows: `${E}:225`, frame: { type: 'UserUpdate', id: ALICE, data: { online: false }, clear: [], event_id: '01HEVENT000000000000000000' } },
  { wire: 'UserRelationship', name: 'UserRelationshipUpdate', follows: `${E}:234 (no status field), users.rs:24`, frame: { type: 'UserRelationship', id: ME, user: { ...alice, relationship: 'Blocked' } } },
  { wire: 'UserSettingsUpdate', name: 'UserSettingsUpdate', follows: `${E}:239, user_settings.rs:9 UserSettings = HashMap<String, (i64, String)>`, frame: { type: 'UserSettingsUpdate', id: ME, update: { theme: [1_735_689_600_000, '{"dark":true}'] } } },
  { wire: 'UserPlatformWipe', name: 'UserPlatformWipe', follows: `${E}:253`, frame: { type: 'UserPlatformWipe', user_id: ALICE, flags: 4 } },
  { wire: 'EmojiCreate', name: 'ServerEmojiCreate', follows: `${E}:258, emojis.rs:14`, frame: { type: 'EmojiCreate', ...emoji } },
  { wire: 'EmojiCreate', name: 'ServerEmojiCreate', follows: `${E}:258, emojis.rs:40 EmojiParent::Detached`, frame: { type: 'EmojiCreate', _id: '01HZZZZZZZZZZZZZZZZZEMOJI2', parent: { type: 'Detached' }, creator_id: ME, name: 'gone' } },
  { wire: 'EmojiUpdate', name: 'ServerEmojiUpdate', follows: `${E}:261, emojis.rs:60 PartialEmoji`, frame: { type: 'EmojiUpdate', id: emoji._id, data: { name: 'stoat2' } } },
  { wire: 'EmojiDelete', name: 'ServerEmojiDelete', follows: `${E}:267`, frame: { type: 'EmojiDelete', id: emoji._id } },
  { wire: 'ReportCreate', name: 'ReportCreate', follows: `${E}:272, safety_reports.rs:5 (status flattened), :95, :123 Created`, frame: { type: 'ReportCreate', _id: '01HREPORT00000000000000000', author_id: ME, content: { type: 'Message', id: MSG, report_reason: 'SpamAbuse' }, additional_context: '', status: 'Created', notes: '' } },
  { wire: 'ReportCreate', name: 'ReportCreate', follows: `${E}:272, safety_reports.rs:123 Resolved, :95 User`, frame: { type: 'ReportCreate', _id: '01HREPORT00000000000000001', author_id: ME, content: { type: 'User', id: ALICE, report_reason: 'Impersonation', message_id: null }, additional_context: 'see profile', status: 'Resolved', closed_at: ts('2025-07-07T07:07:07.000Z'), notes: 'done' } },
  { wire: 'ChannelCreate', name: 'ChannelCreate', follows: `${E}:274, channels.rs:13 TextChannel`, frame: { type: 'ChannelCreate', ...textChannel } },
  { wire: 'ChannelCreate', name: 'ChannelCreate', follows: `${E}:274, channels.rs:13 DirectMessage`, frame: { type: 'ChannelCreate', ...dm } },
  { wire: 'ChannelCreate', name: 'ChannelCreate', follows: `${E}:274, channels.rs:13 Group`, frame: { type: 'ChannelCreate', ...group } },
  { wire: 'ChannelCreate', name: 'ChannelCreate', follows: `${E}:274, channels.rs:13 SavedMessages`, frame: { type: 'ChannelCreate', ...saved } },
  { wire: 'ChannelUpdate', name: 'ChannelUpdate', follows: `${E}:277, channels.rs:134 PartialChannel, :162 FieldsChannel`, frame: { type: 'ChannelUpdate', id: CHANNEL, data: { name: 'chat', slowmode: 10, role_permissions: { [ROLE]: { a: 0, d: 0 } } }, clear: ['Description', 'Slowmode'] } },
  { wire: 'ChannelDelete', name: 'ChannelDelete', follows: `${E}:285`, frame: { type: 'ChannelDelete', id: CHANNEL } },
  { wire: 'ChannelGroupJoin', name: 'GroupRecipientAdd', follows: `${E}:290`, frame: { type: 'ChannelGroupJoin', id: group._id, user: ALICE } },
  { wire: 'ChannelGroupLeave', name: 'GroupRecipientRemove', follows: `${E}:296`, frame: { type: 'ChannelGroupLeave', id: group._id, user: ALICE } },
  { wire: 'ChannelStartTyping', name: 'ChannelStartTyping', follows: `${E}:302`, frame: { type: 'ChannelStartTyping', id: CHANNEL, user: ALICE } },
  { wire: 'ChannelStopTyping', name: 'ChannelStopTyping', follows: `${E}:308`, frame: { type: 'ChannelStopTyping', id: CHANNEL, user: ALICE } },
  { wire: 'ChannelAck', name: 'MessageAck', follows: `${E}:314`, frame: { type: 'ChannelAck', id: CHANNEL, user: ME, message_id: MSG } },
  { wire: 'WebhookCreate', name: 'WebhookCreate', follows: `${E}:321, channel_webhooks.rs:8`, frame: { type: 'WebhookCreate', ...webhook } },
  { wire: 'WebhookUpdate', name: 'WebhookUpdate', follows: `${E}:324 (remove always sent), channel_webhooks.rs:8 PartialWebhook, :82`, frame: { type: 'WebhookUpdate', id: webhook.id, data: { name: 'CD' }, remove: ['Avatar'] } },
  { wire: 'WebhookDelete', name: 'WebhookDelete', follows: `${E}:331`, frame: { type: 'WebhookDelete', id: webhook.id } },
  { wire: 'CreateAccount', name: 'AccountCreate', follows: `${E}:336, database models/accounts/model.rs Account`, frame: { type: 'CreateAccount', account } },
  { wire: 'CreateSession', name: 'SessionCreate', follows: `${E}:339, database models/sessions/model.rs Session`, frame: { type: 'CreateSession', session } },
  { wire: 'DeleteSession', name: 'SessionDelete', follows: `${E}:342`, frame: { type: 'DeleteSession', user_id: ME, session_id: session._id } },
  { wire: 'DeleteAllSessions', name: 'SessionDeleteAll', follows: `${E}:346 (exclude_session_id: Option, always sent)`, frame: { type: 'DeleteAllSessions', user_id: ME, exclude_session_id: null } },
  { wire: 'VoiceChannelJoin', name: 'VoiceChannelJoin', follows: `${E}:352, users.rs:292`, frame: { type: 'VoiceChannelJoin', id: VOICE, state: voiceState } },
  { wire: 'VoiceChannelLeave', name: 'VoiceChannelLeave', follows: `${E}:356`, frame: { type: 'VoiceChannelLeave', id: VOICE, user: ALICE } },
  { wire: 'VoiceChannelMove', name: 'VoiceChannelMove', follows: `${E}:360, users.rs:292`, frame: { type: 'VoiceChannelMove', user: ALICE, from: VOICE, to: CHANNEL, state: voiceState } },
  { wire: 'UserVoiceStateUpdate', name: 'UserVoiceStateUpdate', follows: `${E}:366, users.rs:292 PartialUserVoiceState`, frame: { type: 'UserVoiceStateUpdate', id: ALICE, channel_id: VOICE, data: { camera: true } } },
  { wire: 'UserMoveVoiceChannel', name: 'UserMoveVoiceChannel', follows: `${E}:371`, frame: { type: 'UserMoveVoiceChannel', node: 'worldwide', from: VOICE, to: CHANNEL, token: 'voice-node-token' } },
  { wire: 'UserSlowmodes', name: 'UserSlowmodes', follows: `${E}:378, channels.rs:319 ChannelSlowmode`, frame: { type: 'UserSlowmodes', slowmodes: [{ channel_id: CHANNEL, duration: 10, retry_after: 7 }] } },
  { wire: 'VoiceCallUpdate', name: 'VoiceCallUpdate', follows: `${E}:381`, frame: { type: 'VoiceCallUpdate', initiator_id: ME, channel_id: dm._id, started_at: ts('2025-08-08T08:08:08.000Z'), ended: false } },
  { wire: 'VoiceCallUpdate', name: 'VoiceCallUpdate', follows: `${E}:381 (started_at: Option<Timestamp>, always sent)`, frame: { type: 'VoiceCallUpdate', initiator_id: ME, channel_id: dm._id, started_at: null, ended: true } },
  { wire: 'Bees', name: 'Bees', follows: `${E}:101`, frame: { type: 'Bees' } },
  { wire: 'Auth', name: 'SessionDeleteAll', follows: 'older backend: authifier AuthifierEvent inside EventV1::Auth (revoltchat/backend 4fb99e3 client.rs)', frame: { type: 'Auth', event_type: 'DeleteAllSessions', user_id: ME, exclude_session_id: session._id } },
  // Last: Logout ends the session.
  { wire: 'Logout', name: 'Logout', follows: `${E}:70`, frame: { type: 'Logout' } },
];

/** A Ready with every field (client.rs:72), as the session sees it. */
export const readyFrame: Readonly<Record<string, unknown>> = {
  type: 'Ready',
  users: [alice, me, bot],
  servers: [server],
  channels: [textChannel, voiceChannel, dm, group, saved],
  members: [member],
  emojis: [emoji],
  voice_states: [{ id: VOICE, participants: [voiceState] }],
  user_settings: { ordering: [1_700_000_000_000, '{"servers":[]}'] },
  channel_unreads: [{ _id: { channel: CHANNEL, user: ME }, last_id: MSG, mentions: [MSG] }, { _id: { channel: dm._id, user: ME } }],
  policy_changes: [{ created_time: ts('2025-01-01T00:00:00.000Z'), effective_time: ts('2025-02-01T00:00:00.000Z'), description: 'Terms', url: 'https://stoat.chat/terms' }],
};

/** The JSON form of a fixture value: timestamps as ISO strings (also the expected decoded value). */
export function jsonForm(v: unknown): unknown {
  if (v instanceof Ts) return v.iso;
  if (Array.isArray(v)) return v.map(jsonForm);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, jsonForm(x)]));
  return v;
}

/** The MessagePack form: timestamps as integer milliseconds. */
export function msgpackForm(v: unknown): unknown {
  if (v instanceof Ts) return Date.parse(v.iso);
  if (Array.isArray(v)) return v.map(msgpackForm);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, msgpackForm(x)]));
  return v;
}
