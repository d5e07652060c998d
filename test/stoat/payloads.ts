/**
 * One realistic payload per Bonfire event type, typed with stoat-api's REST
 * object types (via stoat.js) where they exist, so the shapes are the
 * official ones and not just ours.
 */
import type { API } from 'stoat.js';
import { StoatIds as ids } from '../../src/testing/stoat';

const avatar: API.File = { _id: 'avatar0001', tag: 'avatars', filename: 'alice.png', metadata: { type: 'Image', width: 256, height: 256 }, content_type: 'image/png', size: 20_480 };
const message: API.Message = {
  _id: '01J0000000000000000ROUNDTR',
  nonce: '01J0000000000000000NONCE01',
  channel: ids.general,
  author: ids.alice,
  content: 'round trip',
  mentions: [ids.me],
  replies: [],
  embeds: [{ type: 'Text', title: 'hi', description: null, colour: null }],
  reactions: {},
  masquerade: null,
};
const user: API.User = {
  _id: ids.alice,
  username: 'alice',
  discriminator: '0042',
  display_name: 'Alice',
  avatar,
  relations: [],
  badges: 0,
  status: { text: 'around', presence: 'Online' },
  flags: 0,
  privileged: false,
  bot: null,
  relationship: 'Friend',
  online: true,
};
const server: API.Server = {
  _id: ids.server,
  owner: ids.me,
  name: 'Stoat Den',
  description: null,
  channels: [ids.general, ids.voice],
  categories: [{ id: 'cat1', title: 'Text', channels: [ids.general] }],
  system_messages: { user_joined: ids.general },
  roles: { [ids.role]: { name: 'Moderator', permissions: { a: 8, d: 0 }, colour: '#ff0000', hoist: true, rank: 0 } },
  default_permissions: 0,
  icon: avatar,
  banner: null,
  flags: 0,
  nsfw: false,
  analytics: false,
  discoverable: false,
};
const channel: API.Channel = { channel_type: 'TextChannel', _id: ids.general, server: ids.server, name: 'general', description: null, last_message_id: null, nsfw: false };
const group: API.Channel = { channel_type: 'Group', _id: ids.group, name: 'pals', owner: ids.me, recipients: [ids.me], nsfw: false };
const member: API.Member = { _id: { server: ids.server, user: ids.alice }, joined_at: '2025-01-01T00:00:00.000Z', nickname: null, avatar: null, roles: [], timeout: null, can_publish: true, can_receive: true };
const emoji: API.Emoji = { _id: ids.emoji, parent: { type: 'Server', id: ids.server }, creator_id: ids.me, name: 'party', animated: true };
const webhook: API.Webhook = { id: '01HWEBHOOK0000000000000000', name: 'ci', creator_id: ids.me, channel_id: ids.general, permissions: 0, avatar: null };
const voiceState = { id: ids.me, joined_at: 1_700_000_100, is_receiving: true, is_publishing: true, screensharing: false, camera: false };
const membersClear: API.FieldsMember[] = ['Avatar'];
const serverClear: API.FieldsServer[] = ['Banner'];
const channelClear: API.FieldsChannel[] = ['Icon'];
const userClear: API.FieldsUser[] = ['StatusText'];
const roleClear: API.FieldsRole[] = ['Colour'];

/** [wire type, rxwire name, payload without `type`]. */
export const everyEvent: ReadonlyArray<readonly [string, string, Record<string, unknown>]> = [
  ['Message', 'MessageCreate', message],
  ['MessageUpdate', 'MessageUpdate', { id: message._id, channel: message.channel, data: { content: 'edited', edited: '2025-01-02T00:00:00.000Z' }, clear: [] }],
  ['MessageAppend', 'MessageAppend', { id: message._id, channel: message.channel, append: { embeds: [{ type: 'Website', url: 'https://stoat.chat' }] } }],
  ['MessageReact', 'MessageReact', { id: message._id, channel_id: message.channel, user_id: ids.me, emoji_id: '👍' }],
  ['MessageUnreact', 'MessageUnreact', { id: message._id, channel_id: message.channel, user_id: ids.me, emoji_id: '👍' }],
  ['MessageRemoveReaction', 'MessageClearReaction', { id: message._id, channel_id: message.channel, emoji_id: ids.emoji }],
  ['MessageStartEditing', 'MessageStartEditing', { id: message._id, channel: message.channel, user: ids.alice }],
  ['MessageStopEditing', 'MessageStopEditing', { id: message._id, channel: message.channel, user: ids.alice }],
  ['MessageDelete', 'MessageDelete', { id: message._id, channel: message.channel }],
  ['BulkMessageDelete', 'MessageDeleteBulk', { channel: ids.general, ids: ['01J0000000000000000000000A', '01J0000000000000000000000B'] }],
  ['ServerCreate', 'ServerCreate', { id: server._id, server, channels: [channel], emojis: [emoji], voice_states: [] }],
  ['ServerUpdate', 'ServerUpdate', { id: server._id, data: { name: 'Renamed Den', description: 'new' }, clear: serverClear }],
  ['ServerMemberJoin', 'ServerMemberJoin', { id: server._id, user: ids.alice, member }],
  ['ServerMemberUpdate', 'ServerMemberUpdate', { id: { server: server._id, user: ids.alice }, data: { nickname: 'ally', roles: [ids.role] }, clear: membersClear }],
  ['ServerMemberLeave', 'ServerMemberRemove', { id: server._id, user: ids.alice, reason: 'Kick' }],
  ['ServerRoleUpdate', 'RawServerRoleUpdate', { id: server._id, role_id: ids.role, data: { name: 'Mods', permissions: { a: 16, d: 0 }, rank: 1 }, clear: roleClear }],
  ['ServerRoleDelete', 'ServerRoleDelete', { id: server._id, role_id: ids.role }],
  ['ServerRoleRanksUpdate', 'ServerRoleRanksUpdate', { id: server._id, ranks: [ids.role] }],
  ['EmojiCreate', 'ServerEmojiCreate', emoji],
  ['EmojiUpdate', 'ServerEmojiUpdate', { id: emoji._id, data: { name: 'partyhard' } }],
  ['EmojiDelete', 'ServerEmojiDelete', { id: emoji._id }],
  ['ReportCreate', 'ReportCreate', { _id: '01HREPORT00000000000000000', author_id: ids.me, content: { type: 'Message', id: message._id, report_reason: 'Spam' }, additional_context: '', status: 'Created' }],
  ['ChannelCreate', 'ChannelCreate', channel],
  ['ChannelUpdate', 'ChannelUpdate', { id: ids.general, data: { name: 'lobby', description: 'chat here' }, clear: channelClear }],
  ['ChannelGroupJoin', 'GroupRecipientAdd', { id: group._id, user: ids.alice }],
  ['ChannelGroupLeave', 'GroupRecipientRemove', { id: group._id, user: ids.alice }],
  ['ChannelStartTyping', 'ChannelStartTyping', { id: ids.general, user: ids.alice }],
  ['ChannelStopTyping', 'ChannelStopTyping', { id: ids.general, user: ids.alice }],
  ['ChannelAck', 'MessageAck', { id: ids.general, user: ids.me, message_id: message._id }],
  ['ChannelWipe', 'ChannelWipe', { id: ids.dm }],
  ['ChannelDelete', 'ChannelDelete', { id: ids.general }],
  ['ServerDelete', 'ServerDelete', { id: server._id }],
  ['UserUpdate', 'UserUpdate', { id: ids.alice, data: { display_name: 'Alice', online: false }, clear: userClear, event_id: '01HEVENT000000000000000000' }],
  ['UserRelationship', 'UserRelationshipUpdate', { id: ids.me, user: { ...user, relationship: 'Blocked' } }],
  ['UserSettingsUpdate', 'UserSettingsUpdate', { id: ids.me, update: { theme: [1_700_000_000_000, '{"appearance:theme:base":"dark"}'] } }],
  ['UserPlatformWipe', 'UserPlatformWipe', { user_id: ids.alice, flags: 4 }],
  ['UserSlowmodes', 'UserSlowmodes', { slowmodes: [{ channel_id: ids.general, expires_at: '2025-01-01T00:01:00.000Z' }] }],
  ['WebhookCreate', 'WebhookCreate', webhook],
  ['WebhookUpdate', 'WebhookUpdate', { id: webhook.id, data: { name: 'deploys' }, remove: ['Avatar'] }],
  ['WebhookDelete', 'WebhookDelete', { id: webhook.id }],
  ['Auth', 'SessionCreate', { event_type: 'CreateSession', session: { _id: '01HSESSION0000000000000000', user_id: ids.me, name: 'firefox' } }],
  ['Auth', 'SessionDelete', { event_type: 'DeleteSession', user_id: ids.me, session_id: '01HSESSIONOTHER00000000000' }],
  ['Auth', 'SessionDeleteAll', { event_type: 'DeleteAllSessions', user_id: ids.me, exclude_session_id: '01HSESSION0000000000000000' }],
  ['CreateSession', 'SessionCreate', { session: { _id: '01HSESSION0000000000000001', user_id: ids.me, name: 'cli' } }],
  ['DeleteSession', 'SessionDelete', { user_id: ids.me, session_id: '01HSESSIONOTHER00000000001' }],
  ['DeleteAllSessions', 'SessionDeleteAll', { user_id: ids.me, exclude_session_id: null }],
  ['VoiceChannelJoin', 'VoiceChannelJoin', { id: ids.voice, state: voiceState }],
  ['UserVoiceStateUpdate', 'UserVoiceStateUpdate', { id: ids.me, channel_id: ids.voice, data: { camera: true } }],
  ['VoiceChannelMove', 'VoiceChannelMove', { user: ids.me, from: ids.voice, to: ids.general, state: voiceState }],
  ['VoiceChannelLeave', 'VoiceChannelLeave', { id: ids.general, user: ids.me }],
  ['UserMoveVoiceChannel', 'UserMoveVoiceChannel', { node: 'worldwide', from: ids.voice, to: ids.general, token: 'voice-node-token' }],
  ['VoiceCallUpdate', 'VoiceCallUpdate', { initiator_id: ids.me, channel_id: ids.dm, started_at: '2025-01-01T00:00:00.000Z', ended: false }],
  ['Bees', 'Bees', {}],
  ['Logout', 'Logout', {}],
];
