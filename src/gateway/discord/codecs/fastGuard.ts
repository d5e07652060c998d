/**
 * A faster `is` for io-ts codecs on JSON data: walks the codec once and builds
 * a tree of plain closures (records checked with typeof/Array.isArray rather
 * than io-ts's `Object.prototype.toString` call at every level, intersections
 * flattened, no per-call allocations). It answers exactly as the codec's own
 * `is` for anything JSON.parse can produce; codec kinds it does not know fall
 * back to the codec's `is`. `withFastGuard` returns a codec with the same
 * validate/encode and this `is`, so `validate()` (core/decode.ts) takes its
 * fast path through it and still reports failures through io-ts.
 *
 * Generic; kept here because only this source needed it so far.
 */
import * as t from 'io-ts';

type Guard = (u: unknown) => boolean;

interface Tagged {
  readonly _tag?: string;
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

export function compileGuard(codec: t.Decoder<unknown, unknown>): Guard {
  const c = codec as t.Mixed & Tagged;
  switch (c._tag) {
    case 'StringType':
      return (u) => typeof u === 'string';
    case 'NumberType':
      return (u) => typeof u === 'number';
    case 'BooleanType':
      return (u) => typeof u === 'boolean';
    case 'NullType':
      return (u) => u === null;
    case 'UndefinedType':
      return (u) => u === undefined;
    case 'UnknownType':
      return () => true;
    case 'UnknownRecordType':
      return isRecord;
    case 'UnknownArrayType':
      return Array.isArray;
    case 'LiteralType': {
      const value = (c as unknown as t.LiteralType<string | number | boolean>).value;
      return (u) => u === value;
    }
    case 'InterfaceType': {
      const props = Object.entries((c as unknown as t.InterfaceType<t.Props>).props).map(([k, p]) => [k, compileGuard(p)] as const);
      const keys = props.map((p) => p[0]);
      const guards = props.map((p) => p[1]);
      const n = keys.length;
      return (u) => {
        if (!isRecord(u)) return false;
        for (let i = 0; i < n; i++) if (!guards[i](u[keys[i]])) return false;
        return true;
      };
    }
    case 'PartialType': {
      const props = Object.entries((c as unknown as t.PartialType<t.Props>).props).map(([k, p]) => [k, compileGuard(p)] as const);
      const keys = props.map((p) => p[0]);
      const guards = props.map((p) => p[1]);
      const n = keys.length;
      return (u) => {
        if (!isRecord(u)) return false;
        for (let i = 0; i < n; i++) {
          const v = u[keys[i]];
          if (v !== undefined && !guards[i](v)) return false;
        }
        return true;
      };
    }
    case 'IntersectionType': {
      const guards = (c as unknown as t.IntersectionType<t.Mixed[]>).types.map(compileGuard);
      const n = guards.length;
      return (u) => {
        for (let i = 0; i < n; i++) if (!guards[i](u)) return false;
        return true;
      };
    }
    case 'UnionType': {
      const guards = (c as unknown as t.UnionType<t.Mixed[]>).types.map(compileGuard);
      const n = guards.length;
      return (u) => {
        for (let i = 0; i < n; i++) if (guards[i](u)) return true;
        return false;
      };
    }
    case 'ArrayType':
    case 'ReadonlyArrayType': {
      const g = compileGuard((c as unknown as t.ArrayType<t.Mixed>).type);
      return (u) => {
        if (!Array.isArray(u)) return false;
        for (let i = 0; i < u.length; i++) if (!g(u[i])) return false;
        return true;
      };
    }
    case 'TupleType': {
      const guards = (c as unknown as t.TupleType<t.Mixed[]>).types.map(compileGuard);
      const n = guards.length;
      return (u) => {
        if (!Array.isArray(u) || u.length !== n) return false;
        for (let i = 0; i < n; i++) if (!guards[i](u[i])) return false;
        return true;
      };
    }
    default:
      return (u) => c.is(u);
  }
}

/** The same codec (validate, encode, name, types) with a compiled `is`. */
export function withFastGuard<C extends t.Mixed>(codec: C): C {
  const is = compileGuard(codec);
  return Object.assign(Object.create(Object.getPrototypeOf(codec) as object) as C, codec, { is });
}
