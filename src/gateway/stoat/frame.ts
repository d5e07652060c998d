/**
 * Framing for Bonfire: one WebSocket message is one EventV1 object, JSON in
 * text frames (`format=json`) or MessagePack named maps in binary frames
 * (`format=msgpack`). Also the decode spec that maps a frame's wire `type`
 * (or, for the documented `{type:"Auth"}` shape, its `event_type`) to an
 * rxwire event name and its codec.
 */
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import type { DecodeSpec } from '../../core';
import { authEventToName, stoatCodecs, wireToName, type StoatCodecs } from './codecs/events';
import type { StoatSource } from './events';

export type StoatFormat = 'json' | 'msgpack';

/** A decoded frame: an object with a `type` tag (checked by the session). */
export type StoatFrame = Readonly<Record<string, unknown>>;

export type ParsedFrame = { readonly ok: true; readonly frame: unknown } | { readonly ok: false; readonly error: string };

export function parseText(text: string): ParsedFrame {
  try {
    return { ok: true, frame: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `invalid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function parseBinary(data: Uint8Array): ParsedFrame {
  try {
    return { ok: true, frame: msgpackDecode(data) };
  } catch (e) {
    return { ok: false, error: `invalid MessagePack: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Encodes a client message for the negotiated format. */
export function encodeFrame(format: StoatFormat, message: unknown): string | Uint8Array {
  return format === 'json' ? JSON.stringify(message) : msgpackEncode(message);
}

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

export const stoatDecodeSpec: DecodeSpec<StoatSource, StoatCodecs, StoatFrame> = {
  source: 'stoat',
  codecs: stoatCodecs,
  tag: frameTag,
  payload: (frame) => frame,
};
