/**
 * The event model every source shares (see README "Design").
 *
 * Each source publishes ONE discriminated union on `type`. Every member carries
 * `source` (which source produced it) and `data` (the payload in the wire's own
 * field names, typed by its io-ts codec). Lifecycle events live in the same
 * union as data events so their relative order is observable and testable.
 */

/** One event of a source: `{ source, type, data }`. */
export interface SourceEvent<S extends string, T extends string, D> {
  /** Which source produced the event (`'imap'`, `'discord'`, ...). */
  readonly source: S;
  /** The event's name, the union's discriminant: narrow with `ofType` or a `switch`. */
  readonly type: T;
  /** The payload, in the wire's own field names, typed by the event's codec. */
  readonly data: D;
}

/** A frame whose tag no codec knows. The stream goes on. */
export type UnknownEvent<S extends string> = SourceEvent<S, 'Unknown', { readonly tag: string | undefined; readonly raw: unknown }>;

/** A frame its codec rejected: the raw frame plus readable failure paths. The stream goes on. */
export type DecodeErrorEvent<S extends string> = SourceEvent<
  S,
  'DecodeError',
  {
    readonly tag: string | undefined;
    readonly raw: unknown;
    /** One line per failure, e.g. `MessageCreate.author.id: expected string, got 42`. */
    readonly errors: readonly string[];
  }
>;

/** Any event: what the generic operators accept. */
export interface AnyEvent {
  /** The event's name. */
  readonly type: string;
}

/** Builds an event value. Kept tiny so hot paths stay monomorphic. */
export function event<S extends string, T extends string, D>(source: S, type: T, data: D): SourceEvent<S, T, D> {
  return { source, type, data };
}
