/**
 * How an event travels on the bus: JSON, with byte arrays as `{"$bytes": base64}`
 * and bigints as `{"$bigint": "…"}` so raw frames (Buffers) and protobuf int64s
 * survive the trip. `decodeEvent` is the inverse and never throws.
 */
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });

/** An event as the bytes published to the bus. */
export function encodeEvent(event: unknown): Uint8Array {
  return enc.encode(
    JSON.stringify(event, function (this: unknown, key: string, v: unknown) {
      const raw = (this as Record<string, unknown>)[key];
      if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
      if (typeof v === 'bigint') return { $bigint: v.toString() };
      return v;
    }),
  );
}

/** What `decodeEvent` gives: the value, or why the bytes are not one (with their text). */
export type Decoded = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string; readonly text: string };

/** Max nesting accepted off the bus (JSON.parse itself is iterative; the reviver walk is bounded by it too). */
const MAX_DEPTH = 256;

function depthOk(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return false;
    } else if (c === 125 || c === 93) depth--;
  }
  return true;
}

/** Bytes off the bus as a value (never throws; bounded nesting). */
export function decodeEvent(data: Uint8Array): Decoded {
  const text = dec.decode(data);
  if (!depthOk(text)) return { ok: false, error: `nested deeper than ${MAX_DEPTH}`, text };
  try {
    const value: unknown = JSON.parse(text, (_k, v: unknown) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if (typeof o.$bytes === 'string' && Object.keys(o).length === 1) return Buffer.from(o.$bytes, 'base64');
        if (typeof o.$bigint === 'string' && Object.keys(o).length === 1 && /^-?\d{1,40}$/.test(o.$bigint)) return BigInt(o.$bigint);
      }
      return v;
    });
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), text };
  }
}
