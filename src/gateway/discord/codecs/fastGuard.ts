/**
 * A faster `is` for io-ts codecs on JSON data. Two compilers, same answers:
 *
 * - `compileGuard`: walks the codec once and builds a tree of plain closures
 *   (records checked with typeof/Array.isArray rather than io-ts's
 *   `Object.prototype.toString` call at every level, intersections flattened,
 *   no per-call allocations).
 * - `generateGuard` (what `withFastGuard` uses): generates one straight-line
 *   JavaScript function per object/array codec (`new Function`), so every
 *   property read is its own monomorphic site instead of a shared closure's
 *   megamorphic one (about 4× faster on MESSAGE_CREATE). Only codec key
 *   names (ours, not the wire's) and JSON literals enter the generated
 *   source, both through JSON.stringify. When code generation is not allowed
 *   (a CSP-like `--disallow-code-generation-from-strings`), it falls back to
 *   `compileGuard`.
 *
 * Both answer exactly as the codec's own `is` for anything JSON.parse can
 * produce; codec kinds they do not know fall back to the codec's `is`.
 * `withFastGuard` returns a codec with the same validate/encode and the fast
 * `is`, so `validate()` (core/decode.ts) takes its fast path through it and
 * still reports failures through io-ts.
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

/** Generates a guard function for `codec` (see the module comment); throws when code generation is not allowed. */
export function generateGuard(codec: t.Decoder<unknown, unknown>): Guard {
  const fns = new Map<unknown, string>();
  const bodies: string[] = [];
  const externals: Array<(u: unknown) => boolean> = [];
  const isRec = (v: string) => `(typeof ${v} === 'object' && ${v} !== null && !Array.isArray(${v}))`;
  const prop = (v: string, k: string) => `${v}[${JSON.stringify(k)}]`;

  /** A boolean expression checking the value in variable/expression `v`. */
  const expr = (c0: t.Decoder<unknown, unknown>, v: string): string => {
    const c = c0 as t.Mixed & Tagged;
    switch (c._tag) {
      case 'StringType':
        return `typeof ${v} === 'string'`;
      case 'NumberType':
        return `typeof ${v} === 'number'`;
      case 'BooleanType':
        return `typeof ${v} === 'boolean'`;
      case 'NullType':
        return `${v} === null`;
      case 'UndefinedType':
        return `${v} === undefined`;
      case 'UnknownType':
        return 'true';
      case 'UnknownRecordType':
        return isRec(v);
      case 'UnknownArrayType':
        return `Array.isArray(${v})`;
      case 'LiteralType': {
        const value = (c as unknown as t.LiteralType<string | number | boolean>).value;
        return `${v} === ${JSON.stringify(value)}`;
      }
      case 'UnionType': {
        const members = (c as unknown as t.UnionType<t.Mixed[]>).types;
        // Primitive-only unions inline (`string | null`); others call a function per member.
        return `(${members.map((m) => expr(m, v)).join(' || ')})`;
      }
      case 'InterfaceType':
      case 'PartialType':
      case 'IntersectionType':
      case 'ArrayType':
      case 'ReadonlyArrayType':
      case 'TupleType':
        return `${fn(c)}(${v})`;
      default: {
        externals.push((u) => c.is(u));
        return `ext[${externals.length - 1}](${v})`;
      }
    }
  };

  /** The record checks of an interface/partial/intersection, on `u` (already known to be a record). */
  const recordChecks = (c0: t.Decoder<unknown, unknown>, out: string[]): boolean => {
    const c = c0 as t.Mixed & Tagged;
    if (c._tag === 'InterfaceType') {
      for (const [k, p] of Object.entries((c as unknown as t.InterfaceType<t.Props>).props)) out.push(expr(p, prop('u', k)));
      return true;
    }
    if (c._tag === 'PartialType') {
      for (const [k, p] of Object.entries((c as unknown as t.PartialType<t.Props>).props)) out.push(`(${prop('u', k)} === undefined || ${expr(p, prop('u', k))})`);
      return true;
    }
    if (c._tag === 'IntersectionType') {
      for (const m of (c as unknown as t.IntersectionType<t.Mixed[]>).types) {
        const tag = (m as Tagged)._tag;
        if (tag === 'InterfaceType' || tag === 'PartialType' || tag === 'IntersectionType') recordChecks(m, out);
        else out.push(expr(m, 'u'));
      }
      return true;
    }
    return false;
  };

  const fn = (c0: t.Decoder<unknown, unknown>): string => {
    const known = fns.get(c0);
    if (known !== undefined) return known;
    const name = `g${fns.size}`;
    fns.set(c0, name);
    const c = c0 as t.Mixed & Tagged;
    let body: string;
    if (c._tag === 'ArrayType' || c._tag === 'ReadonlyArrayType') {
      const el = expr((c as unknown as t.ArrayType<t.Mixed>).type, 'e');
      body = `if (!Array.isArray(u)) return false; for (let i = 0; i < u.length; i++) { const e = u[i]; if (!(${el})) return false; } return true;`;
    } else if (c._tag === 'TupleType') {
      const types = (c as unknown as t.TupleType<t.Mixed[]>).types;
      body = `return Array.isArray(u) && u.length === ${types.length}${types.map((m, i) => ` && ${expr(m, `u[${i}]`)}`).join('')};`;
    } else if (c._tag === 'IntersectionType' && (c as unknown as t.IntersectionType<t.Mixed[]>).types.some((m) => !['InterfaceType', 'PartialType', 'IntersectionType'].includes((m as Tagged)._tag ?? ''))) {
      // An intersection with a non-record member (e.g. a union): check each member on the value.
      body = `return ${(c as unknown as t.IntersectionType<t.Mixed[]>).types.map((m) => expr(m, 'u')).join(' && ')};`;
    } else {
      const checks: string[] = [];
      recordChecks(c, checks);
      body = `return ${isRec('u')}${checks.map((x) => ` && ${x}`).join('')};`;
    }
    bodies.push(`function ${name}(u) { ${body} }`);
    return name;
  };

  const top = expr(codec, 'u');
  const source = `${bodies.join('\n')}\nreturn function guard(u) { return ${top}; };`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from codec structure only (see the module comment)
  return new Function('ext', source)(externals) as Guard;
}

/** The same codec (validate, encode, name, types) with a generated (or compiled) `is`. */
export function withFastGuard<C extends t.Mixed>(codec: C): C {
  let is: Guard;
  try {
    is = generateGuard(codec);
  } catch {
    is = compileGuard(codec);
  }
  return Object.assign(Object.create(Object.getPrototypeOf(codec) as object) as C, codec, { is });
}
