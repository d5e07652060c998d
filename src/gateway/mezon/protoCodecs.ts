/**
 * io-ts building blocks for proto3 messages, so one codec accepts both
 * framings: the binary decoder yields every field (defaults filled in, int64
 * as strings, bytes as Uint8Array), the JSON mapping omits default values and
 * writes bytes as base64. `is` accepts only the canonical form (the fast path
 * for binary frames); `decode` fills the omitted defaults and converts base64
 * and numeric int64, so both framings give equal values.
 */
import * as t from 'io-ts';

/** A field that proto3 may omit: missing or null decodes to `fallback`. */
export function withDefault<C extends t.Mixed>(codec: C, fallback: t.TypeOf<C>): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  return new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    codec.name,
    codec.is,
    (u, c) => (u === undefined || u === null ? t.success(fallback) : codec.validate(u, c)),
    (a) => codec.encode(a),
  );
}

/** int64/uint64: a decimal string (the JSON mapping may also write a number). */
export const Int64String = new t.Type<string, string, unknown>(
  'int64',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' ? t.success(u) : typeof u === 'number' && Number.isInteger(u) ? t.success(String(u)) : t.failure(u, c)),
  t.identity,
);

/** bytes: Uint8Array (base64 in the JSON mapping). */
export const BytesC = new t.Type<Uint8Array, Uint8Array, unknown>(
  'bytes',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => {
    if (u instanceof Uint8Array) return t.success(u);
    if (typeof u === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(u)) return t.success(Uint8Array.from(Buffer.from(u, 'base64')));
    return t.failure(u, c, 'expected bytes (base64 in JSON)');
  },
  t.identity,
);

const EMPTY = new Uint8Array(0);

/** proto3 string field. */
export const Str = withDefault(t.string, '');
/** proto3 int64 field (ids): a string, default "0". */
export const I64 = withDefault(Int64String, '0');
/** proto3 int32/uint32/double field. */
export const Num = withDefault(t.number, 0);
/** proto3 bool field. */
export const Bool = withDefault(t.boolean, false);
/** proto3 bytes field. */
export const Bytes = withDefault(BytesC, EMPTY);
/** proto3 repeated field. */
export function Rep<C extends t.Mixed>(codec: C): t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown> {
  return withDefault(t.array(codec), []);
}
