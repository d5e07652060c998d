/** Realistic Discord payloads for tests, the demo and benchmarks, typed with rxwire/discord's codecs. */
import type { Message } from '../../gateway/discord/codecs/models';

let nextId = 1_100_000_000_000_000_000n;

/**
 * A MESSAGE_CREATE `d` of about 1.1 KB, as Discord sends for a guild text
 * message: a typed `Message` (what a `MessageCreate` event's `data` decodes
 * to; the author carries two extra wire fields the codec passes through).
 * Each call has a fresh snowflake id; `overrides` replace fields.
 */
export function discordMessageCreate(content = 'hello from the local gateway', overrides: Partial<Message> = {}): Message {
  const id = (nextId++).toString();
  const author = {
    username: 'someone',
    public_flags: 0,
    id: '80351110224678912',
    global_name: 'Someone',
    discriminator: '0',
    clan: null,
    avatar_decoration_data: null,
    avatar: 'a_1269e74af4df7417b13759eae50c83dc',
  };
  return {
    type: 0,
    tts: false,
    timestamp: '2024-05-04T12:34:56.789000+00:00',
    referenced_message: null,
    pinned: false,
    nonce: '1236789012345678848',
    mentions: [],
    mention_roles: [],
    mention_everyone: false,
    member: {
      roles: ['81384788765712390', '81384788765712391'],
      premium_since: null,
      pending: false,
      nick: null,
      mute: false,
      joined_at: '2021-03-01T10:00:00.000000+00:00',
      flags: 0,
      deaf: false,
      communication_disabled_until: null,
      avatar: null,
    },
    id,
    flags: 0,
    embeds: [],
    edited_timestamp: null,
    content,
    components: [],
    channel_id: '81384788765712385',
    author,
    attachments: [
      {
        width: 640,
        url: 'https://cdn.discordapp.com/attachments/81384788765712385/1236789012345678850/image.png',
        size: 48213,
        proxy_url: 'https://media.discordapp.net/attachments/81384788765712385/1236789012345678850/image.png',
        id: '1236789012345678850',
        height: 480,
        filename: 'image.png',
        content_type: 'image/png',
      },
    ],
    guild_id: '81384788765712384',
    ...overrides,
  };
}
