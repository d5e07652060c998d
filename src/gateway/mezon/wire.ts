/**
 * The schema-driven protobuf codec for Mezon: the official schema
 * (schema.generated.ts, generated from mezonai/mezon-protocol) over the
 * wire primitives of @bufbuild/protobuf (BinaryReader / BinaryWriter).
 *
 * Both framings decode to the same plain object, in the wire's own (proto)
 * field names: every field present with its proto3 default (int64 ids as
 * decimal strings, "0" by default; bytes as Uint8Array; repeated as arrays;
 * maps as null-prototype records; unset messages and wrappers undefined).
 * So the io-ts codecs take their fast `is` path for both framings.
 *
 * Tolerance (older generations on input): a numeric field that arrives
 * length-delimited (the previous generation's string `Envelope.cid`,
 * `UserPresence.session_id`) is read as a decimal string; other wire-type
 * mismatches are skipped like unknown fields (Go's protobuf does the same);
 * JSON accepts proto names, lowerCamel JSON names and the previous
 * generations' names (MEZON_FIELD_ALIASES). Limits: nesting depth
 * MAX_DEPTH; everything else is linear in the input.
 */
import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { protobufWire } from './loadProtobuf';
import { decodeEmbeddedListFast } from './decode.generated';
import { MEZON_EMBEDDED_LISTS } from './embeddedLists';
import { MEZON_ENUMS, MEZON_FIELD_ALIASES, MEZON_MESSAGES } from './schema.generated';

/** Messages nested deeper than this are refused (a DecodeError), in both framings. */
export const MAX_DEPTH = 64;

// protobuf ScalarType numbers, plus rxwire's kinds for enum / message / wrapper.
const DOUBLE = 1, FLOAT = 2, INT64 = 3, UINT64 = 4, INT32 = 5, FIXED64 = 6, FIXED32 = 7, BOOL = 8, STRING = 9, BYTES = 12, UINT32 = 13, SFIXED32 = 15, SFIXED64 = 16, SINT32 = 17, SINT64 = 18;
const ENUM = 20, MESSAGE = 21, WRAPPER = 22;
const VARINT = 0, BIT64 = 1, LEN = 2, BIT32 = 5;

/** One field of a message, linked. */
export interface WireField {
  /** The protobuf field number. */
  readonly no: number;
  /** The proto (snake_case) field name. */
  readonly name: string;
  /** ScalarType, ENUM, MESSAGE or WRAPPER (the value's kind for maps). */
  readonly kind: number;
  /** For WRAPPER: the wrapped scalar; for maps: the value's scalar kind when it is a scalar. */
  readonly scalar: number;
  /** A `repeated` field (a list). */
  readonly repeated: boolean;
  /** A member of a oneof: its default is undefined (absent), and it is written whenever set, even to a default value. */
  readonly oneof: boolean;
  /** A `map<K, V>` field (decoded to a plain object). */
  readonly map: boolean;
  /** For maps: the key's ScalarType; 0 otherwise. */
  readonly mapKey: number;
  /** For MESSAGE (and maps of messages): the linked message; undefined otherwise. Set once when the schema is built. */
  msg: WireMessage | undefined;
  /** For ENUM (and maps of enums): the enum's full name (e.g. `mezon.api.ChannelType`); undefined otherwise. */
  readonly enumName: string | undefined;
  /** A `bytes` field that carries an encoded list message (ChannelMessage.reactions, ...): decoded in the same pass to the list's elements. */
  embed: { readonly msg: WireMessage; readonly key: string } | undefined;
}

/** ChannelMessage's bytes fields that hold encoded list messages (embeddedLists.ts). */
export { MEZON_EMBEDDED_LISTS } from './embeddedLists';

/** One message of the schema, linked. */
export interface WireMessage {
  /** The full message name, e.g. `mezon.realtime.Envelope`. */
  readonly name: string;
  /** Its fields, in schema order. */
  readonly fields: readonly WireField[];
  /** Field number → field: an array indexed by number when the largest number is at most 256, a Map otherwise. */
  readonly byNo: ReadonlyMap<number, WireField> | ReadonlyArray<WireField | undefined>;
  /** Proto names, JSON names and old names → field. */
  readonly byJson: ReadonlyMap<string, WireField>;
}

const EMPTY = new Uint8Array(0);
let schema: Map<string, WireMessage> | undefined;

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function build(): Map<string, WireMessage> {
  const out = new Map<string, WireMessage>();
  for (const [name, rows] of Object.entries(MEZON_MESSAGES)) {
    const fields: WireField[] = rows.map(([no, fname, kind, flags, ref]) => {
      const map = (flags & 8) !== 0;
      let mapKey = 0;
      let scalar = kind;
      let enumName: string | undefined;
      if (map) {
        const [k] = (ref ?? '').split(':');
        mapKey = Number(k);
      }
      if (kind === WRAPPER) scalar = Number(ref);
      if (kind === ENUM) enumName = map ? (ref ?? '').split(':')[1] : ref;
      return { no, name: fname, kind, scalar, repeated: (flags & 1) !== 0, oneof: (flags & 4) !== 0, map, mapKey, msg: undefined, enumName, embed: undefined };
    });
    const max = fields.reduce((m, f) => Math.max(m, f.no), 0);
    let byNo: WireMessage['byNo'];
    if (max <= 256) {
      const arr: Array<WireField | undefined> = new Array<WireField | undefined>(max + 1).fill(undefined);
      for (const f of fields) arr[f.no] = f;
      byNo = arr;
    } else byNo = new Map(fields.map((f) => [f.no, f]));
    const byJson = new Map<string, WireField>();
    for (const f of fields) {
      byJson.set(f.name, f);
      byJson.set(camel(f.name), f);
    }
    for (const [old, now] of Object.entries(MEZON_FIELD_ALIASES[name] ?? {})) {
      const f = byJson.get(now);
      if (f && !byJson.has(old)) byJson.set(old, f);
    }
    out.set(name, { name, fields, byNo, byJson });
  }
  for (const [name, rows] of Object.entries(MEZON_MESSAGES)) {
    const m = out.get(name) as WireMessage;
    rows.forEach(([, , kind, flags, ref], i) => {
      if (kind !== MESSAGE) return;
      const typeName = (flags & 8) !== 0 ? (ref ?? '').split(':')[1] : ref;
      (m.fields[i] as WireField).msg = typeName === undefined ? undefined : out.get(typeName);
    });
    for (const [field, [list, key]] of Object.entries(MEZON_EMBEDDED_LISTS[name] ?? {})) {
      const f = m.fields.find((x) => x.name === field);
      const lm = out.get(list);
      if (f && lm && f.kind === BYTES && !f.repeated) f.embed = { msg: lm, key };
    }
  }
  return out;
}

/** The message `name` (e.g. `mezon.realtime.Envelope`) of the generated schema. */
export function wireMessage(name: string): WireMessage {
  schema ??= build();
  const m = schema.get(name);
  if (m === undefined) throw new Error(`mezon schema has no message ${name}`);
  return m;
}

function fieldOf(m: WireMessage, no: number): WireField | undefined {
  return Array.isArray(m.byNo) ? (m.byNo as ReadonlyArray<WireField | undefined>)[no] : (m.byNo as ReadonlyMap<number, WireField>).get(no);
}

function scalarDefault(kind: number): unknown {
  switch (kind) {
    case INT64:
    case UINT64:
    case FIXED64:
    case SFIXED64:
    case SINT64:
      return '0';
    case BOOL:
      return false;
    case STRING:
      return '';
    case BYTES:
      return EMPTY;
    default:
      return 0;
  }
}

function fieldDefault(f: WireField): unknown {
  if (f.repeated) return [];
  if (f.map) return Object.create(null) as Record<string, unknown>;
  if (f.oneof || f.kind === MESSAGE || f.kind === WRAPPER) return undefined;
  return scalarDefault(f.kind);
}

type Maker = (empty: Uint8Array) => Record<string, unknown>;
const makers = new WeakMap<WireMessage, Maker>();

function defaultSource(f: WireField): string {
  if (f.repeated || f.embed) return '[]';
  if (f.map) return 'Object.create(null)';
  const v = fieldDefault(f);
  if (v === undefined) return 'undefined';
  if (v instanceof Uint8Array) return 'E';
  return JSON.stringify(v);
}

/**
 * A message with every field at its default (a fresh object). Built by one
 * object literal per message type, compiled once from the schema's own field
 * names (never from wire data), so every decoded message of a type shares one
 * shape and costs one allocation.
 */
export function defaults(m: WireMessage): Record<string, unknown> {
  let make = makers.get(m);
  if (make === undefined) {
    const body = m.fields.map((f) => `${JSON.stringify(f.name)}: ${defaultSource(f)}`).join(', ');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    make = new Function('E', `return { ${body} };`) as Maker;
    makers.set(m, make);
  }
  return make(EMPTY);
}

function expectedWire(kind: number): number {
  switch (kind) {
    case DOUBLE:
    case FIXED64:
    case SFIXED64:
      return BIT64;
    case FLOAT:
    case FIXED32:
    case SFIXED32:
      return BIT32;
    case STRING:
    case BYTES:
    case MESSAGE:
    case WRAPPER:
      return LEN;
    default:
      return VARINT;
  }
}

const INTEGER = /^-?\d{1,20}$/;

function is64(kind: number): boolean {
  return kind === INT64 || kind === UINT64 || kind === FIXED64 || kind === SFIXED64 || kind === SINT64;
}

/** A previous generation's decimal string in a field that is numeric now. */
function numericString(f: WireField, s: string): unknown {
  if (s === '') return scalarDefault(f.kind);
  if (!INTEGER.test(s)) throw new Error(`${f.name}: expected ${is64(f.kind) ? 'an int64' : 'an integer'}, got the string ${JSON.stringify(s.slice(0, 40))}`);
  return is64(f.kind) ? s.replace(/^(-?)0+(?=\d)/, '$1') : Number(s) | 0;
}

// The buffer the current reader reads (set by the decode entry points, restored after): int64 ids
// are read here straight to decimal strings, without a BigInt per id.
let buf: Uint8Array = new Uint8Array(0);

function decimal7(d: number): string {
  const s = String(d);
  return '0000000'.slice(s.length) + s;
}

/** Unsigned 64-bit (lo, hi) → decimal, exact, without BigInt (the split-base-1e7 method). */
function u64String(lo: number, hi: number): string {
  if (hi <= 0x1fffff) return String(hi * 0x100000000 + lo);
  const low = lo & 0xffffff;
  const mid = ((lo >>> 24) | (hi << 8)) & 0xffffff;
  const high = (hi >> 16) & 0xffff;
  let a = low + mid * 6777216 + high * 6710656;
  let b = mid + high * 8147497;
  let c = high * 2;
  if (a >= 10_000_000) {
    b += Math.floor(a / 10_000_000);
    a %= 10_000_000;
  }
  if (b >= 10_000_000) {
    c += Math.floor(b / 10_000_000);
    b %= 10_000_000;
  }
  return String(c) + decimal7(b) + decimal7(a);
}

/** A varint int64/uint64 at r.pos → decimal string. */
function varint64String(r: BinaryReader, signed: boolean): string {
  let lo = 0;
  let hi = 0;
  let pos = r.pos;
  let shift = 0;
  let byte = 0;
  for (; shift < 28; shift += 7) {
    byte = buf[pos++] ?? fail(r);
    lo |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) {
      r.pos = pos;
      return u64String(lo >>> 0, 0);
    }
  }
  byte = buf[pos++] ?? fail(r);
  lo |= (byte & 0x0f) << 28;
  hi = (byte & 0x70) >> 4;
  if ((byte & 0x80) !== 0) {
    for (shift = 3; shift <= 31; shift += 7) {
      byte = buf[pos++] ?? fail(r);
      hi |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
    }
    if ((byte & 0x80) !== 0) throw new Error('invalid varint');
  }
  r.pos = pos;
  lo >>>= 0;
  hi >>>= 0;
  if (signed && (hi & 0x80000000) !== 0) {
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    return `-${u64String(lo, hi)}`;
  }
  return u64String(lo, hi);
}

function fail(r: BinaryReader): never {
  r.pos = r.len + 1;
  throw new Error('premature EOF');
}

function readScalar(r: BinaryReader, kind: number): unknown {
  switch (kind) {
    case DOUBLE:
      return r.double();
    case FLOAT:
      return r.float();
    case INT64:
      return varint64String(r, true);
    case UINT64:
      return varint64String(r, false);
    case INT32:
    case ENUM:
      return r.int32();
    case FIXED64:
      return String(r.fixed64());
    case FIXED32:
      return r.fixed32();
    case BOOL:
      return r.bool();
    case STRING:
      return r.string();
    case BYTES:
      return r.bytes();
    case UINT32:
      return r.uint32();
    case SFIXED32:
      return r.sfixed32();
    case SFIXED64:
      return String(r.sfixed64());
    case SINT32:
      return r.sint32();
    case SINT64:
      return String(r.sint64());
    default:
      throw new Error(`unsupported scalar kind ${kind}`);
  }
}

function subEnd(r: BinaryReader): number {
  const len = r.uint32();
  const end = r.pos + len;
  if (end > r.len) throw new Error(`a length-delimited field announces ${len} bytes, ${r.len - r.pos} remain`);
  return end;
}

function readWrapper(r: BinaryReader, scalar: number): unknown {
  const end = subEnd(r);
  let v = scalarDefault(scalar);
  while (r.pos < end) {
    const tag = r.uint32();
    const wt = tag & 7;
    if (tag >>> 3 === 1 && wt === expectedWire(scalar)) v = readScalar(r, scalar);
    else r.skip(wt, tag >>> 3);
  }
  if (r.pos !== end) throw new Error('a wrapper overran its length');
  return v;
}

function readValue(f: WireField, r: BinaryReader, kind: number, depth: number): unknown {
  if (kind === MESSAGE) return decodeAt(f.msg as WireMessage, r, subEnd(r), depth + 1);
  if (f.embed !== undefined) return decodeAt(f.embed.msg, r, subEnd(r), depth + 1)[f.embed.key];
  if (kind === WRAPPER) return readWrapper(r, f.scalar);
  return readScalar(r, kind);
}

function readMapEntry(f: WireField, r: BinaryReader, target: Record<string, unknown>, depth: number): void {
  const end = subEnd(r);
  let key: unknown = scalarDefault(f.mapKey);
  let value: unknown = f.kind === MESSAGE ? defaults(f.msg as WireMessage) : scalarDefault(f.kind);
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (no === 1 && wt === expectedWire(f.mapKey)) key = readScalar(r, f.mapKey);
    else if (no === 2 && wt === expectedWire(f.kind)) value = readValue(f, r, f.kind, depth);
    else r.skip(wt, no);
  }
  if (r.pos !== end) throw new Error(`${f.name}: a map entry overran its length`);
  target[String(key)] = value;
}

function readField(f: WireField, o: Record<string, unknown>, r: BinaryReader, wt: number, depth: number): void {
  const want = expectedWire(f.kind);
  if (f.map) {
    if (wt !== LEN) return void r.skip(wt, f.no);
    return readMapEntry(f, r, o[f.name] as Record<string, unknown>, depth);
  }
  if (f.repeated) {
    const list = o[f.name] as unknown[];
    if (wt === want) {
      list.push(readValue(f, r, f.kind, depth));
      return;
    }
    if (wt === LEN && want !== LEN) {
      const end = subEnd(r);
      while (r.pos < end) list.push(readScalar(r, f.kind));
      if (r.pos !== end) throw new Error(`${f.name}: a packed list overran its length`);
      return;
    }
    return void r.skip(wt, f.no);
  }
  if (wt === want) {
    o[f.name] = readValue(f, r, f.kind, depth);
    return;
  }
  if (wt === LEN && want !== LEN && f.kind !== BOOL) {
    o[f.name] = numericString(f, r.string());
    return;
  }
  r.skip(wt, f.no);
}

function decodeAt(m: WireMessage, r: BinaryReader, end: number, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new Error(`messages nested deeper than ${MAX_DEPTH} levels`);
  const o = defaults(m);
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (no === 0 || wt > 5) throw new Error(`illegal tag: field ${no}, wire type ${wt}`);
    const f = fieldOf(m, no);
    if (f === undefined) r.skip(wt, no, 16);
    else readField(f, o, r, wt, depth);
  }
  if (r.pos !== end) throw new Error(`${m.name.slice(m.name.lastIndexOf('.') + 1)} overran its length`);
  return o;
}

/** Binary protobuf → the plain object of message `m`. Throws on malformed input. */
export function decodeBinary(m: WireMessage, bytes: Uint8Array): Record<string, unknown> {
  const r = new (protobufWire().BinaryReader)(bytes);
  const saved = buf;
  buf = bytes;
  try {
    return decodeAt(m, r, bytes.length, 0);
  } finally {
    buf = saved;
  }
}

/** The Envelope's three parts: cid, the populated oneof field (last wins) and its decoded value. */
export interface EnvelopeParts {
  /** 0 on pushes (absent, 0 or ""). */
  readonly cid: number;
  /** True when the cid came as a string (the previous generation). */
  readonly cidString: boolean;
  /** The populated field's proto name; `#<number>` for a field number the schema does not know. */
  readonly field: string | undefined;
  /** The field's decoded value (a plain object for messages); for an unknown field number, its raw bytes as skipped. Undefined when no field was set. */
  readonly payload: unknown;
}

/** Binary Envelope → parts. Throws on malformed input. */
export function decodeEnvelopeParts(envelope: WireMessage, bytes: Uint8Array): EnvelopeParts {
  const saved = buf;
  buf = bytes;
  try {
    return envelopeParts(envelope, bytes);
  } finally {
    buf = saved;
  }
}

function envelopeParts(envelope: WireMessage, bytes: Uint8Array): EnvelopeParts {
  const r = new (protobufWire().BinaryReader)(bytes);
  const end = bytes.length;
  let cid = 0;
  let cidString = false;
  let field: string | undefined;
  let payload: unknown;
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (no === 0 || wt > 5) throw new Error(`illegal tag: field ${no}, wire type ${wt}`);
    if (no === 1) {
      if (wt === VARINT) {
        cid = r.int32();
        cidString = false;
      } else if (wt === LEN) {
        const s = r.string();
        cid = s === '' ? 0 : (numericString(fieldOf(envelope, 1) as WireField, s) as number);
        cidString = true;
      } else r.skip(wt, no);
      continue;
    }
    const f = fieldOf(envelope, no);
    if (f === undefined || wt !== LEN) {
      const skipped = r.skip(wt, no, 16);
      if (f === undefined) {
        field = `#${no}`;
        payload = skipped;
      }
      continue;
    }
    field = f.name;
    payload = f.kind === MESSAGE ? decodeAt(f.msg as WireMessage, r, subEnd(r), 1) : readValue(f, r, f.kind, 1);
  }
  if (r.pos !== end) throw new Error('the Envelope overran its length');
  return { cid, cidString, field, payload };
}

// ---- encoding ----

function isDefault(v: unknown, kind: number): boolean {
  return (Array.isArray(v) && v.length === 0) || v === undefined || v === null || v === 0 || v === '' || v === false || (v === '0' && is64(kind)) || (v instanceof Uint8Array && v.length === 0);
}

function toInt64(v: unknown, what: string): string | bigint | number {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'string' && INTEGER.test(v)) return v;
  throw new Error(`${what}: expected an int64 (decimal string), got ${typeof v}`);
}

function writeScalar(w: BinaryWriter, kind: number, v: unknown, what: string): void {
  switch (kind) {
    case DOUBLE:
      w.double(Number(v));
      return;
    case FLOAT:
      w.float(Number(v));
      return;
    case INT64:
      w.int64(toInt64(v, what));
      return;
    case UINT64:
      w.uint64(toInt64(v, what));
      return;
    case FIXED64:
      w.fixed64(toInt64(v, what));
      return;
    case SFIXED64:
      w.sfixed64(toInt64(v, what));
      return;
    case SINT64:
      w.sint64(toInt64(v, what));
      return;
    case INT32:
    case ENUM:
      w.int32(Number(v) | 0);
      return;
    case FIXED32:
      w.fixed32(Number(v) >>> 0);
      return;
    case SFIXED32:
      w.sfixed32(Number(v) | 0);
      return;
    case SINT32:
      w.sint32(Number(v) | 0);
      return;
    case UINT32:
      w.uint32(Number(v) >>> 0);
      return;
    case BOOL:
      w.bool(v === true);
      return;
    case STRING:
      w.string(typeof v === 'string' ? v : String(v));
      return;
    case BYTES:
      w.bytes(v instanceof Uint8Array ? v : typeof v === 'string' ? Buffer.from(v, 'base64') : EMPTY);
      return;
    default:
      throw new Error(`unsupported scalar kind ${kind}`);
  }
}

function writeValue(w: BinaryWriter, f: WireField, no: number, v: unknown, depth: number): void {
  const wt = expectedWire(f.kind);
  if (f.embed !== undefined && Array.isArray(v)) {
    w.tag(no, LEN).fork();
    encodeInto(w, f.embed.msg, { [f.embed.key]: v }, depth + 1);
    w.join();
  } else if (f.kind === MESSAGE) {
    w.tag(no, LEN).fork();
    encodeInto(w, f.msg as WireMessage, (v ?? {}) as Record<string, unknown>, depth + 1);
    w.join();
  } else if (f.kind === WRAPPER) {
    w.tag(no, LEN).fork();
    if (!isDefault(v, f.scalar)) {
      w.tag(1, expectedWire(f.scalar));
      writeScalar(w, f.scalar, v, f.name);
    }
    w.join();
  } else {
    w.tag(no, wt);
    writeScalar(w, f.kind, v, f.name);
  }
}

function encodeInto(w: BinaryWriter, m: WireMessage, o: Readonly<Record<string, unknown>>, depth: number): void {
  if (depth > MAX_DEPTH) throw new Error(`messages nested deeper than ${MAX_DEPTH} levels`);
  for (const f of m.fields) {
    const v = o[f.name];
    if (v === undefined || v === null) continue;
    if (f.map) {
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
        w.tag(f.no, LEN).fork();
        w.tag(1, expectedWire(f.mapKey));
        writeScalar(w, f.mapKey, k, f.name);
        writeValue(w, f, 2, val, depth);
        w.join();
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new Error(`${f.name}: expected a list`);
      if (v.length === 0) continue;
      if (expectedWire(f.kind) !== LEN) {
        w.tag(f.no, LEN).fork();
        for (const x of v) writeScalar(w, f.kind, x, f.name);
        w.join();
      } else for (const x of v) writeValue(w, f, f.no, x, depth);
    } else if (f.kind === MESSAGE || f.kind === WRAPPER || f.oneof || !isDefault(v, f.kind)) {
      writeValue(w, f, f.no, v, depth);
    }
  }
}

/** A plain object (proto field names; missing fields are defaults) → binary protobuf of message `m`. */
export function encodeBinary(m: WireMessage, o: Readonly<Record<string, unknown>>): Uint8Array {
  const w = new (protobufWire().BinaryWriter)();
  encodeInto(w, m, o, 0);
  return w.finish();
}

/** An Envelope → binary: `cid` as int32 (current) or as a string (`cidString`, the previous generation). */
export function encodeEnvelopeParts(envelope: WireMessage, cid: number, field: string | undefined, payload: unknown, cidString = false): Uint8Array {
  const w = new (protobufWire().BinaryWriter)();
  if (cid !== 0) {
    if (cidString) w.tag(1, LEN).string(String(cid));
    else w.tag(1, VARINT).int32(cid);
  }
  if (field !== undefined) {
    const f = envelope.byJson.get(field);
    if (f === undefined || f.no === 1) throw new Error(`Envelope has no field ${field}`);
    writeValue(w, f, f.no, payload, 1);
  }
  return w.finish();
}

// ---- the protobuf JSON mapping ----

let enumMaps: Map<string, Map<string, number>> | undefined;
function enumValue(f: WireField, name: string): number {
  enumMaps ??= new Map(Object.entries(MEZON_ENUMS).map(([n, vs]) => [n, new Map(vs.map(([k, v]) => [k, v]))]));
  const v = f.enumName === undefined ? undefined : enumMaps.get(f.enumName)?.get(name);
  if (v === undefined) throw new Error(`${f.name}: unknown enum value ${JSON.stringify(name.slice(0, 40))}`);
  return v;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

function jsonScalar(f: WireField, kind: number, v: unknown): unknown {
  switch (kind) {
    case INT64:
    case UINT64:
    case FIXED64:
    case SFIXED64:
    case SINT64:
      if (typeof v === 'string') return numericString(f, v);
      if (typeof v === 'number' && Number.isInteger(v)) return String(v);
      break;
    case BOOL:
      if (typeof v === 'boolean') return v;
      break;
    case STRING:
      if (typeof v === 'string') return v;
      break;
    case BYTES:
      if (typeof v === 'string' && BASE64.test(v)) return v === '' ? EMPTY : new Uint8Array(Buffer.from(v, 'base64'));
      break;
    case ENUM:
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string') return enumValue(f, v);
      break;
    case DOUBLE:
    case FLOAT:
      if (typeof v === 'number') return v;
      if (v === 'NaN') return NaN;
      if (v === 'Infinity') return Infinity;
      if (v === '-Infinity') return -Infinity;
      if (typeof v === 'string' && v !== '' && Number.isFinite(Number(v))) return Number(v);
      break;
    default:
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string') return numericString(f, v);
  }
  throw new Error(`${f.name}: expected ${kindName(kind)}, got ${describe(v)}`);
}

function kindName(kind: number): string {
  return is64(kind) ? 'an int64' : kind === BOOL ? 'a bool' : kind === STRING ? 'a string' : kind === BYTES ? 'base64 bytes' : kind === ENUM ? 'an enum' : 'a number';
}

function jsonValue(f: WireField, v: unknown, depth: number): unknown {
  if (f.kind === MESSAGE) return fromJsonAt(f.msg as WireMessage, v, depth + 1);
  if (f.embed !== undefined) {
    const bytes = jsonScalar(f, BYTES, v) as Uint8Array;
    if (bytes.length === 0) return [];
    return decodeEmbeddedListFast(f.embed.msg.name, bytes) ?? decodeBinary(f.embed.msg, bytes)[f.embed.key];
  }
  if (f.kind === WRAPPER) return v === null ? undefined : jsonScalar(f, f.scalar, v);
  return jsonScalar(f, f.kind, v);
}

function fromJsonAt(m: WireMessage, json: unknown, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new Error(`messages nested deeper than ${MAX_DEPTH} levels`);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${m.name.slice(m.name.lastIndexOf('.') + 1)}: expected an object, got ${describe(json)}`);
  const o = defaults(m);
  const src = json as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    const f = m.byJson.get(k);
    const v = src[k];
    if (f === undefined || v === null || v === undefined) continue;
    if (f.map) {
      if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${f.name}: expected an object`);
      const target = o[f.name] as Record<string, unknown>;
      for (const key of Object.keys(v as object)) target[key] = jsonValue(f, (v as Record<string, unknown>)[key], depth);
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new Error(`${f.name}: expected a list, got ${describe(v)}`);
      const list = o[f.name] as unknown[];
      for (const x of v) list.push(jsonValue(f, x, depth));
    } else o[f.name] = jsonValue(f, v, depth);
  }
  return o;
}

/** A value from the protobuf JSON mapping → the same plain object the binary decoder yields. Throws on a wrong type. */
export function fromJson(m: WireMessage, json: unknown): Record<string, unknown> {
  return fromJsonAt(m, json, 0);
}

/** A plain object of message `m` → the protobuf JSON mapping (proto names; defaults omitted; int64 as strings; bytes base64). */
export function toJson(m: WireMessage, o: Readonly<Record<string, unknown>>, depth = 0): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new Error(`messages nested deeper than ${MAX_DEPTH} levels`);
  const out: Record<string, unknown> = {};
  for (const f of m.fields) {
    const v = o[f.name];
    if (v === undefined || v === null) continue;
    const one = (x: unknown): unknown => {
      if (f.kind === MESSAGE) return toJson(f.msg as WireMessage, (x ?? {}) as Record<string, unknown>, depth + 1);
      if (f.embed !== undefined && Array.isArray(x)) return Buffer.from(encodeBinary(f.embed.msg, { [f.embed.key]: x })).toString('base64');
      const kind = f.kind === WRAPPER ? f.scalar : f.kind;
      if (kind === BYTES) return x instanceof Uint8Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64') : String(x);
      if (is64(kind)) return typeof x === 'string' ? x : String(x);
      return x;
    };
    if (f.map) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length > 0) out[f.name] = Object.fromEntries(entries.map(([k, x]) => [k, one(x)]));
    } else if (f.repeated) {
      if (Array.isArray(v) && v.length > 0) out[f.name] = v.map(one);
    } else if (f.kind === MESSAGE || f.kind === WRAPPER || f.oneof || !isDefault(v, f.kind)) out[f.name] = one(v);
  }
  return out;
}
