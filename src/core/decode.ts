/**
 * Frame → typed event decoding, shared by every source.
 *
 * Codecs are chosen by the frame's tag with one record lookup (never a long
 * `t.union`). Validation tries the codec's `is` guard first: on the happy path
 * that checks the shape without building io-ts's Either/error tree, which is
 * what makes validated decoding affordable on hot gateway streams. Only when
 * the guard fails do we run `decode` (which may also transform, e.g. a string
 * to a Date) and, on failure, turn the error tree into readable paths.
 *
 * For the fast path, write optional fields with `t.partial` (in a
 * `t.intersection`), not `t.union([X, t.undefined])`: io-ts's `is` for
 * `t.type` requires every key to be present, so a missing optional key would
 * send every such frame down the slow path.
 *
 * Rule for codec authors: a codec whose output type A differs from its input
 * (a transforming codec) must not accept a raw value in `is` that `decode`
 * would change. io-ts's built-in combinators satisfy this.
 */
import * as t from 'io-ts';
import type { DecodeErrorEvent, SourceEvent, UnknownEvent } from './event';

/** A table from event type name to the codec of its `data`. */
export type CodecTable = Readonly<Record<string, t.Decoder<unknown, unknown>>>;

/** The events a codec table decodes to. */
export type DecodedEvents<S extends string, C extends CodecTable> = {
  [K in keyof C & string]: SourceEvent<S, K, C[K] extends t.Decoder<unknown, infer A> ? A : never>;
}[keyof C & string];

/** Everything `decodeFrame` can produce. */
export type DecodeResult<S extends string, C extends CodecTable> = DecodedEvents<S, C> | UnknownEvent<S> | DecodeErrorEvent<S>;

/** How `decodeFrame`/`decodeWith` turn a source's frames into its events. */
export interface DecodeSpec<S extends string, C extends CodecTable, F> {
  /** The `source` every decoded event carries. */
  readonly source: S;
  /** The codec of each event's `data`, by event type name. */
  readonly codecs: C;
  /** The event type name for a frame (map wire tags to names here), or undefined when it has none. */
  readonly tag: (frame: F) => string | undefined;
  /** The part of the frame that the codec decodes (e.g. Discord's `d`). */
  readonly payload: (frame: F) => unknown;
  /** What to keep as `raw` in Unknown/DecodeError events; defaults to the frame itself. */
  readonly raw?: (frame: F) => unknown;
}

/** What `validate` returns: the decoded value, or one readable line per failure. */
export type Validation<A> = { ok: true; value: A } | { ok: false; errors: string[] };

/**
 * Validates `u` with `codec`, fast path first. `path` prefixes the readable errors.
 * Returns `{ ok: true, value }` or `{ ok: false, errors }` (one readable line per failure).
 */
export function validate<A>(codec: t.Decoder<unknown, A>, u: unknown, path = ''): Validation<A> {
  if ((codec as Partial<t.Type<A, unknown, unknown>>).is?.(u)) return { ok: true, value: u as A };
  const result = codec.decode(u);
  if (result._tag === 'Right') return { ok: true, value: result.right };
  return { ok: false, errors: formatErrors(result.left, path) };
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Decodes one frame into an event; never throws on bad input. */
export function decodeFrame<S extends string, C extends CodecTable, F>(spec: DecodeSpec<S, C, F>, frame: F): DecodeResult<S, C> {
  let tag: string | undefined;
  let payload: unknown;
  try {
    tag = spec.tag(frame);
    payload = spec.payload(frame);
  } catch (e) {
    return decodeError(spec, frame, tag, [`frame: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (tag === undefined || !hasOwn.call(spec.codecs, tag)) {
    return { source: spec.source, type: 'Unknown', data: { tag, raw: spec.raw ? spec.raw(frame) : frame } };
  }
  const v = validate(spec.codecs[tag], payload, tag);
  if (v.ok) return { source: spec.source, type: tag, data: v.value } as DecodedEvents<S, C>;
  return decodeError(spec, frame, tag, v.errors);
}

function decodeError<S extends string, C extends CodecTable, F>(
  spec: DecodeSpec<S, C, F>,
  frame: F,
  tag: string | undefined,
  errors: string[],
): DecodeErrorEvent<S> {
  return { source: spec.source, type: 'DecodeError', data: { tag, raw: spec.raw ? spec.raw(frame) : frame, errors } };
}

/**
 * io-ts errors → `a.b.0.c: expected string, got 42` lines. Failures of a
 * union's members at the same path fold into one line (`expected string | null`).
 */
export function formatErrors(errors: t.Errors, prefix = ''): string[] {
  const byPath = new Map<string, { expected: Set<string>; value: unknown; message?: string }>();
  for (const e of errors) {
    const keys: string[] = [];
    for (let i = 1; i < e.context.length; i++) {
      // A union or intersection puts its member index in the context: that key walks the
      // codec, not the value, so it is left out of the path.
      const parentTag = (e.context[i - 1].type as { _tag?: string })._tag;
      if (parentTag === 'UnionType' || parentTag === 'IntersectionType') continue;
      keys.push(e.context[i].key);
    }
    const path = [prefix, ...keys].filter((k) => k !== '').join('.') || '(root)';
    const last = e.context[e.context.length - 1];
    const entry = byPath.get(path) ?? { expected: new Set<string>(), value: e.value, message: e.message };
    entry.expected.add(last ? last.type.name : 'value');
    byPath.set(path, entry);
  }
  const out: string[] = [];
  for (const [path, { expected, value, message }] of byPath) {
    out.push(`${path}: ${message ?? `expected ${[...expected].join(' | ')}, got ${describe(value)}`}`);
  }
  return out;
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined (missing)';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return typeof v;
  }
}
