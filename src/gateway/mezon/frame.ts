/**
 * Framing: one WebSocket message → one inbound item. Binary messages are
 * protobuf Envelopes unless the first byte is 0xFF (no protobuf message
 * starts with it: field number 31 with the invalid wire type 7), which marks
 * a raw API-response chunk: u16 cid, u32 (high 16 bits code, low 16 bits fin
 * flag 0xFF), then the chunk. Text messages are JSON Envelopes.
 */
import { decodeEnvelopeBinary, decodeEnvelopeJson, envelopeField, type EnvelopeObject } from './protobuf';
import { MEZON_EVENT_FIELDS } from './events';

/** An Envelope reduced to what the session needs. `cid` is "" on server pushes. */
export interface MezonFrame {
  readonly cid: string;
  /** The populated message field, e.g. `channel_message`, `pong`, `error`. */
  readonly field: string | undefined;
  readonly payload: unknown;
  /** The frame as received (kept in Unknown/DecodeError events). */
  readonly raw: Uint8Array | string;
}

export type MezonInbound =
  | { readonly kind: 'Envelope'; readonly frame: MezonFrame }
  | { readonly kind: 'ApiChunk'; readonly cid: string; readonly code: number; readonly fin: boolean; readonly chunk: Uint8Array }
  | { readonly kind: 'Malformed'; readonly raw: Uint8Array | string; readonly error: string };

const PREFERRED = Object.keys(MEZON_EVENT_FIELDS);
const REPLY_FIELDS = ['pong', 'error', 'clan_join', 'channel', 'channel_message_ack', 'rpc'];
const LOOKUP = [...REPLY_FIELDS, ...PREFERRED];

export const API_CHUNK_MARKER = 0xff;
export const API_FIN = 0xff;

function toFrame(env: EnvelopeObject, raw: Uint8Array | string): MezonFrame {
  const cid = env.cid;
  const field = envelopeField(env, LOOKUP);
  return { cid: typeof cid === 'string' ? cid : typeof cid === 'number' ? String(cid) : '', field, payload: field === undefined ? undefined : env[field], raw };
}

export function parseBinary(data: Uint8Array): MezonInbound {
  if (data.length > 0 && data[0] === API_CHUNK_MARKER) {
    if (data.length < 7) return { kind: 'Malformed', raw: data, error: `API response frame shorter than its 7-byte header (${data.length} bytes)` };
    const cid = (data[1] << 8) | data[2];
    const word = ((data[3] << 24) >>> 0) + ((data[4] << 16) | (data[5] << 8) | data[6]);
    return { kind: 'ApiChunk', cid: String(cid), code: word >>> 16, fin: (word & 0xffff) === API_FIN, chunk: data.subarray(7) };
  }
  try {
    return { kind: 'Envelope', frame: toFrame(decodeEnvelopeBinary(data), data) };
  } catch (e) {
    return { kind: 'Malformed', raw: data, error: `protobuf Envelope: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function parseText(text: string): MezonInbound {
  try {
    return { kind: 'Envelope', frame: toFrame(decodeEnvelopeJson(text), text) };
  } catch (e) {
    return { kind: 'Malformed', raw: text, error: `JSON Envelope: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Builds a raw API-response frame (for servers and tests). */
export function encodeApiChunk(cid: number, code: number, fin: boolean, chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(7 + chunk.length);
  out[0] = API_CHUNK_MARKER;
  out[1] = (cid >> 8) & 0xff;
  out[2] = cid & 0xff;
  out[3] = (code >> 8) & 0xff;
  out[4] = code & 0xff;
  out[5] = 0;
  out[6] = fin ? API_FIN : 0;
  out.set(chunk, 7);
  return out;
}
