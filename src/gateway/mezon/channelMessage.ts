/**
 * channel_message as it arrives → the payload its codec checks: `content`
 * (a JSON string) parsed, and the protobuf `bytes` fields reactions, mentions,
 * attachments and references decoded with mezon-js-protobuf's list codecs
 * (base64 first in the JSON framing). Throws with a readable message on bad
 * content JSON or undecodable bytes; decodeFrame turns that into a
 * DecodeError event and the stream goes on.
 */
import { mezonProtobuf } from './loadProtobuf';

function bytesOf(field: string, v: unknown): Uint8Array | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v instanceof Uint8Array) return v.length === 0 ? undefined : v;
  if (typeof v === 'string') return Uint8Array.from(Buffer.from(v, 'base64'));
  throw new Error(`ChannelMessage.${field}: expected protobuf bytes, got ${typeof v}`);
}

function nested<T>(field: string, v: unknown, decode: (b: Uint8Array) => T[]): T[] {
  const b = bytesOf(field, v);
  if (b === undefined) return [];
  try {
    return decode(b);
  } catch (e) {
    throw new Error(`ChannelMessage.${field}: undecodable protobuf (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function parseContent(content: unknown): unknown {
  if (content === undefined || content === null || content === '') return {};
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content);
  } catch (e) {
    throw new Error(`ChannelMessage.content: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Returns a new object; the input is not modified. Non-objects are returned as they are (the codec rejects them). */
export function normalizeChannelMessage(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null) return payload;
  const m = payload as Record<string, unknown>;
  const { MessageReactionList, MessageMentionList, MessageAttachmentList, MessageRefList } = mezonProtobuf();
  return {
    ...m,
    content: parseContent(m.content),
    reactions: nested('reactions', m.reactions, (b) => MessageReactionList.decode(b).reactions),
    mentions: nested('mentions', m.mentions, (b) => MessageMentionList.decode(b).mentions),
    attachments: nested('attachments', m.attachments, (b) => MessageAttachmentList.decode(b).attachments),
    references: nested('references', m.references, (b) => MessageRefList.decode(b).refs),
  };
}
