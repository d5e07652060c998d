/**
 * The Mezon conformance corpus: one fixture per typed push and per reply, in
 * the protobuf JSON mapping (proto field names, int64 as strings), turned
 * into wire frames by the OFFICIAL schema (the descriptor sets in schema/,
 * compiled from github.com/mezonai/mezon-protocol rtapi/realtime.proto and
 * api/api.proto; see schema/SOURCE.md) through @bufbuild/protobuf's
 * reflective runtime, never by rxwire's encoder.
 *
 * Sources: the Envelope oneof (realtime.proto `message Envelope`) names each
 * field; the payload fields follow the message definitions in the same files.
 */
import type { JsonObject } from '@bufbuild/protobuf';
import { MEZON_FIELD_OF, type MezonEventType } from '../../../src/gateway/mezon';
import { MezonSampleEvents } from '../../../src/testing/mezon';
import { officialEncode, type Generation } from '../officialSchema';

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** A JSON value with Uint8Array → base64 and nested objects kept. */
function jsonOf(v: unknown): unknown {
  if (v instanceof Uint8Array) return b64(v);
  if (Array.isArray(v)) return v.map(jsonOf);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonOf(x)]));
  return v;
}

/** The previous generation's spelling of the fields that changed. */
function previous(v: unknown): unknown {
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(previous);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'session_id') out[k] = String(x);
      else if (k === 'message_sender_avatar') out.messages_sender_avatar = x;
      else out[k] = previous(x);
    }
    return out;
  }
  return v;
}

/** A typed sample (rxwire's decoded shape) → the event's protobuf JSON, nested lists officially encoded. */
export function officialPayload(type: MezonEventType, generation: Generation): JsonObject {
  const data = MezonSampleEvents[type] as Record<string, unknown>;
  const adapt = (v: unknown): unknown => (generation === 'previous' ? previous(v) : v);
  // SdTopicEvent carries a whole ChannelMessage: its list fields travel as encoded bytes too.
  if (type === 'SdTopicEvent' && typeof data.message === 'object' && data.message !== null) return jsonOf({ ...(adapt(data) as object), message: channelMessageJson(data.message as Record<string, unknown>, generation) }) as JsonObject;
  if (type !== 'ChannelMessage') return jsonOf(adapt(data)) as JsonObject;
  return channelMessageJson(data, generation);
}

function channelMessageJson(data: Record<string, unknown>, generation: Generation): JsonObject {
  const adapt = (v: unknown): unknown => (generation === 'previous' ? previous(v) : v);
  const list = (message: string, key: string, v: unknown): string => b64(officialEncode(message, { [key]: jsonOf(adapt(v)) } as JsonObject, generation));
  return jsonOf({
    ...data,
    content: typeof data.content === 'string' ? data.content : JSON.stringify(data.content),
    reactions: list('mezon.api.MessageReactionList', 'reactions', data.reactions),
    mentions: list('mezon.api.MessageMentionList', 'mentions', data.mentions),
    attachments: list('mezon.api.MessageAttachmentList', 'attachments', data.attachments),
    references: list('mezon.api.MessageRefList', 'refs', data.references),
  }) as JsonObject;
}

/** The Envelope of a push (no cid) as protobuf JSON. */
export function pushEnvelope(type: MezonEventType, generation: Generation): JsonObject {
  return { [MEZON_FIELD_OF[type]]: officialPayload(type, generation) };
}

/** Replies the session must match to their request, as protobuf JSON without cid. */
export const REPLY_FIXTURES: Readonly<Record<string, JsonObject>> = {
  pong: { pong: {} },
  clan_join: { clan_join: { clan_id: '1840651530236071936' } },
  error: { error: { code: 3, message: 'Must join channel before sending messages', context: { k: 'v' } } },
  channel_message_ack: { channel_message_ack: { channel_id: '1840651530273820672', message_id: '1840800000000000001', code: 0, username: 'rxwire-bot', create_time_seconds: 1732300000, persistent: true } },
  channel: { channel: { id: '1840651530273820672', presences: [], self: { user_id: '1831510401300041729', session_id: 7, username: 'rxwire-bot' } } },
};

/** A reply with its cid in the generation's type (int32 now, a string before). */
export function withCid(envelope: JsonObject, cid: number, generation: Generation): JsonObject {
  const e = generation === 'previous' ? (previous(envelope) as JsonObject) : envelope;
  return { cid: generation === 'previous' ? String(cid) : cid, ...e };
}
