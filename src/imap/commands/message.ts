/** Message commands: SEARCH, STORE, COPY, MOVE, APPEND, MULTIAPPEND, binary APPEND (UID variants through `uid: true`). */
import { concat, filter, map, toArray, type Observable } from 'rxjs';
import type { TaggedResponse } from '../codecs/response';
import type { AppendUid, CopyUid, FetchMessage } from '../codecs/mailbox';
import type { ImapConnection } from '../connection';
import { ImapArgumentError } from '../errors';
import { dateTime, expandSet, flag, mailbox, sequenceSet, type Part } from '../quote';
import type { SearchKey } from '../search-query';
import { fetchAccepts, type SequenceSet } from './fetch';
import { collect, guarded } from './util';

/** Options of `search`. */
export interface SearchOptions {
  /** UID SEARCH: emit UIDs instead of sequence numbers. Default false. */
  readonly uid?: boolean;
  /** Defaults to UTF-8 when the query has non-ASCII strings, else none. */
  readonly charset?: string;
}

/** SEARCH: emits the matching sequence numbers (UIDs with `uid: true`) once, ascending. */
export function search(c: ImapConnection, query: SearchKey, options: SearchOptions = {}): Observable<number[]> {
  return guarded(() => {
    const charset = options.charset ?? (query.nonAscii ? 'UTF-8' : undefined);
    if (charset !== undefined && !/^[A-Za-z0-9_.:-]+$/.test(charset)) throw new ImapArgumentError('not a charset name');
    // With ESEARCH (RFC 4731) the answer is a compact set ("1:10000"), not one number per
    // message: a big result then stays far below the tokenizer's line limit.
    const esearch = c.hasCapability('ESEARCH');
    const parts: Part[] = [`${options.uid ? 'UID ' : ''}SEARCH ${esearch ? 'RETURN (ALL) ' : ''}${charset ? `CHARSET ${charset} ` : ''}`, ...query.parts];
    return collect(c, { name: options.uid ? 'UID SEARCH' : 'SEARCH', parts, accepts: (r, tag) => r.kind === 'search' || (r.kind === 'esearch' && (r.tag === null || r.tag === tag)) }).pipe(
      map(({ untagged }) => {
        const ids: number[] = [];
        for (const r of untagged) {
          if (r.kind === 'search') ids.push(...r.ids);
          else if (r.kind === 'esearch' && r.data.all) ids.push(...expandSet(r.data.all, Number.MAX_SAFE_INTEGER));
        }
        return ids.sort((a, b) => a - b);
      }),
    );
  });
}

/** Options of `store` and the flag shorthands. */
export interface StoreOptions {
  /** UID STORE: the set is UIDs. Default false. */
  readonly uid?: boolean;
  /** FLAGS.SILENT: the server sends no FETCH back. */
  readonly silent?: boolean;
  /** UNCHANGEDSINCE modseq (CONDSTORE). */
  readonly unchangedSince?: number;
}

/**
 * STORE: mode 'set' (FLAGS), 'add' (+FLAGS), 'remove' (-FLAGS); emits the FETCH responses for the messages in
 * `set` (by UID with `uid: true`); with `silent` emits nothing. Other messages' FETCH data goes to `unsolicited$`.
 */
export function store(c: ImapConnection, set: SequenceSet, mode: 'set' | 'add' | 'remove', flags: readonly string[], options: StoreOptions = {}): Observable<FetchMessage> {
  return guarded(() => {
    const sign = mode === 'add' ? '+' : mode === 'remove' ? '-' : '';
    const modifier = options.unchangedSince !== undefined ? ` (UNCHANGEDSINCE ${Math.floor(options.unchangedSince)})` : '';
    const line = `${options.uid ? 'UID ' : ''}STORE ${sequenceSet(set)}${modifier} ${sign}FLAGS${options.silent ? '.SILENT' : ''} (${flags.map(flag).join(' ')})`;
    // .SILENT: the server should send nothing back; what it sends anyway (Cyrus, CONDSTORE) goes to unsolicited$
    const accepts = options.silent ? () => false : fetchAccepts(c, set, ['FLAGS'], options.uid === true, options.unchangedSince !== undefined);
    return c.command({ name: options.uid ? 'UID STORE' : 'STORE', parts: [line], accepts }).pipe(
      filter((r) => r.kind === 'fetch'),
      map((r) => (r.kind === 'fetch' ? { seq: r.seq, ...r.attributes } : { seq: 0 })),
    );
  });
}

function copyLike(verb: 'COPY' | 'MOVE') {
  return (c: ImapConnection, set: SequenceSet, destination: string, options: { readonly uid?: boolean } = {}): Observable<CopyUid | null> =>
    guarded(() => {
      const name = `${options.uid ? 'UID ' : ''}${verb}`;
      return collect(c, {
        name,
        parts: [`${name} ${sequenceSet(set)} `, mailbox(destination)],
        accepts: (r) => verb === 'MOVE' && (r.kind === 'expunge' || r.kind === 'vanished' || (r.kind === 'condition' && r.code?.name === 'COPYUID')),
      }).pipe(
        map(({ untagged, tagged }) => {
          for (const r of [tagged, ...untagged]) {
            if ((r.kind === 'tagged' || r.kind === 'condition') && r.code?.name === 'COPYUID') {
              return { uidValidity: r.code.uidValidity, source: r.code.source, destination: r.code.destination };
            }
          }
          return null;
        }),
      );
    });
}
/** COPY: emits the COPYUID mapping (UIDPLUS) or null. */
export const copy = copyLike('COPY');
/** MOVE (RFC 6851): emits the COPYUID mapping or null. */
export const move = copyLike('MOVE');

/** An APPEND message: bytes, a string (sent as UTF-8), or a stream of exactly `size` bytes (not held in memory). */
export type AppendSource = Buffer | string | { readonly size: number; readonly stream: AsyncIterable<Uint8Array> };

/** Options of `append`. */
export interface AppendOptions {
  /** Flags to set on the stored message (`\Seen`, keywords). Default none. */
  readonly flags?: readonly string[];
  /** The internal date (sent in UTC, to the second); default: the server's time of arrival. */
  readonly date?: Date;
  /**
   * Send the message as a literal8 (`~{N}`, RFC 3516 BINARY): 8-bit and NUL bytes pass unchanged.
   * Default: when the message (a Buffer or string) contains NUL and the server advertises BINARY.
   * `true` on a server without BINARY errors with ImapArgumentError before anything is sent.
   */
  readonly binary?: boolean;
}

/** One message of `appendMany`. */
export interface AppendMessage extends AppendOptions {
  /** The message itself (RFC 5322 bytes). */
  readonly message: AppendSource;
}

function appendParts(c: ImapConnection, message: AppendSource, options: AppendOptions): Part[] {
  const literal = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const parts: Part[] = [];
  if (options.flags?.length) parts.push(` (${options.flags.map(flag).join(' ')})`);
  if (options.date) parts.push(` ${dateTime(options.date)}`);
  const hasBinary = c.hasCapability('BINARY');
  if (options.binary === true && !hasBinary) throw new ImapArgumentError('binary APPEND needs the BINARY capability (RFC 3516), which this server does not advertise');
  const binary = options.binary ?? (hasBinary && Buffer.isBuffer(literal) && literal.includes(0));
  parts.push(' ', binary ? { literal, binary: true } : { literal });
  return parts;
}

const appendUid = ({ tagged }: { tagged: TaggedResponse }): AppendUid | null =>
  tagged.code?.name === 'APPENDUID' ? { uidValidity: tagged.code.uidValidity, uids: tagged.code.uids } : null;

/**
 * APPEND: the message goes as one literal, non-synchronizing when the server
 * offers LITERAL+ (so it streams without a round trip). A `{ size, stream }`
 * source is written chunk by chunk and never held whole. Emits APPENDUID or null.
 */
export function append(c: ImapConnection, destination: string, message: AppendSource, options: AppendOptions = {}): Observable<AppendUid | null> {
  return guarded(() => {
    const parts: Part[] = ['APPEND ', mailbox(destination), ...appendParts(c, message, options)];
    return collect(c, { name: 'APPEND', parts }).pipe(map(appendUid));
  });
}

/**
 * Appends several messages. With MULTIAPPEND (RFC 3502) they go in one APPEND
 * command, atomically (all or none); without it, one APPEND after the other.
 * Emits once: APPENDUID with the set of new UIDs (e.g. "7:9"), or null when the
 * server does not report UIDs.
 */
export function appendMany(c: ImapConnection, destination: string, messages: readonly AppendMessage[]): Observable<AppendUid | null> {
  return guarded(() => {
    if (messages.length === 0) throw new ImapArgumentError('appendMany needs at least one message');
    if (c.hasCapability('MULTIAPPEND')) {
      const parts: Part[] = ['APPEND ', mailbox(destination)];
      for (const m of messages) parts.push(...appendParts(c, m.message, m));
      return collect(c, { name: 'APPEND', parts }).pipe(map(appendUid));
    }
    return concat(...messages.map((m) => append(c, destination, m.message, m))).pipe(
      toArray(),
      map((results) => {
        if (results.some((r) => r === null) || new Set(results.map((r) => r!.uidValidity)).size !== 1) return null;
        return { uidValidity: results[0]!.uidValidity, uids: results.map((r) => r!.uids).join(',') };
      }),
    );
  });
}
