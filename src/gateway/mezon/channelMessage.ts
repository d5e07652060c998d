/**
 * channel_message as it arrives → the payload its codec checks: `content`
 * (a JSON string) parsed, and the protobuf `bytes` fields reactions, mentions,
 * attachments and references decoded with the schema's list messages
 * (MessageReactionList, ...; base64 first in the JSON framing, which
 * wire.ts has already turned into bytes). Throws with a readable message on bad
 * content JSON or undecodable bytes; decodeFrame turns that into a
 * DecodeError event and the stream goes on.
 */
import { MezonMessageContent, type MezonChannelMessage } from './codecs';
import { decodeBinary, wireMessage, type WireMessage } from './wire';

function bytesOf(field: string, v: unknown): Uint8Array | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v instanceof Uint8Array) return v.length === 0 ? undefined : v;
  if (typeof v === 'string') return Uint8Array.from(Buffer.from(v, 'base64'));
  throw new Error(`ChannelMessage.${field}: expected protobuf bytes, got ${typeof v}`);
}

function nested<T>(field: string, v: unknown, decode: (b: Uint8Array) => T[]): T[] {
  if (Array.isArray(v)) return v as T[]; // already decoded in the frame's pass (wire.ts)
  const b = bytesOf(field, v);
  if (b === undefined) return [];
  try {
    return decode(b);
  } catch (e) {
    throw new Error(`ChannelMessage.${field}: undecodable protobuf (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The `content` JSON string → its object ({} when empty). Throws with a readable message on bad JSON. */
export function parseContent(content: unknown): unknown {
  if (content === undefined || content === null || content === '') return {};
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content);
  } catch (e) {
    throw new Error(`ChannelMessage.content: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Completes a decoded channel_message in place (it is the decoder's own fresh
 * object) and returns it: content parsed; the list fields are already decoded
 * by wire.ts, bytes left by other producers are decoded here. Idempotent.
 * Non-objects are returned as they are (the codec rejects them).
 */
export function normalizeChannelMessage(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || payload instanceof Uint8Array) return payload;
  const m = payload as Record<string, unknown>;
  const l = lists();
  m.content = parseContent(m.content);
  m.reactions = nested('reactions', m.reactions, (b) => decodeBinary(l.reactions, b).reactions as unknown[]);
  m.mentions = nested('mentions', m.mentions, (b) => decodeBinary(l.mentions, b).mentions as unknown[]);
  m.attachments = nested('attachments', m.attachments, (b) => decodeBinary(l.attachments, b).attachments as unknown[]);
  m.references = nested('references', m.references, (b) => decodeBinary(l.references, b).refs as unknown[]);
  return m;
}

// MezonMessageContent.is for what JSON.parse returns, without io-ts's two record checks and the
// intersection's walk: a non-array object whose known keys, when present, pass their codecs. It
// walks the object's keys (usually just `t`), not the codec's eight; the keys and their codecs are
// read from MezonMessageContent itself, so the two cannot drift apart.
const contentCodecs: ReadonlyMap<string, { is: (u: unknown) => boolean }> = new Map(Object.entries(MezonMessageContent.types[1].props));
function isContent(u: unknown): u is Record<string, unknown> {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return false;
  const o = u as Record<string, unknown>;
  for (const k in o) {
    const codec = contentCodecs.get(k);
    if (codec !== undefined && !codec.is(o[k])) return false;
  }
  return true;
}

/**
 * A channel_message the schema decoder produced (isSchemaFrame: every field
 * present with its schema type, the lists decoded) → the typed event data,
 * completed in place: its `content` parsed. That is all the codec would
 * check beyond the schema's types (tested: test/mezon/fastpath.test.ts), so
 * no validation pass runs. Undefined when the content is not JSON or not an
 * object of MessageContent's shape: the caller takes the validating path,
 * which reports it as a DecodeError.
 */
export function typedChannelMessage(m: Record<string, unknown>): MezonChannelMessage | undefined {
  const c = m.content;
  if (typeof c !== 'string') return undefined;
  let parsed: unknown;
  if (c === '') parsed = {};
  else {
    try {
      parsed = JSON.parse(c);
    } catch {
      return undefined;
    }
  }
  if (!isContent(parsed)) return undefined;
  m.content = parsed;
  return m as unknown as MezonChannelMessage;
}

interface Lists {
  readonly reactions: WireMessage;
  readonly mentions: WireMessage;
  readonly attachments: WireMessage;
  readonly references: WireMessage;
}
let listMessages: Lists | undefined;
function lists(): Lists {
  listMessages ??= {
    reactions: wireMessage('mezon.api.MessageReactionList'),
    mentions: wireMessage('mezon.api.MessageMentionList'),
    attachments: wireMessage('mezon.api.MessageAttachmentList'),
    references: wireMessage('mezon.api.MessageRefList'),
  };
  return listMessages;
}
