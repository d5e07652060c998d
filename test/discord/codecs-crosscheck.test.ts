/**
 * The codecs and discord-api-types cannot drift: sample payloads typed with
 * discord-api-types' dispatch data types (so they hold every field those
 * types require) must decode through rxwire's codecs on the fast path.
 */
import {
  ChannelType,
  MessageType,
  PresenceUpdateStatus,
  type APIGuildMember,
  type ApplicationFlags,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type APIRole,
  type APIUser,
  type GatewayChannelPinsUpdateDispatchData,
  type GatewayChannelUpdateDispatchData,
  type GatewayGuildBanAddDispatchData,
  type GatewayGuildDeleteDispatchData,
  type GatewayGuildEmojisUpdateDispatchData,
  type GatewayGuildIntegrationsUpdateDispatchData,
  type GatewayGuildMemberAddDispatchData,
  type GatewayGuildMemberRemoveDispatchData,
  type GatewayGuildMembersChunkDispatchData,
  type GatewayGuildMemberUpdateDispatchData,
  type GatewayGuildRoleDeleteDispatchData,
  type GatewayGuildRoleModifyDispatchData,
  type GatewayMessageCreateDispatchData,
  type GatewayMessageDeleteBulkDispatchData,
  type GatewayMessageDeleteDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageReactionRemoveAllDispatchData,
  type GatewayMessageReactionRemoveDispatchData,
  type GatewayMessageUpdateDispatchData,
  type GatewayPresenceUpdateDispatchData,
  type GatewayReadyDispatchData,
  type GatewayTypingStartDispatchData,
  type GatewayVoiceServerUpdateDispatchData,
  type GatewayVoiceStateUpdateDispatchData,
  type GatewayWebhooksUpdateDispatchData,
  type GatewayDispatchPayload,
  GatewayDispatchEvents,
} from 'discord-api-types/v10';
import { validate } from '../../src/core';
import { discordCodecs, DISPATCH_TYPES, type DiscordCodecs } from '../../src/gateway/discord';

const user: APIUser = { id: '80351110224678912', username: 'nelly', discriminator: '0', global_name: 'Nelly', avatar: null };
const member: APIGuildMember = { user, roles: ['1'], joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 as GuildMemberFlags };
const role: APIRole = { id: '2', name: 'mods', color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, position: 1, permissions: '8', managed: false, mentionable: true, flags: 0 as RoleFlags };
const guild_id = '81384788765712384';
const message: GatewayMessageCreateDispatchData = {
  id: '3',
  channel_id: '4',
  guild_id,
  author: user,
  content: 'hi',
  timestamp: '2024-01-01T00:00:00.000Z',
  edited_timestamp: null,
  tts: false,
  mention_everyone: false,
  mentions: [],
  mention_roles: [],
  attachments: [{ id: '9', filename: 'a.png', size: 10, url: 'https://x', proxy_url: 'https://y' }],
  embeds: [],
  pinned: false,
  type: MessageType.Default,
};

const samples: Array<[keyof DiscordCodecs, unknown]> = [
  ['Ready', { v: 10, user, guilds: [{ id: guild_id, unavailable: true }], session_id: 's', resume_gateway_url: 'wss://r', shard: [0, 1], application: { id: '1', flags: 0 as ApplicationFlags, flags_new: '0' } } satisfies GatewayReadyDispatchData],
  ['MessageCreate', message],
  ['MessageUpdate', { ...message, content: 'edited' } satisfies GatewayMessageUpdateDispatchData],
  ['MessageDelete', { id: '3', channel_id: '4', guild_id } satisfies GatewayMessageDeleteDispatchData],
  ['MessageDeleteBulk', { ids: ['3', '5'], channel_id: '4', guild_id } satisfies GatewayMessageDeleteBulkDispatchData],
  ['ChannelUpdate', { id: '4', type: ChannelType.GuildText, guild_id, name: 'general', position: 0, nsfw: false, parent_id: null, last_message_id: null, rate_limit_per_user: 0, topic: null, permission_overwrites: [], flags: 0 as ChannelFlags } satisfies GatewayChannelUpdateDispatchData],
  ['ChannelPinsUpdate', { channel_id: '4', guild_id, last_pin_timestamp: null } satisfies GatewayChannelPinsUpdateDispatchData],
  ['GuildBanAdd', { guild_id, user } satisfies GatewayGuildBanAddDispatchData],
  ['GuildBanRemove', { guild_id, user } satisfies GatewayGuildBanAddDispatchData],
  ['GuildDelete', { id: guild_id, unavailable: true } satisfies GatewayGuildDeleteDispatchData],
  ['GuildEmojisUpdate', { guild_id, emojis: [{ id: '7', name: 'blob', animated: false }] } satisfies GatewayGuildEmojisUpdateDispatchData],
  ['GuildIntegrationsUpdate', { guild_id } satisfies GatewayGuildIntegrationsUpdateDispatchData],
  ['GuildMemberAdd', { ...member, guild_id } satisfies GatewayGuildMemberAddDispatchData],
  ['GuildMemberRemove', { guild_id, user } satisfies GatewayGuildMemberRemoveDispatchData],
  ['GuildMemberUpdate', { guild_id, roles: ['1'], user, joined_at: '2024-01-01T00:00:00.000Z', avatar: null, banner: null, deaf: false, mute: false, flags: 0 as GuildMemberFlags } satisfies GatewayGuildMemberUpdateDispatchData],
  ['GuildMembersChunk', { guild_id, members: [member], chunk_index: 0, chunk_count: 1, nonce: 'n' } satisfies GatewayGuildMembersChunkDispatchData],
  ['GuildRoleCreate', { guild_id, role } satisfies GatewayGuildRoleModifyDispatchData],
  ['GuildRoleUpdate', { guild_id, role } satisfies GatewayGuildRoleModifyDispatchData],
  ['GuildRoleDelete', { guild_id, role_id: '2' } satisfies GatewayGuildRoleDeleteDispatchData],
  ['PresenceUpdate', { user: { id: user.id }, guild_id, status: PresenceUpdateStatus.Online, activities: [], client_status: { desktop: PresenceUpdateStatus.Online } } satisfies GatewayPresenceUpdateDispatchData],
  ['TypingStart', { channel_id: '4', guild_id, user_id: user.id, timestamp: 1_700_000_000, member } satisfies GatewayTypingStartDispatchData],
  ['VoiceStateUpdate', { guild_id, channel_id: '6', user_id: user.id, member, session_id: 'v', deaf: false, mute: false, self_deaf: false, self_mute: true, self_video: false, suppress: false, request_to_speak_timestamp: null } satisfies GatewayVoiceStateUpdateDispatchData],
  ['VoiceServerUpdate', { token: 'voice-token', guild_id, endpoint: 'voice.example:443' } satisfies GatewayVoiceServerUpdateDispatchData],
  ['WebhooksUpdate', { guild_id, channel_id: '4' } satisfies GatewayWebhooksUpdateDispatchData],
  ['MessageReactionAdd', { user_id: user.id, channel_id: '4', message_id: '3', guild_id, member, emoji: { id: null, name: '👍' }, burst: false, type: 0, message_author_id: user.id, burst_colors: [] } satisfies GatewayMessageReactionAddDispatchData],
  ['MessageReactionRemove', { user_id: user.id, channel_id: '4', message_id: '3', guild_id, emoji: { id: null, name: '👍' }, burst: false, type: 0 } satisfies GatewayMessageReactionRemoveDispatchData],
  ['MessageReactionRemoveAll', { channel_id: '4', message_id: '3', guild_id } satisfies GatewayMessageReactionRemoveAllDispatchData],
];

describe('codecs vs discord-api-types', () => {
  it.each(samples)('%s: a discord-api-types payload passes the codec (fast path)', (type, data) => {
    const codec = discordCodecs[type] as { is: (u: unknown) => boolean; decode: (u: unknown) => { _tag: string } };
    const v = validate(discordCodecs[type], data, type);
    expect(v).toEqual({ ok: true, value: data });
    expect(codec.is(data)).toBe(true);
  });

  it('maps every typed wire name to its codec and back (GatewayDispatchEvents)', () => {
    const wire = Object.values(GatewayDispatchEvents) as string[];
    for (const [name, type] of Object.entries(DISPATCH_TYPES)) {
      expect(wire).toContain(name);
      expect(type !== undefined && discordCodecs[type]).toBeDefined();
    }
    expect(Object.keys(DISPATCH_TYPES)).toHaveLength(Object.keys(discordCodecs).length);
    const t: GatewayDispatchPayload['t'] = GatewayDispatchEvents.MessageCreate;
    expect(DISPATCH_TYPES[t]).toBe('MessageCreate');
  });
});
