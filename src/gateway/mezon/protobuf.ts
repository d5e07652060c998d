/**
 * The Mezon `Envelope` codec: binary protobuf through the official canonical
 * codec of `mezon-js-protobuf` (ts-proto generated, on protobufjs), and the
 * protobuf JSON mapping for text frames.
 *
 * mezon-js-protobuf exports the API messages (ChannelMessage, the reaction /
 * mention / attachment / ref lists, Session, ...) but not `Envelope` itself;
 * its only public door to the Envelope codec is `WebSocketAdapterPb`, whose
 * `send` encodes (`Envelope.encode(Envelope.fromPartial(msg))`) and whose
 * `onMessage` decodes. We drive one adapter over an in-memory socket, so the
 * schema (field numbers, int64 ids as strings, bytes fields) is exactly the
 * one Mezon ships, with no transcription of our own. `assertEnvelopeCodec`
 * fails loudly at first use if a new version changes that shape.
 */
import type { WebSocketAdapterPb } from 'mezon-js-protobuf';
import { mezonProtobuf } from './loadProtobuf';

interface MemorySocket {
  readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  onmessage: ((evt: { data: Uint8Array }) => void) | null;
  onclose: null;
  onerror: null;
  onopen: null;
}

/** A decoded Envelope: `cid` plus (ideally) one populated message field. */
export type EnvelopeObject = Readonly<Record<string, unknown>>;

let adapter: WebSocketAdapterPb | undefined;
let socket: MemorySocket | undefined;
let encoded: Uint8Array | undefined;
let decoded: unknown;

function codec(): { adapter: WebSocketAdapterPb; socket: MemorySocket } {
  if (adapter !== undefined && socket !== undefined) return { adapter, socket };
  const a = new (mezonProtobuf().WebSocketAdapterPb)();
  const s: MemorySocket = {
    readyState: 1,
    send: (data) => {
      encoded = data;
    },
    close: () => undefined,
    onmessage: null,
    onclose: null,
    onerror: null,
    onopen: null,
  };
  a['_socket'] = s;
  a.onMessage = (message: unknown) => {
    decoded = message;
  };
  if (typeof s.onmessage !== 'function') {
    throw new Error('mezon-js-protobuf: WebSocketAdapterPb no longer exposes its Envelope codec the way rxwire expects; pin mezon-js-protobuf to a 1.10.x version');
  }
  adapter = a;
  socket = s;
  return { adapter: a, socket: s };
}

/** Binary protobuf → Envelope. Throws on malformed input (callers turn that into a DecodeError). */
export function decodeEnvelopeBinary(bytes: Uint8Array): EnvelopeObject {
  const { socket: s } = codec();
  decoded = undefined;
  s.onmessage?.({ data: bytes });
  const out = decoded;
  decoded = undefined;
  if (typeof out !== 'object' || out === null) throw new Error('Envelope decoder returned nothing');
  return out as EnvelopeObject;
}

/** Envelope (partial: missing fields take their proto3 defaults) → binary protobuf. */
export function encodeEnvelopeBinary(envelope: EnvelopeObject): Uint8Array {
  const { adapter: a } = codec();
  encoded = undefined;
  a.send(envelope);
  const out = encoded;
  encoded = undefined;
  if (out === undefined) throw new Error('Envelope encoder produced nothing');
  return out;
}

/** The populated message field of an Envelope (the first defined key other than `cid`). */
export function envelopeField(envelope: EnvelopeObject, preferred?: readonly string[]): string | undefined {
  if (preferred !== undefined) {
    for (const k of preferred) if (envelope[k] !== undefined && envelope[k] !== null) return k;
  }
  for (const k in envelope) {
    if (k !== 'cid' && envelope[k] !== undefined && envelope[k] !== null) return k;
  }
  return undefined;
}

/**
 * A value → the protobuf JSON mapping as Mezon's Go server writes it
 * (protojson with proto names): bytes as base64, int64 already strings,
 * unset and zero scalars omitted.
 */
export function toProtoJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return value.length === 0 ? undefined : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => toProtoJson(v) ?? null);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const j = toProtoJson(v);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  if (value === '' || value === false || value === 0) return undefined;
  return value;
}

/** Envelope → JSON text frame. An empty message (ping, pong) stays `{}`. */
export function encodeEnvelopeJson(envelope: EnvelopeObject): string {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(envelope)) {
    if (v === undefined || v === null) continue;
    if (k === 'cid') {
      if (v !== '') out.cid = v;
      continue;
    }
    out[k] = toProtoJson(v) ?? {};
  }
  return JSON.stringify(out);
}

/** JSON text frame → Envelope object (not normalized: codecs fill the omitted defaults). Throws on bad JSON. */
export function decodeEnvelopeJson(text: string): EnvelopeObject {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('a JSON envelope must be an object');
  return v as EnvelopeObject;
}
