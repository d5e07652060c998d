/**
 * One payload per Mezon event type (realistic for the seed's 21, in the decoded (typed) shape:
 * what `MezonTestServer.pushEvent` takes and what a client should see.
 * Channel messages carry parsed content and decoded nested lists; the server
 * re-encodes them to the wire form (content JSON string, protobuf bytes).
 */
import { MEZON_EXTRA_EVENT_FIELDS, envelopeSchema, type MezonEventType, type MezonSeedEventType, type WireMessage } from '../../gateway/mezon';

const CLAN = '1840651530236071936';
const CHANNEL = '1840651530273820672';
const USER = '1831510401300041728';

/** The clan, channel and user ids the samples use. */
export const MEZON_SAMPLE_IDS = { clan: CLAN, channel: CHANNEL, user: USER } as const;

const SEED_SAMPLES: Readonly<Record<MezonSeedEventType, Readonly<Record<string, unknown>>>> = {
  ChannelMessage: {
    clan_id: CLAN,
    channel_id: CHANNEL,
    message_id: '1840700000000000001',
    code: 0,
    sender_id: USER,
    username: 'alice',
    avatar: 'https://cdn.mezon.test/a.png',
    content: { t: 'hello @bot see https://mezon.ai', lk: [{ s: 16, e: 31 }] },
    channel_label: 'general',
    clan_logo: '',
    category_name: 'Text',
    display_name: 'Alice',
    clan_nick: 'ali',
    clan_avatar: '',
    reactions: [{ id: '7', emoji_id: '42', emoji: 'thumbsup', sender_id: USER, count: 2, channel_id: CHANNEL, message_id: '1840700000000000001', clan_id: CLAN, mode: 2 }],
    mentions: [{ user_id: '1831510401300041729', username: 'bot', s: 6, e: 10 }],
    attachments: [{ filename: 'cat.png', size: 2048, url: 'https://cdn.mezon.test/cat.png', filetype: 'image/png', width: 64, height: 48 }],
    references: [{ message_id: '1840700000000000001', message_ref_id: '1840699999999999999', content: '{"t":"earlier"}', ref_type: 0, message_sender_id: USER }],
    create_time_seconds: 1732300000,
    update_time_seconds: 1732300000,
    mode: 2,
    is_public: true,
    topic_id: '0',
  },
  MessageReaction: { id: '7', emoji_id: '42', emoji: 'thumbsup', sender_id: USER, sender_name: 'alice', action: false, count: 1, channel_id: CHANNEL, message_id: '1840700000000000001', clan_id: CLAN, mode: 2, is_public: true },
  MessageTypingEvent: { clan_id: CLAN, channel_id: CHANNEL, sender_id: USER, mode: 2, is_public: true, sender_username: 'alice', sender_display_name: 'Alice' },
  MessageButtonClicked: { message_id: '1840700000000000001', channel_id: CHANNEL, button_id: 'confirm', sender_id: '1831510401300041729', user_id: USER, extra_data: '{"x":1}' },
  ChannelCreated: { clan_id: CLAN, category_id: '11', creator_id: USER, parent_id: '0', channel_id: '1840651530273820699', channel_label: 'new-room', channel_private: 0, channel_type: 1, status: 1, clan_name: 'rxwire' },
  ChannelUpdated: { clan_id: CLAN, category_id: '11', creator_id: USER, channel_id: CHANNEL, channel_label: 'general-2', channel_type: 1, topic: 'news', user_ids: [USER], role_ids: ['5'] },
  ChannelDeleted: { clan_id: CLAN, category_id: '11', parent_id: '0', channel_id: '1840651530273820699', deletor: USER },
  ChannelPresenceEvent: {
    channel_id: CHANNEL,
    joins: [{ user_id: USER, session_id: 1, username: 'alice', status: 'online', is_mobile: false, user_status: 'coding' }],
    leaves: [],
    mode: 2,
  },
  UserChannelAdded: {
    channel_desc: { clan_id: CLAN, channel_id: CHANNEL, channel_label: 'general' },
    users: [{ user_id: USER, username: 'alice', display_name: 'Alice', online: true }],
    status: 'added',
    clan_id: CLAN,
    create_time_seconds: 1732300001,
  },
  UserChannelRemoved: { channel_id: CHANNEL, user_ids: [USER], channel_type: 1, clan_id: CLAN, badge_counts: [3] },
  UserClanRemoved: { clan_id: CLAN, user_ids: [USER, '1831510401300041730'] },
  AddClanUser: { clan_id: CLAN, user: { user_id: '1831510401300041730', username: 'carol', online: false }, invitor: USER },
  VoiceStartedEvent: { id: 'v-1', clan_id: CLAN, voice_channel_id: '1840651530273820700' },
  VoiceEndedEvent: { id: '31', clan_id: CLAN, voice_channel_id: '1840651530273820700' },
  VoiceJoinedEvent: { clan_id: CLAN, clan_name: 'rxwire', id: 'p-1', participant: 'alice', user_id: USER, voice_channel_label: 'voice', voice_channel_id: '1840651530273820700' },
  VoiceLeavedEvent: { id: 'p-1', clan_id: CLAN, voice_channel_id: '1840651530273820700', voice_user_id: USER },
  ClanUpdatedEvent: { clan_id: CLAN, clan_name: 'rxwire', logo: 'https://cdn.mezon.test/logo.png', status: 1, is_community: true, about: 'streams' },
  ClanEventCreated: { title: 'Release party', clan_id: CLAN, channel_id: CHANNEL, start_time_seconds: 1732400000, end_time_seconds: 1732403600, event_id: '99', creator_id: USER, action: 1 },
  GiveCoffee: { sender_id: USER, receiver_id: '1831510401300041729', token_count: 1, message_ref_id: '1840700000000000001', channel_id: CHANNEL, clan_id: CLAN },
  TokenSend: { sender_id: USER, sender_name: 'alice', receiver_id: '1831510401300041729', amount: 10000, note: 'thanks', transaction_id: 'tx-1' },
  Notification: { notifications: [{ id: '555', subject: 'mention', content: new Uint8Array([123, 125]), code: -9, sender_id: USER, create_time_seconds: 1732300002, clan_id: CLAN, channel_id: CHANNEL, channel_type: 1 }] },
};

/**
 * A sample of a schema message with every field set to a non-default value
 * (int64 ids, text, 7, true, bytes, one list element, one map entry; nested
 * messages two levels deep): what the extra (generated) events carry.
 */
export function mezonSynthSample(m: WireMessage, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of m.fields) {
    if (f.oneof && f.kind !== 21) continue;
    const one = (): unknown => {
      const kind = f.kind === 22 ? f.scalar : f.kind;
      if (f.kind === 21) return f.msg && depth < 2 ? mezonSynthSample(f.msg, depth + 1) : {};
      if ([3, 4, 6, 16, 18].includes(kind)) return `18406515302${String(f.no).padStart(8, '0')}`;
      if (kind === 9) return `${f.name}-sample`;
      if (kind === 8) return true;
      if (kind === 12) return new Uint8Array([1, 2, f.no & 0xff]);
      if (kind === 1 || kind === 2) return 1.5;
      return 7;
    };
    if (f.kind === 21 && !f.repeated && !f.map && depth >= 2) continue;
    const element = f.embed?.msg.fields.find((x) => x.name === f.embed?.key)?.msg;
    if (element) out[f.name] = depth < 2 ? [mezonSynthSample(element, depth + 1)] : [];
    else if (f.map) out[f.name] = { k: f.kind === 21 ? (f.msg ? mezonSynthSample(f.msg, 2) : {}) : one() };
    else if (f.repeated) out[f.name] = [one()];
    else out[f.name] = one();
  }
  return out;
}

function extraSamples(): Record<string, Readonly<Record<string, unknown>>> {
  const env = envelopeSchema();
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [field, type] of Object.entries(MEZON_EXTRA_EVENT_FIELDS)) {
    const f = env.byJson.get(field);
    if (f?.msg) out[type] = mezonSynthSample(f.msg);
  }
  return out;
}

/** One sample per typed event: realistic ones for the seed's 21, schema-synthesized ones for the rest. */
export const MEZON_SAMPLE_EVENTS: Readonly<Record<MezonEventType, Readonly<Record<string, unknown>>>> = {
  ...(extraSamples() as Record<Exclude<MezonEventType, MezonSeedEventType>, Readonly<Record<string, unknown>>>),
  ...SEED_SAMPLES,
};

/** The seed's 21 samples only. */
export const MEZON_SEED_SAMPLE_EVENTS = SEED_SAMPLES;
