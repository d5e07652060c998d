/**
 * The wire primitives of the generated straight-line decoders
 * (decode.generated.ts): one cursor over one Uint8Array, module state, no
 * reader object, small functions V8 inlines into the generated code.
 *
 * They read only the common case and give up (throw BAIL) on anything else:
 * a wire-type mismatch, a group, a varint over 10 bytes, a length past the
 * buffer, a message that overruns its length. The caller then decodes the
 * frame again with the general decoder (wire.ts), which has the answer for
 * every input (its value, or its error message). So the fast path never has
 * to agree with wire.ts on anything but the values of well-formed input,
 * where it mirrors wire.ts (and @bufbuild/protobuf's BinaryReader, which
 * wire.ts reads with) bit for bit: the same varint arithmetic, int64 as
 * decimal strings, bytes as subarrays, strings by the same UTF-8 decoder.
 */

/** Thrown to give up on the fast path (not an Error: no stack trace to build). */
export const BAIL: { readonly bail: true } = Object.freeze({ bail: true });

const EMPTY = new Uint8Array(0);
let buf: Uint8Array = EMPTY;
let pos = 0;
let lim = 0;
let view: DataView | undefined;
let lo = 0;
let hi = 0;

/** Starts reading `bytes` from offset 0. */
export function begin(bytes: Uint8Array): void {
  buf = bytes;
  pos = 0;
  lim = bytes.length;
  view = undefined;
}

/** Drops the reference to the last buffer (so a big frame is not kept alive). */
export function release(): void {
  buf = EMPTY;
  view = undefined;
}

/** True while the cursor is before `end`. */
export function more(end: number): boolean {
  return pos < end;
}

/** A message must end exactly at its length. */
export function done(end: number): void {
  if (pos !== end) throw BAIL;
}

/** Gives up (a field of a known number with another wire type, a map or wrapper field, ...). */
export function bail(): never {
  throw BAIL;
}

/** A tag: a varint of at most 5 bytes, field number > 0, wire type 0-5 (anything else: BAIL). */
export function tag(): number {
  let b = buf[pos++];
  let t = b & 0x7f;
  if ((b & 0x80) !== 0) {
    b = buf[pos++];
    t |= (b & 0x7f) << 7;
    if ((b & 0x80) !== 0) {
      b = buf[pos++];
      t |= (b & 0x7f) << 14;
      if ((b & 0x80) !== 0) {
        b = buf[pos++];
        t |= (b & 0x7f) << 21;
        if ((b & 0x80) !== 0) {
          b = buf[pos++];
          if ((b & 0xf0) !== 0) throw BAIL;
          t = (t | (b << 28)) >>> 0;
        }
      }
    }
  }
  if (pos > lim || t < 8 || (t & 7) > 5) throw BAIL;
  return t;
}

/** A varint's low 32 bits, unsigned (BinaryReader.uint32: at most 10 bytes). */
export function u32(): number {
  let b = buf[pos++];
  if ((b & 0x80) === 0) {
    if (pos > lim) throw BAIL;
    return b;
  }
  let r = b & 0x7f;
  b = buf[pos++];
  r |= (b & 0x7f) << 7;
  if ((b & 0x80) === 0) {
    if (pos > lim) throw BAIL;
    return r;
  }
  b = buf[pos++];
  r |= (b & 0x7f) << 14;
  if ((b & 0x80) === 0) {
    if (pos > lim) throw BAIL;
    return r;
  }
  b = buf[pos++];
  r |= (b & 0x7f) << 21;
  if ((b & 0x80) === 0) {
    if (pos > lim) throw BAIL;
    return r;
  }
  b = buf[pos++];
  r |= (b & 0x0f) << 28;
  for (let n = 5; (b & 0x80) !== 0 && n < 10; n++) b = buf[pos++];
  if ((b & 0x80) !== 0 || pos > lim) throw BAIL;
  return r >>> 0;
}

/** int32 / enum. */
export function i32(): number {
  return u32() | 0;
}

/** sint32 (zigzag). */
export function s32(): number {
  const z = u32();
  return (z >>> 1) ^ -(z & 1);
}

/** A 64-bit varint into (lo, hi), as BinaryReader.varint64 reads it (its loops unrolled: ids take 9 bytes). */
function v64(): void {
  let b = buf[pos++];
  let l = b & 0x7f;
  let h = 0;
  if ((b & 0x80) !== 0) {
    b = buf[pos++];
    l |= (b & 0x7f) << 7;
    if ((b & 0x80) !== 0) {
      b = buf[pos++];
      l |= (b & 0x7f) << 14;
      if ((b & 0x80) !== 0) {
        b = buf[pos++];
        l |= (b & 0x7f) << 21;
        if ((b & 0x80) !== 0) {
          b = buf[pos++];
          l |= (b & 0x0f) << 28;
          h = (b & 0x70) >> 4;
          if ((b & 0x80) !== 0) {
            b = buf[pos++];
            h |= (b & 0x7f) << 3;
            if ((b & 0x80) !== 0) {
              b = buf[pos++];
              h |= (b & 0x7f) << 10;
              if ((b & 0x80) !== 0) {
                b = buf[pos++];
                h |= (b & 0x7f) << 17;
                if ((b & 0x80) !== 0) {
                  b = buf[pos++];
                  h |= (b & 0x7f) << 24;
                  if ((b & 0x80) !== 0) {
                    b = buf[pos++];
                    h |= (b & 0x7f) << 31;
                    if ((b & 0x80) !== 0) throw BAIL;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  if (pos > lim) throw BAIL;
  lo = l >>> 0;
  hi = h >>> 0;
}

/** bool: any non-zero varint. */
export function bool(): boolean {
  const b = buf[pos];
  if ((b & 0x80) === 0 && pos < lim) {
    pos++;
    return b !== 0;
  }
  v64();
  return lo !== 0 || hi !== 0;
}

function pad7(n: number): string {
  const s = String(n);
  return s.length === 7 ? s : '0000000'.slice(s.length) + s;
}

// Ids are int64 snowflakes past 2^53: their decimal costs a few divisions and string joins. The same
// clan, channel and user ids come back in message after message, so the last id seen per slot of a
// small direct-mapped table is kept (keyed by the exact 64 bits; a miss computes and replaces it).
const SLOT_BITS = 8;
const SLOTS = 1 << SLOT_BITS;
const idLo = new Int32Array(SLOTS);
const idHi = new Int32Array(SLOTS);
const idStr: string[] = new Array<string>(SLOTS).fill('');

/** Unsigned (lo, hi) → decimal, exact, in doubles: v = 1e7·(429·hi + 4967296·⌊hi/1e7⌋ + ⌊t/1e7⌋) + t mod 1e7, t = (hi mod 1e7)·4967296 + lo. */
function udec(l: number, h: number): string {
  if (h <= 0x1fffff) return String(h * 4294967296 + l);
  const slot = Math.imul(l ^ Math.imul(h, 0x85ebca6b), 0x9e3779b1) >>> (32 - SLOT_BITS); // all 64 bits mixed: snowflakes differ in their middle bits
  if (idLo[slot] === (l | 0) && idHi[slot] === (h | 0)) return idStr[slot];
  const hr = h % 10_000_000;
  const t = hr * 4967296 + l;
  const low = t % 10_000_000;
  const s = String(h * 429 + ((h - hr) / 10_000_000) * 4967296 + (t - low) / 10_000_000) + pad7(low);
  idLo[slot] = l;
  idHi[slot] = h;
  idStr[slot] = s;
  return s;
}

/** Signed (lo, hi), two's complement → decimal. */
function sdec(l: number, h: number): string {
  if ((h & 0x80000000) === 0) return udec(l, h);
  const nl = (~l + 1) >>> 0;
  const nh = (~h + (nl === 0 ? 1 : 0)) >>> 0;
  return `-${udec(nl, nh)}`;
}

/** int64 → decimal string. */
export function i64(): string {
  v64();
  return sdec(lo, hi);
}

/** uint64 → decimal string. */
export function u64(): string {
  v64();
  return udec(lo, hi);
}

/** sint64 (zigzag) → decimal string. */
export function s64(): string {
  v64();
  const s = -(lo & 1);
  return sdec((((lo >>> 1) | ((hi & 1) << 31)) ^ s) >>> 0, ((hi >>> 1) ^ s) >>> 0);
}

function fixed(n: number): DataView {
  if (pos + n > lim) throw BAIL;
  view ??= new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return view;
}

/** double. */
export function f64(): number {
  const v = fixed(8).getFloat64(pos, true);
  pos += 8;
  return v;
}

/** float. */
export function f32(): number {
  const v = fixed(4).getFloat32(pos, true);
  pos += 4;
  return v;
}

/** fixed32 (unsigned). */
export function fx32(): number {
  const v = fixed(4).getUint32(pos, true);
  pos += 4;
  return v;
}

/** sfixed32. */
export function sfx32(): number {
  const v = fixed(4).getInt32(pos, true);
  pos += 4;
  return v;
}

/** fixed64 → decimal string. */
export function fx64(): string {
  const d = fixed(8);
  const l = d.getUint32(pos, true);
  const h = d.getUint32(pos + 4, true);
  pos += 8;
  return udec(l, h);
}

/** sfixed64 → decimal string. */
export function sfx64(): string {
  const d = fixed(8);
  const l = d.getUint32(pos, true);
  const h = d.getUint32(pos + 4, true);
  pos += 8;
  return sdec(l, h);
}

/** A length prefix → the end offset of the length-delimited value it announces. */
export function len(): number {
  const n = u32();
  const end = pos + n;
  if (end > lim) throw BAIL;
  return end;
}

// UTF-8 as BinaryReader.string decodes it (TextDecoder, ignoreBOM, U+FFFD for bad bytes). On Node,
// Buffer's utf8Slice runs the same V8 decoder without a subarray per string; it reads any Uint8Array.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
type Slice = (this: Uint8Array, start: number, end: number) => string;
const nodeSlice = (globalThis as { Buffer?: { prototype?: { utf8Slice?: Slice } } }).Buffer?.prototype?.utf8Slice;
const utf8Slice: Slice | undefined = (() => {
  try {
    const probe = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xc3, 0xa9, 0xff, 0xe2, 0x82]);
    return nodeSlice !== undefined && nodeSlice.call(probe, 0, probe.length) === decoder.decode(probe) ? nodeSlice : undefined;
  } catch {
    return undefined;
  }
})();

const ch = String.fromCharCode;

/** A short ASCII string straight from its bytes (a native call per string costs more than the decode). */
function ascii(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 1:
      return ch(b[s]);
    case 2:
      return ch(b[s], b[s + 1]);
    case 3:
      return ch(b[s], b[s + 1], b[s + 2]);
    case 4:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3]);
    case 5:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4]);
    case 6:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5]);
    case 7:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6]);
    case 8:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7]);
    case 9:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8]);
    case 10:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9]);
    case 11:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10]);
    default:
      return ch(b[s], b[s + 1], b[s + 2], b[s + 3], b[s + 4], b[s + 5], b[s + 6], b[s + 7], b[s + 8], b[s + 9], b[s + 10], b[s + 11]);
  }
}

/** string (UTF-8). */
export function str(): string {
  const end = len();
  const start = pos;
  pos = end;
  const n = end - start;
  if (n === 0) return '';
  if (n <= 12) {
    let any = 0;
    for (let i = start; i < end; i++) any |= buf[i];
    if (any < 0x80) return ascii(buf, start, n);
  }
  return utf8Slice !== undefined ? utf8Slice.call(buf, start, end) : decoder.decode(buf.subarray(start, end));
}

/** bytes: a view into the frame (as BinaryReader.bytes). */
export function bytes(): Uint8Array {
  const end = len();
  const start = pos;
  pos = end;
  return buf.subarray(start, end);
}

/** Skips an unknown field by its tag: varint, 64-bit, length-delimited, 32-bit (a group: BAIL). */
export function skip(t: number): void {
  switch (t & 7) {
    case 0:
      while ((buf[pos++] & 0x80) !== 0);
      break;
    case 1:
      pos += 8;
      break;
    case 2:
      pos = len();
      break;
    case 5:
      pos += 4;
      break;
    default:
      throw BAIL;
  }
  if (pos > lim) throw BAIL;
}
