/**
 * Framing for Bonfire: one WebSocket message is one EventV1 object, JSON in
 * text frames (`format=json`) or MessagePack named maps in binary frames
 * (`format=msgpack`). Also the decode spec that maps a frame's wire `type`
 * (or, for the documented `{type:"Auth"}` shape, its `event_type`) to an
 * rxwire event name and its codec.
 */
import { Decoder, encode as msgpackEncode } from '@msgpack/msgpack';
import type { DecodeSpec } from '../../core';
import { authEventToName, stoatCodecs, wireToName, type StoatCodecs } from './codecs/events';
import type { StoatSource } from './events';
import { checkMsgpackShape } from './msgpackShape';

/** Bonfire's two framings: JSON text frames or MessagePack (named maps) binary frames. */
export type StoatFormat = 'json' | 'msgpack';

/** A decoded frame: an object with a `type` tag (checked by the session). */
export type StoatFrame = Readonly<Record<string, unknown>>;

/** The result of parsing one WebSocket message: the frame value, or why it is not one. */
export type ParsedFrame = { readonly ok: true; readonly frame: unknown } | { readonly ok: false; readonly error: string };

/**
 * Deepest container nesting accepted in a MessagePack frame (a Bonfire event
 * nests about 10 levels: Bulk → event → message → embed → ...).
 */
export const MAX_FRAME_DEPTH = 128;

/** Parses a JSON text frame (V8's JSON.parse is iterative: deep nesting cannot overflow the stack). */
export function parseText(text: string): ParsedFrame {
  try {
    return { ok: true, frame: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

// One decoder for every frame; lengths are already checked against the bytes left by the shape check.
const decoder = new Decoder();

/**
 * Parses a MessagePack binary frame. Its shape is checked first in one pass
 * without allocating (nesting depth ≤ `maxDepth`, every announced length ≤ the
 * bytes left), so length bombs and deep nesting become an error, not a heap.
 */
export function parseBinary(data: Uint8Array, maxDepth = MAX_FRAME_DEPTH): ParsedFrame {
  const refused = checkMsgpackShape(data, maxDepth);
  if (refused !== undefined) return { ok: false, error: refused };
  try {
    return { ok: true, frame: decoder.decode(data) };
  } catch (e) {
    return { ok: false, error: `invalid MessagePack: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Encodes a client message for the negotiated format. */
export function encodeFrame(format: StoatFormat, message: unknown): string | Uint8Array {
  return format === 'json' ? JSON.stringify(message) : msgpackEncode(message);
}

// Wire tag → rxwire name.
const names = new Map<string, string>(Object.entries(wireToName));
const authNames = new Map<string, string>(Object.entries(authEventToName));

/** The rxwire event name for a frame object, or the wire tag itself when no codec knows it. */
export function frameTag(frame: StoatFrame): string | undefined {
  const wire = frame.type;
  if (typeof wire !== 'string') return undefined;
  if (wire === 'Auth') {
    const sub = frame.event_type;
    return typeof sub === 'string' ? (authNames.get(sub) ?? `Auth.${sub}`) : undefined;
  }
  const name = names.get(wire);
  if (name !== undefined) return name;
  // An unmapped wire tag that happens to equal one of our names must not pick that codec.
  return Object.prototype.hasOwnProperty.call(stoatCodecs, wire) ? `wire.${wire}` : wire;
}

/** The core decode spec of Stoat frames: tag by `frameTag`, the frame object is the payload. */
export const stoatDecodeSpec: DecodeSpec<StoatSource, StoatCodecs, StoatFrame> = {
  source: 'stoat',
  codecs: stoatCodecs,
  tag: frameTag,
  payload: (frame) => frame,
};
