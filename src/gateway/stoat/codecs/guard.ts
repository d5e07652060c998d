/**
 * A compiled `is` for the Stoat codecs (the validation fast path): the codec
 * tree is walked once into plain closures. Objects with many optional fields
 * (Message has 17) are checked by walking the keys the value HAS against a
 * key → guard table, instead of probing every optional key the codec knows:
 * a typical frame carries a handful. Answers as io-ts's own `is` does for
 * anything JSON.parse or the MessagePack decoder produce (byte arrays are not
 * records); unknown codec kinds fall back to the codec's `is`.
 */
import * as t from 'io-ts';

type Guard = (u: unknown) => boolean;

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u) && !ArrayBuffer.isView(u);
const hasOwn = Object.prototype.hasOwnProperty;

interface Shape {
  /** Required keys and their guards. */
  readonly required: Array<readonly [string, Guard]>;
  /** Optional keys → guard (own keys only: a null-prototype table). */
  readonly optional: Record<string, Guard>;
  readonly optionalCount: number;
}

/** Flattens t.type / t.partial / t.intersection of those into one object shape, or undefined. */
function shapeOf(c: t.Mixed): Shape | undefined {
  const tag = (c as { _tag?: string })._tag;
  if (tag === 'InterfaceType') {
    return { required: Object.entries((c as unknown as t.InterfaceType<t.Props>).props).map(([k, p]) => [k, compile(p)] as const), optional: Object.create(null) as Record<string, Guard>, optionalCount: 0 };
  }
  if (tag === 'PartialType') {
    const optional = Object.create(null) as Record<string, Guard>;
    const props = Object.entries((c as unknown as t.PartialType<t.Props>).props);
    for (const [k, p] of props) optional[k] = compile(p);
    return { required: [], optional, optionalCount: props.length };
  }
  if (tag === 'IntersectionType') {
    const parts = (c as unknown as t.IntersectionType<t.Mixed[]>).types.map(shapeOf);
    if (parts.some((p) => p === undefined)) return undefined;
    const required: Array<readonly [string, Guard]> = [];
    const optional = Object.create(null) as Record<string, Guard>;
    let optionalCount = 0;
    for (const p of parts as Shape[]) {
      required.push(...p.required);
      for (const k of Object.keys(p.optional)) {
        // A key both required and optional in different members: keep it simple, let io-ts decide.
        if (k in optional || required.some(([r]) => r === k)) return undefined;
        optional[k] = p.optional[k];
        optionalCount++;
      }
    }
    if (required.some(([r]) => r in optional)) return undefined;
    return { required, optional, optionalCount };
  }
  return undefined;
}

function compileShape(shape: Shape): Guard {
  const keys = shape.required.map((r) => r[0]);
  const guards = shape.required.map((r) => r[1]);
  const n = keys.length;
  const optional = shape.optional;
  if (shape.optionalCount === 0) {
    return (u) => {
      if (!isRecord(u)) return false;
      for (let i = 0; i < n; i++) if (!guards[i](u[keys[i]])) return false;
      return true;
    };
  }
  return (u) => {
    if (!isRecord(u)) return false;
    for (let i = 0; i < n; i++) if (!guards[i](u[keys[i]])) return false;
    for (const k in u) {
      if (!hasOwn.call(u, k)) continue;
      const g = optional[k];
      if (g === undefined) continue;
      const v = u[k];
      if (v !== undefined && !g(v)) return false;
    }
    return true;
  };
}

function compile(codec: t.Decoder<unknown, unknown>): Guard {
  const c = codec as t.Mixed & { _tag?: string };
  switch (c._tag) {
    case 'StringType':
      return (u) => typeof u === 'string';
    case 'NumberType':
      return (u) => typeof u === 'number';
    case 'BooleanType':
      return (u) => typeof u === 'boolean';
    case 'NullType':
      return (u) => u === null;
    case 'UnknownType':
      return () => true;
    case 'UnknownRecordType':
      return isRecord;
    case 'LiteralType': {
      const value = (c as unknown as t.LiteralType<string | number | boolean>).value;
      return (u) => u === value;
    }
    case 'KeyofType': {
      const keys = (c as unknown as t.KeyofType<Record<string, unknown>>).keys;
      return (u) => typeof u === 'string' && hasOwn.call(keys, u);
    }
    case 'InterfaceType':
    case 'PartialType':
    case 'IntersectionType': {
      const shape = shapeOf(c);
      if (shape !== undefined) return compileShape(shape);
      if (c._tag !== 'IntersectionType') return (u) => c.is(u);
      const parts = (c as unknown as t.IntersectionType<t.Mixed[]>).types.map(compile);
      return (u) => parts.every((g) => g(u));
    }
    case 'UnionType': {
      const guards = (c as unknown as t.UnionType<t.Mixed[]>).types.map(compile);
      const n = guards.length;
      return (u) => {
        for (let i = 0; i < n; i++) if (guards[i](u)) return true;
        return false;
      };
    }
    case 'ArrayType': {
      const g = compile((c as unknown as t.ArrayType<t.Mixed>).type);
      return (u) => {
        if (!Array.isArray(u)) return false;
        for (let i = 0; i < u.length; i++) if (!g(u[i])) return false;
        return true;
      };
    }
    case 'TupleType': {
      const guards = (c as unknown as t.TupleType<t.Mixed[]>).types.map(compile);
      const n = guards.length;
      return (u) => {
        if (!Array.isArray(u) || u.length !== n) return false;
        for (let i = 0; i < n; i++) if (!guards[i](u[i])) return false;
        return true;
      };
    }
    case 'DictionaryType': {
      const d = c as unknown as t.RecordC<t.Mixed, t.Mixed>;
      if ((d.domain as { _tag?: string })._tag !== 'StringType') return (u) => c.is(u);
      const g = compile(d.codomain);
      return (u) => {
        if (!isRecord(u)) return false;
        for (const k in u) if (hasOwn.call(u, k) && !g(u[k])) return false;
        return true;
      };
    }
    default:
      return (u) => c.is(u);
  }
}

/** The same codec (validate, encode, name, types) with the compiled `is`. */
export function withStoatGuard<C extends t.Mixed>(codec: C): C {
  const is = compile(codec);
  return Object.assign(Object.create(Object.getPrototypeOf(codec) as object) as C, codec, { is });
}
