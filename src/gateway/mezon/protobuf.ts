/**
 * The Mezon `Envelope` in both framings, from rxwire's own copy of the
 * official schema (schema.generated.ts; see wire.ts for the codec):
 * `cid` (int32 in the current generation, a string in the previous one) plus
 * one populated oneof field.
 *
 * Reading accepts both generations: a varint or a string cid in binary, a
 * number or a string in JSON; 0, "" and an absent cid all mean a server push.
 * Writing speaks the current generation (int32 cid) unless asked for the
 * previous one (`cidString`).
 */
import { decodeEnvelopeFast } from './decode.generated';
import { decodeEnvelopeParts, encodeEnvelopeParts, fromJson, toJson, wireMessage, type EnvelopeParts, type WireMessage } from './wire';

/** The Envelope's cid, populated field and decoded payload. */
export type { EnvelopeParts } from './wire';

/** An Envelope as a plain object: `cid` (a number; 0 or absent on pushes) plus one populated message field. */
export type EnvelopeObject = Readonly<Record<string, unknown>>;

/** How to write an Envelope. */
export interface EnvelopeWriteOptions {
  /** Write `cid` as a string, as the previous schema generation did (before 2026-04-24). Default false (int32). */
  readonly cidString?: boolean;
}

let envelopeMessage: WireMessage | undefined;
/** The schema's `mezon.realtime.Envelope`. */
export function envelopeSchema(): WireMessage {
  envelopeMessage ??= wireMessage('mezon.realtime.Envelope');
  return envelopeMessage;
}

/** The populated message field of an Envelope object (the first defined key other than `cid`). */
export function envelopeField(envelope: EnvelopeObject): string | undefined {
  for (const k of Object.keys(envelope)) {
    if (k !== 'cid' && envelope[k] !== undefined && envelope[k] !== null) return k;
  }
  return undefined;
}

function cidNumber(cid: unknown): number {
  if (cid === undefined || cid === null || cid === '' || cid === 0) return 0;
  if (typeof cid === 'number' && Number.isInteger(cid)) return cid | 0;
  if (typeof cid === 'string' && /^-?\d{1,10}$/.test(cid)) return Number(cid) | 0;
  throw new Error(`Envelope.cid: expected an int32, got ${JSON.stringify(String(cid).slice(0, 40))}`);
}

/**
 * Binary Envelope → parts (cid, field, decoded payload). Throws on malformed input.
 * The hot fields (channel_message) take the generated straight-line decoder
 * (decode.generated.ts); anything it does not take, wire.ts decodes.
 */
export function decodeEnvelopeBinaryParts(bytes: Uint8Array): EnvelopeParts {
  return decodeEnvelopeFast(bytes) ?? decodeEnvelopeParts(envelopeSchema(), bytes);
}

/** JSON text Envelope → parts; the payload is normalized to what the binary decoder yields. Throws on malformed input. */
export function decodeEnvelopeJsonParts(text: string): EnvelopeParts {
  return decodeEnvelopeJsonChecked(text).parts;
}

/**
 * decodeEnvelopeJsonParts, and whether the payload is the schema decoder's
 * own (every field of its schema type: fromJson accepted the value) rather
 * than the value as it came (a wrong type somewhere, an unknown field),
 * which only a codec may judge. Internal (frame.ts).
 */
export function decodeEnvelopeJsonChecked(text: string): { readonly parts: EnvelopeParts; readonly schema: boolean } {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('a JSON envelope must be an object');
  const o = v as Record<string, unknown>;
  const env = envelopeSchema();
  let field: string | undefined;
  let payload: unknown;
  let schema = false;
  let unknownKey: string | undefined;
  for (const k of Object.keys(o)) {
    if (k === 'cid') continue;
    const value = o[k];
    if (value === undefined || value === null) continue;
    const f = env.byJson.get(k);
    if (f === undefined || f.no === 1) {
      unknownKey ??= k;
      continue;
    }
    field = f.name;
    try {
      payload = f.msg === undefined ? value : fromJson(f.msg, value);
      schema = f.msg !== undefined;
    } catch {
      // A wrong type somewhere: hand the value as it came to the event's codec, which names every bad path
      // (a non-object as an empty list: the codec's message is the same, without re-serializing a huge value).
      payload = typeof value === 'object' && !Array.isArray(value) ? value : Array.isArray(value) ? [] : value;
    }
    break;
  }
  if (field === undefined && unknownKey !== undefined) {
    field = unknownKey;
    payload = o[unknownKey];
    schema = false;
  }
  return { parts: { cid: cidNumber(o.cid), cidString: typeof o.cid === 'string', field, payload }, schema };
}

function partsOf(envelope: EnvelopeObject): { cid: number; field: string | undefined; payload: unknown } {
  const field = envelopeField(envelope);
  return { cid: cidNumber(envelope.cid), field, payload: field === undefined ? undefined : envelope[field] };
}

/** Binary protobuf → Envelope object `{ cid, [field]: payload }`. Throws on malformed input. */
export function decodeEnvelopeBinary(bytes: Uint8Array): EnvelopeObject {
  const p = decodeEnvelopeBinaryParts(bytes);
  return p.field === undefined ? { cid: p.cid } : { cid: p.cid, [p.field]: p.payload };
}

/** JSON text → Envelope object `{ cid, [field]: payload }` (payload normalized). Throws on malformed input. */
export function decodeEnvelopeJson(text: string): EnvelopeObject {
  const p = decodeEnvelopeJsonParts(text);
  return p.field === undefined ? { cid: p.cid } : { cid: p.cid, [p.field]: p.payload };
}

/** Envelope object (missing fields take their proto3 defaults) → binary protobuf. */
export function encodeEnvelopeBinary(envelope: EnvelopeObject, options: EnvelopeWriteOptions = {}): Uint8Array {
  const { cid, field, payload } = partsOf(envelope);
  return encodeEnvelopeParts(envelopeSchema(), cid, field, payload, options.cidString);
}

/** Envelope object → JSON text frame (protobuf JSON mapping, proto names). An empty message (ping, pong) stays `{}`. */
export function encodeEnvelopeJson(envelope: EnvelopeObject, options: EnvelopeWriteOptions = {}): string {
  const { cid, field, payload } = partsOf(envelope);
  const out: Record<string, unknown> = {};
  if (cid !== 0) out.cid = options.cidString ? String(cid) : cid;
  if (field !== undefined) {
    const f = envelopeSchema().byJson.get(field);
    if (f === undefined) throw new Error(`Envelope has no field ${field}`);
    out[f.name] = f.msg === undefined ? payload : toJson(f.msg, (payload ?? {}) as Record<string, unknown>);
  }
  return JSON.stringify(out);
}
