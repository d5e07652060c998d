/**
 * Realistic Stoat payloads, shaped as the backend serializes them (fields
 * with `skip_serializing_if` left out when empty/default; see the models in
 * stoatchat/stoatchat `crates/core/models/src/v0`), for the local server's
 * Ready, tests, the demo and the benchmark.
 */
import type { ReadyData } from '../../gateway/stoat/codecs/events';
import type { Channel, Member, Message, Server, User } from '../../gateway/stoat/codecs/models';

/** The ids the fixtures use (the default token's user is `me`). */
export const STOAT_IDS = {
  me: '01HZZZZZZZZZZZZZZZZZZZZME0',
  alice: '01HZZZZZZZZZZZZZZZZZZALICE',
  server: '01HZZZZZZZZZZZZZZZZZSERVER',
  general: '01HZZZZZZZZZZZZZZZZGENERAL',
  voice: '01HZZZZZZZZZZZZZZZZZZVOICE',
  dm: '01HZZZZZZZZZZZZZZZZZZZZZDM',
  group: '01HZZZZZZZZZZZZZZZZZZGROUP',
  role: '01HZZZZZZZZZZZZZZZZZZZROLE',
  emoji: '01HZZZZZZZZZZZZZZZZZZEMOJI',
} as const;

/** A user as `me` sees it (`relationship` relative to `me`). */
export function stoatUser(id: string, username: string): User {
  return {
    _id: id,
    username,
    discriminator: '0001',
    display_name: username[0].toUpperCase() + username.slice(1),
    avatar: { _id: `${id}av`, tag: 'avatars', filename: 'a.png', metadata: { type: 'Image', width: 256, height: 256, thumbhash: null, animated: false }, content_type: 'image/png', size: 1024 },
    status: { text: 'hi', presence: 'Online' },
    relationship: id === STOAT_IDS.me ? 'User' : 'Friend',
    online: true,
  };
}

/** The test server (`me` owns it). */
export function stoatServer(): Server {
  return {
    _id: STOAT_IDS.server,
    owner: STOAT_IDS.me,
    name: 'Stoat Den',
    description: 'a test server',
    channels: [STOAT_IDS.general, STOAT_IDS.voice],
    categories: [{ id: 'cat1', title: 'Text', channels: [STOAT_IDS.general] }],
    system_messages: { user_joined: STOAT_IDS.general },
    roles: { [STOAT_IDS.role]: { _id: STOAT_IDS.role, name: 'Moderator', permissions: { a: 8, d: 0 }, colour: '#ff0000', hoist: true, rank: 0 } },
    default_permissions: 0,
    approximate_member_count: 2,
  };
}

/** The server's text and voice channels, a DM with alice and a group. */
export function stoatChannels(): Channel[] {
  return [
    { channel_type: 'TextChannel', _id: STOAT_IDS.general, server: STOAT_IDS.server, name: 'general' },
    { channel_type: 'TextChannel', _id: STOAT_IDS.voice, server: STOAT_IDS.server, name: 'Lounge', voice: { max_users: 10 } },
    { channel_type: 'DirectMessage', _id: STOAT_IDS.dm, active: true, recipients: [STOAT_IDS.me, STOAT_IDS.alice] },
    { channel_type: 'Group', _id: STOAT_IDS.group, name: 'pals', owner: STOAT_IDS.me, recipients: [STOAT_IDS.me] },
  ];
}

/** `user`'s membership of the test server. */
export function stoatMember(user: string): Member {
  return { _id: { server: STOAT_IDS.server, user }, joined_at: '2025-01-01T00:00:00.000Z' };
}

/** A full Ready payload (every field the server can send). */
export function stoatReady(): Required<ReadyData> {
  return {
    users: [stoatUser(STOAT_IDS.me, 'me'), stoatUser(STOAT_IDS.alice, 'alice')],
    servers: [stoatServer()],
    channels: stoatChannels(),
    members: [stoatMember(STOAT_IDS.me), stoatMember(STOAT_IDS.alice)],
    emojis: [{ _id: STOAT_IDS.emoji, parent: { type: 'Server', id: STOAT_IDS.server }, creator_id: STOAT_IDS.me, name: 'stoat', animated: false, nsfw: false }],
    voice_states: [{ id: STOAT_IDS.voice, participants: [{ id: STOAT_IDS.alice, joined_at: '2025-01-01T00:05:00.000Z', is_receiving: true, is_publishing: false, screensharing: false, camera: false }] }],
    user_settings: { ordering: [1_700_000_000_000, '{"servers":[]}'], notifications: [1_700_000_000_000, '{}'] },
    channel_unreads: [{ _id: { channel: STOAT_IDS.general, user: STOAT_IDS.me } }],
    policy_changes: [],
  };
}

let seq = 0;
/** A message as Bonfire's `Message` event carries it (flattened), about 1 KB with `padding`. */
export function stoatMessage(content: string, overrides: Partial<Message> = {}, padding = 0): Message {
  seq++;
  const id = `01J${String(seq).padStart(23, '0')}`;
  return {
    _id: id,
    nonce: `nonce-${seq}`,
    channel: STOAT_IDS.general,
    author: STOAT_IDS.alice,
    content: padding > 0 ? content + ' ' + 'x'.repeat(padding) : content,
    ...overrides,
  };
}
