/**
 * FETCH in all its variants. `fetch` emits one FetchMessage per FETCH
 * response as it arrives (a 10,000-message fetch never builds an array), and
 * the Twisted-style shorthands pick the items. `fetchStream` hands one body
 * section to the subscriber in chunks straight off the socket;
 * `fetchStreamPaced`/`fetchStreamThrough` stop the socket while the consumer
 * is behind, and with `reuseChunks` lend it the socket's read memory, which
 * is read into again once a chunk is acknowledged (no fresh memory per chunk).
 */
import { concatMap, defer, filter, finalize, map, Observable, type ObservableInput } from 'rxjs';
import type { FetchMessage } from '../codecs/mailbox';
import type { ImapConnection, LiteralStream } from '../connection';
import { ImapArgumentError } from '../errors';
import { sequenceSet } from '../quote';
import type { UntaggedResponse } from '../codecs/response';
import { claims, requestedKeys, setMatcher, type FetchClaim } from './match';
import { guarded } from './util';

/**
 * The messages a command applies to: a positive integer, an array of them (sent
 * compressed, `1,3:5`), or a set string as IMAP writes it (`"1:5,9"`, `"7:*"`, `"$"`).
 * Sequence numbers, or UIDs with `uid: true`. A number that is not a positive integer, a malformed
 * set string or an empty array is an ImapArgumentError.
 */
export type SequenceSet = string | number | readonly number[];

/** Modifiers of every FETCH variant. */
export interface FetchOptions {
  /** UID FETCH: the set is UIDs. */
  readonly uid?: boolean;
  /** CHANGEDSINCE modseq (CONDSTORE). */
  readonly changedSince?: number;
  /** With changedSince and QRESYNC enabled: report expunged UIDs as VANISHED (EARLIER). */
  readonly vanished?: boolean;
}

const ITEM = /^(UID|FLAGS|INTERNALDATE|RFC822(\.SIZE|\.HEADER|\.TEXT)?|ENVELOPE|BODYSTRUCTURE|BODY|MODSEQ|ALL|FAST|FULL|X-GM-[A-Z]+|EMAILID|THREADID|SAVEDATE|(BODY(\.PEEK)?|BINARY(\.PEEK)?|BINARY\.SIZE)\[[^\]\r\n]*\](<\d+(\.\d+)?>)?)$/i;

function itemList(items: string | readonly string[]): string {
  const list = typeof items === 'string' ? [items] : items;
  if (list.length === 0) throw new ImapArgumentError('no FETCH items');
  for (const i of list) if (!ITEM.test(i) || /[\r\n\0]/.test(i)) throw new ImapArgumentError(`not a FETCH item: ${JSON.stringify(i.slice(0, 60))}`);
  return list.length === 1 && /^(ALL|FAST|FULL)$/i.test(list[0]) ? list[0].toUpperCase() : `(${list.join(' ')})`;
}

function fetchParts(set: SequenceSet, items: string | readonly string[], options: FetchOptions): string {
  let line = `${options.uid ? 'UID ' : ''}FETCH ${sequenceSet(set)} ${itemList(items)}`;
  if (options.changedSince !== undefined) line += ` (CHANGEDSINCE ${Math.floor(options.changedSince)}${options.vanished ? ' VANISHED' : ''})`;
  return line;
}

/** FETCH set items: one FetchMessage per response. Items are IMAP fetch atts: 'UID', 'FLAGS', 'BODY.PEEK[HEADER]', ... */
export function fetch(c: ImapConnection, set: SequenceSet, items: string | readonly string[], options: FetchOptions = {}): Observable<FetchMessage> {
  return guarded(() => {
    const list = options.uid && !hasUid(items) ? withUid(items) : items;
    const line = fetchParts(set, list, options);
    const accepts = fetchAccepts(c, set, typeof list === 'string' ? [list] : list, options.uid === true, options.changedSince !== undefined);
    return c.command({ name: options.uid ? 'UID FETCH' : 'FETCH', parts: [line], accepts }).pipe(
      filter((r) => r.kind === 'fetch'),
      map((r) => (r.kind === 'fetch' ? { seq: r.seq, ...r.attributes } : { seq: 0 })),
    );
  });
}

/** `accepts` for a FETCH/STORE of `set`: only the messages it named, carrying an item it asked for. */
export function fetchAccepts(c: ImapConnection, set: SequenceSet, items: readonly string[], uid: boolean, modseq = false): (r: UntaggedResponse) => boolean {
  let claim: FetchClaim | undefined;
  return (r) => {
    if (r.kind !== 'fetch') return false;
    if (!claim) {
      const keys = requestedKeys(items);
      if (keys && modseq) keys.add('modseq');
      // `*` is the last message: the count the server reported (sequence sets); unknown for UIDs
      claim = { uid, inSet: setMatcher(set, () => (uid ? undefined : c.messageCount)), keys };
    }
    return claims(claim, r);
  };
}

function hasUid(items: string | readonly string[]): boolean {
  return (typeof items === 'string' ? [items] : items).some((i) => i.toUpperCase() === 'UID');
}
function withUid(items: string | readonly string[]): string[] {
  const list = typeof items === 'string' ? [items] : [...items];
  return /^(ALL|FAST|FULL)$/i.test(list[0] ?? '') && list.length === 1 ? macro(list[0]).concat('UID') : ['UID', ...list];
}
function macro(m: string): string[] {
  const fast = ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'];
  const u = m.toUpperCase();
  return u === 'FAST' ? fast : u === 'ALL' ? [...fast, 'ENVELOPE'] : [...fast, 'ENVELOPE', 'BODY'];
}

type Shorthand = (c: ImapConnection, set: SequenceSet, options?: FetchOptions) => Observable<FetchMessage>;
const shorthand =
  (items: readonly string[]): Shorthand =>
  (c, set, options = {}) =>
    fetch(c, set, items, options);

export const fetchUid = shorthand(['UID']);
export const fetchFlags = shorthand(['FLAGS']);
export const fetchInternalDate = shorthand(['INTERNALDATE']);
export const fetchEnvelope = shorthand(['ENVELOPE']);
export const fetchBodyStructure = shorthand(['BODYSTRUCTURE']);
/** BODY: the non-extensible structure (Twisted's fetchSimplifiedBody). */
export const fetchSimplifiedBody = shorthand(['BODY']);
/** The whole message (RFC822; sets \Seen). */
export const fetchMessage = shorthand(['RFC822']);
export const fetchHeaders = shorthand(['RFC822.HEADER']);
export const fetchBody = shorthand(['RFC822.TEXT']);
export const fetchSize = shorthand(['RFC822.SIZE']);
export const fetchFull = shorthand(['FULL']);
export const fetchAll = shorthand(['ALL']);
export const fetchFast = shorthand(['FAST']);

/** A body section to fetch: `BODY[<part>.<text> (<fields>)]<<offset.length>>`. */
export interface SectionSpec {
  /** Part path, e.g. [1, 2] or "1.2"; empty for the whole message. */
  readonly part?: string | readonly number[];
  /** Which piece of the part: its header, some header fields, its MIME header or its text; omitted: the whole part. */
  readonly text?: 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'MIME' | 'TEXT';
  /** Field names for HEADER.FIELDS(.NOT). */
  readonly fields?: readonly string[];
  /** BODY.PEEK: do not set \Seen. */
  readonly peek?: boolean;
  /** <offset.length> partial fetch. */
  readonly partial?: { readonly offset: number; readonly length: number };
}

/** `1.2.HEADER.FIELDS (SUBJECT FROM)`: the section text inside the brackets. */
export function sectionText(spec: SectionSpec): string {
  const part = spec.part === undefined ? '' : typeof spec.part === 'string' ? spec.part : spec.part.join('.');
  if (part !== '' && !/^\d+(\.\d+)*$/.test(part)) throw new ImapArgumentError(`not a part path: ${JSON.stringify(part.slice(0, 30))}`);
  let s = part;
  if (spec.text) {
    if (spec.text === 'MIME' && part === '') throw new ImapArgumentError('MIME needs a part path');
    s += (s ? '.' : '') + spec.text;
    if (spec.text.startsWith('HEADER.FIELDS')) {
      const fields = spec.fields ?? [];
      if (fields.length === 0) throw new ImapArgumentError(`${spec.text} needs field names`);
      for (const f of fields) if (!/^[!-9;-~]+$/.test(f)) throw new ImapArgumentError(`not a header field name: ${JSON.stringify(f.slice(0, 30))}`);
      s += ` (${fields.join(' ')})`;
    }
  }
  return s;
}

/** The key under which the response's `sections` holds this section. */
export function sectionKey(spec: SectionSpec): string {
  return sectionText(spec).toUpperCase() + (spec.partial ? `<${Math.floor(spec.partial.offset)}>` : '');
}

function sectionItem(spec: SectionSpec): string {
  const partial = spec.partial ? `<${Math.floor(spec.partial.offset)}.${Math.floor(spec.partial.length)}>` : '';
  return `BODY${spec.peek ? '.PEEK' : ''}[${sectionText(spec)}]${partial}`;
}

/** fetchSpecific: one section of each message; emits the message with `body` set to that section's bytes. */
export function fetchSpecific(c: ImapConnection, set: SequenceSet, spec: SectionSpec, options: FetchOptions = {}): Observable<FetchMessage & { body: Buffer | null }> {
  return guarded(() => {
    const key = sectionKey(spec);
    return fetch(c, set, [sectionItem(spec)], options).pipe(map((m) => Object.assign(m, { body: (m.sections?.[key] ?? null) as Buffer | null })));
  });
}

/** A piece of one message's section, as `fetchStream` emits it (in order per message). */
export interface BodyChunk {
  /** The message's sequence number (also with `uid: true`). */
  readonly seq: number;
  /** The next bytes of the section. */
  readonly data: Buffer;
}

/** A chunk of `fetchStreamPaced`: call `ack()` once you are done with it (written it out, hashed it ...). */
export interface PacedChunk extends BodyChunk {
  /** Releases the chunk's bytes from the budget; idempotent. */
  ack(): void;
}

/** Options of `fetchStreamPaced` / `fetchStreamThrough`. */
export interface PacedFetchOptions extends FetchOptions {
  /** Bytes emitted but not yet acknowledged at which the socket stops reading. Default 1 MiB; reading resumes below half. */
  readonly highWaterMark?: number;
  /**
   * A chunk's `data` is valid only until the chunk is acknowledged (with fetchStreamThrough: until
   * what `consume` returned ends); its memory is then read into again. Memory then stays at about
   * highWaterMark plus a few 256 KiB socket reads whatever the size of the message and however
   * late the garbage collector runs. Default false: every chunk is memory of its own, which the
   * consumer may keep, and which the GC frees later (V8 lets ~32 MB of such Buffers wait for a
   * collection). Copy what you keep (`Buffer.from(chunk.data)`).
   */
  readonly reuseChunks?: boolean;
}

function streamFetch(c: ImapConnection, set: SequenceSet, spec: SectionSpec, options: FetchOptions, emit: (chunk: BodyChunk) => void, sub: { error(e: unknown): void; complete(): void }, releases = false) {
  const key = sectionKey(spec);
  const marker = `BODY[${key.replace(/<\d+>$/, '')}]`;
  let seq = 0;
  const stream: LiteralStream = {
    match: (prefix) => {
      const m = /^\* (\d+) FETCH /.exec(prefix);
      if (!m) return false;
      const at = prefix.toUpperCase().lastIndexOf(marker);
      if (at === -1 || !/^BODY\[[^\]]*\](<\d+>)? ~?\{\d+\+?\}$/i.test(prefix.slice(at))) return false;
      seq = Number(m[1]);
      return true;
    },
    chunk: (data) => emit({ seq, data }),
    end: () => undefined,
    releases,
  };
  const line = fetchParts(set, [sectionItem(spec)], options);
  const accepts = fetchAccepts(c, set, options.uid ? ['UID', sectionItem(spec)] : [sectionItem(spec)], options.uid === true);
  return c.command({ name: options.uid ? 'UID FETCH' : 'FETCH', parts: [line], accepts, stream }).subscribe({
    next: (r) => {
      if (r.kind !== 'fetch') return;
      const body = r.attributes.sections?.[key];
      if (body && body.length > 0) emit({ seq: r.seq, data: body });
    },
    error: (e) => sub.error(e),
    complete: () => sub.complete(),
  });
}

/**
 * Streams one section per message in chunks as they come off the socket;
 * the message is never held whole (only literals ≥ the tokenizer's
 * streamMinSize are streamed; smaller ones arrive as one chunk). No
 * backpressure: a consumer slower than the socket buffers; use
 * `fetchStreamPaced` or `fetchStreamThrough` for that.
 */
export function fetchStream(c: ImapConnection, set: SequenceSet, spec: SectionSpec = {}, options: FetchOptions = {}): Observable<BodyChunk> {
  return guarded(() => {
    sectionKey(spec);
    return new Observable<BodyChunk>((sub) => streamFetch(c, set, spec, options, (chunk) => sub.next(chunk), sub));
  });
}

/**
 * fetchStream with backpressure: every chunk carries `ack()`; while the bytes
 * emitted and not yet acknowledged reach `highWaterMark` the socket stops
 * reading (TCP pushes back on the server), and it reads again once they fall
 * below half. The data held stays bounded by about highWaterMark plus one socket
 * read (256 KiB), whatever the message size; with `reuseChunks` so does the
 * memory, as no chunk needs fresh memory (without it the chunks are garbage the
 * GC frees in its own time). Unsubscribing, completing or erroring releases
 * everything. A chunk never acknowledged stalls the stream (and the connection).
 */
export function fetchStreamPaced(c: ImapConnection, set: SequenceSet, spec: SectionSpec = {}, options: PacedFetchOptions = {}): Observable<PacedChunk> {
  return guarded(() => {
    sectionKey(spec);
    const high = Math.max(1, options.highWaterMark ?? 1024 * 1024);
    const reuse = options.reuseChunks === true;
    return new Observable<PacedChunk>((sub) => {
      const owner = {};
      let outstanding = 0;
      let live = true;
      // with reuseChunks: what is out; what is still out when the stream ends is never reused
      const lent = reuse ? new Set<Buffer>() : undefined;
      const emit = (chunk: BodyChunk): void => {
        const data = chunk.data;
        // unsubscribed while the body still streams (the command runs to its tagged answer):
        // nobody will acknowledge, so the bytes count for nothing and their memory is left to the GC
        if (!live) {
          if (reuse) c.forgetChunk(data);
          return;
        }
        let acked = false;
        const size = data.length;
        outstanding += size;
        lent?.add(data);
        if (outstanding >= high) c.pauseReading(owner);
        sub.next({
          seq: chunk.seq,
          data,
          ack: () => {
            if (acked) return;
            acked = true;
            outstanding -= size;
            if (lent?.delete(data)) c.releaseChunk(data);
            if (live && outstanding < high / 2) c.resumeReading(owner);
          },
        });
      };
      const inner = streamFetch(c, set, spec, options, emit, sub, reuse);
      return () => {
        live = false;
        c.resumeReading(owner);
        inner.unsubscribe();
        // (the consumer may still be working on it: a concatMap behind a completed source)
        if (lent) for (const data of lent) c.forgetChunk(data);
        lent?.clear();
      };
    });
  });
}

/**
 * fetchStreamPaced consumed for you: `consume` runs for one chunk at a time
 * (like concatMap) and the chunk is acknowledged when what it returns ends, so
 * a slow consumer (a file write, an upload) slows the socket instead of
 * filling memory. Emits what `consume` emits.
 */
export function fetchStreamThrough<R>(
  c: ImapConnection,
  set: SequenceSet,
  spec: SectionSpec,
  consume: (chunk: BodyChunk) => ObservableInput<R>,
  options: PacedFetchOptions = {},
): Observable<R> {
  return fetchStreamPaced(c, set, spec, options).pipe(concatMap((chunk) => defer(() => consume(chunk)).pipe(finalize(() => chunk.ack()))));
}
