/**
 * Framing: one WebSocket message → one inbound item. Binary messages are
 * protobuf Envelopes unless the first byte is 0xFF (no protobuf message
 * starts with it: field number 31 with the invalid wire type 7), which marks
 * a raw API-response chunk: u16 cid, u32 (high 16 bits code, low 16 bits fin
 * flag 0xFF), then the chunk. Text messages are JSON Envelopes.
 */
import { decodeEnvelopeBinaryParts, decodeEnvelopeJsonChecked, type EnvelopeParts } from './protobuf';

/** An Envelope reduced to what the session needs. `cid` is 0 on server pushes. */
export interface MezonFrame {
  /** The request id this frame answers; 0 on pushes (absent, 0 or "" on the wire). */
  readonly cid: number;
  /** True when the cid came as a string (the previous schema generation). */
  readonly cidString: boolean;
  /** The populated message field, e.g. `channel_message`, `pong`, `error` (`#<n>` for a field number the schema lacks). */
  readonly field: string | undefined;
  /** The field's decoded value (the same plain object in both framings). */
  readonly payload: unknown;
  /** The frame as received (kept in Unknown/DecodeError events). */
  readonly raw: Uint8Array | string;
}

/** One inbound WebSocket message after framing. */
export type MezonInbound =
  | { readonly kind: 'Envelope'; readonly frame: MezonFrame }
  | { readonly kind: 'ApiChunk'; readonly cid: number; readonly code: number; readonly fin: boolean; readonly chunk: Uint8Array }
  | { readonly kind: 'Malformed'; readonly raw: Uint8Array | string; readonly error: string };

/** The first byte of a raw API-response frame. */
export const API_CHUNK_MARKER = 0xff;
/** The fin flag value (low 16 bits of the header word) of a response's last chunk. */
export const API_FIN = 0xff;

function toFrame(p: EnvelopeParts, raw: Uint8Array | string): MezonFrame {
  return { cid: p.cid, cidString: p.cidString, field: p.field, payload: p.payload, raw };
}

/**
 * A frame that parseBinary (or parseText, when fromJson took the value)
 * decoded with the schema: its payload's fields all have their schema types
 * (int64 a decimal string, bytes a Uint8Array, lists decoded, ...) by
 * construction. The private brand cannot be copied or forged (a spread or a
 * hand-built frame is a plain object), so isSchemaFrame is a proof, not a
 * hint, for the payload as decoded (one changed in place afterwards, through
 * a cast, is its changer's). The same own fields as any frame.
 */
class SchemaFrame implements MezonFrame {
  readonly #schema = true;
  constructor(
    readonly cid: number,
    readonly cidString: boolean,
    readonly field: string | undefined,
    readonly payload: unknown,
    readonly raw: Uint8Array | string,
  ) {}

  static has(f: object): boolean {
    return #schema in f;
  }
}

/** True when parseBinary / parseText built `frame` from a schema decode (its payload has the schema's types). */
export function isSchemaFrame(frame: MezonFrame): boolean {
  return SchemaFrame.has(frame);
}

/** A binary WebSocket message → an Envelope, a raw API-response chunk, or Malformed (never throws). */
export function parseBinary(data: Uint8Array): MezonInbound {
  if (data.length > 0 && data[0] === API_CHUNK_MARKER) {
    if (data.length < 7) return { kind: 'Malformed', raw: data, error: `API response frame shorter than its 7-byte header (${data.length} bytes)` };
    const cid = (data[1] << 8) | data[2];
    const word = ((data[3] << 24) >>> 0) + ((data[4] << 16) | (data[5] << 8) | data[6]);
    return { kind: 'ApiChunk', cid, code: word >>> 16, fin: (word & 0xffff) === API_FIN, chunk: data.subarray(7) };
  }
  try {
    const p = decodeEnvelopeBinaryParts(data);
    return { kind: 'Envelope', frame: new SchemaFrame(p.cid, p.cidString, p.field, p.payload, data) };
  } catch (e) {
    return { kind: 'Malformed', raw: data, error: `protobuf Envelope: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A text WebSocket message (a JSON Envelope) → an Envelope or Malformed (never throws). */
export function parseText(text: string): MezonInbound {
  try {
    const { parts: p, schema } = decodeEnvelopeJsonChecked(text);
    return { kind: 'Envelope', frame: schema ? new SchemaFrame(p.cid, p.cidString, p.field, p.payload, text) : toFrame(p, text) };
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
