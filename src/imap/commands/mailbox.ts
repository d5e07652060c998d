/** Mailbox commands: SELECT/EXAMINE, CREATE, DELETE, RENAME, (UN)SUBSCRIBE, LIST, LSUB, STATUS, CHECK, CLOSE, UNSELECT, EXPUNGE, UID EXPUNGE. */
import { map, type Observable } from 'rxjs';
import type { MailboxInfo } from '../codecs/mailbox';
import type { ListResponse, TaggedResponse, UntaggedResponse } from '../codecs/response';
import type { ImapConnection } from '../connection';
import { ImapArgumentError } from '../errors';
import { expandSet, listPattern, mailbox, sequenceSet, type Part } from '../quote';
import { collect, guarded, simple } from './util';

/** Parameters of `select`/`examine` (RFC 7162 CONDSTORE/QRESYNC); none by default. */
export interface SelectOptions {
  /** SELECT ... (CONDSTORE): report HIGHESTMODSEQ (RFC 7162). */
  readonly condstore?: boolean;
  /** SELECT ... (QRESYNC (uidvalidity modseq [known-uids])): needs ENABLE QRESYNC first. */
  readonly qresync?: { readonly uidValidity: number; readonly modseq: number; readonly knownUids?: string };
}

const SELECT_KINDS = new Set(['exists', 'recent', 'flags']);
const SELECT_CODES = new Set(['UNSEEN', 'UIDVALIDITY', 'UIDNEXT', 'HIGHESTMODSEQ', 'PERMANENTFLAGS', 'NOMODSEQ', 'READ-ONLY', 'READ-WRITE']);

/** SELECT's own answers; the QRESYNC resync data (VANISHED (EARLIER), FETCH) and alerts stay on `unsolicited$`. */
function selectAccepts(r: UntaggedResponse): boolean {
  if (SELECT_KINDS.has(r.kind)) return true;
  return r.kind === 'condition' && r.status === 'OK' && r.code !== null && SELECT_CODES.has(r.code.name);
}

function selectCommand(c: ImapConnection, verb: 'SELECT' | 'EXAMINE', name: string, options: SelectOptions): Observable<MailboxInfo> {
  return guarded(() => {
    const parts: Part[] = [`${verb} `, mailbox(name)];
    if (options.qresync) {
      const q = options.qresync;
      parts.push(` (QRESYNC (${Math.floor(q.uidValidity)} ${Math.floor(q.modseq)}${q.knownUids ? ` ${sequenceSet(q.knownUids)}` : ''}))`);
    } else if (options.condstore) parts.push(' (CONDSTORE)');
    const onTagged = (r: TaggedResponse): void => {
      if (r.status === 'OK') c.setState({ status: 'selected', mailbox: name, readOnly: r.code?.name === 'READ-ONLY' || (verb === 'EXAMINE' && r.code?.name !== 'READ-WRITE'), exists: c.messageCount ?? 0 });
      else if (r.status === 'NO') c.setState({ status: 'authenticated' }); // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected
    };
    return collect(c, { name: verb, parts, accepts: selectAccepts, onTagged }).pipe(
      map(({ untagged, tagged }) => {
        const info: MailboxInfo = { name, exists: 0, recent: 0, flags: [], readWrite: verb === 'SELECT' };
        for (const r of untagged) applySelectResponse(info, r);
        if (tagged.code?.name === 'READ-WRITE') info.readWrite = true;
        else if (tagged.code?.name === 'READ-ONLY') info.readWrite = false;
        return info;
      }),
    );
  });
}

function applySelectResponse(info: MailboxInfo, r: UntaggedResponse): void {
  if (r.kind === 'exists') info.exists = r.count;
  else if (r.kind === 'recent') info.recent = r.count;
  else if (r.kind === 'flags') info.flags = r.flags;
  else if (r.kind === 'condition' && r.code) {
    const code = r.code;
    switch (code.name) {
      case 'UNSEEN':
        info.unseen = code.value;
        break;
      case 'UIDVALIDITY':
        info.uidValidity = code.value;
        break;
      case 'UIDNEXT':
        info.uidNext = code.value;
        break;
      case 'HIGHESTMODSEQ':
        info.highestModseq = code.value;
        break;
      case 'PERMANENTFLAGS':
        info.permanentFlags = code.flags;
        break;
      case 'NOMODSEQ':
        info.noModseq = true;
        break;
      default:
    }
  }
}

export const select = (c: ImapConnection, name: string, options: SelectOptions = {}) => selectCommand(c, 'SELECT', name, options);
export const examine = (c: ImapConnection, name: string, options: SelectOptions = {}) => selectCommand(c, 'EXAMINE', name, options);

function oneMailbox(verb: string) {
  return (c: ImapConnection, name: string): Observable<void> => guarded(() => simple(c, { name: verb, parts: [`${verb} `, mailbox(name)] }));
}
export const create = oneMailbox('CREATE');
export const deleteMailbox = oneMailbox('DELETE');
export const subscribe = oneMailbox('SUBSCRIBE');
export const unsubscribe = oneMailbox('UNSUBSCRIBE');

export function rename(c: ImapConnection, from: string, to: string): Observable<void> {
  return guarded(() => simple(c, { name: 'RENAME', parts: ['RENAME ', mailbox(from), ' ', mailbox(to)] }));
}

function listCommand(verb: 'LIST' | 'LSUB') {
  return (c: ImapConnection, reference = '', pattern = '*'): Observable<ListResponse[]> =>
    guarded(() => {
      const ref: Part = reference === '' ? '""' : mailbox(reference);
      return collect(c, { name: verb, parts: [`${verb} `, ref, ' ', listPattern(pattern)], accepts: (r) => r.kind === 'list' && r.command === verb }).pipe(
        map(({ untagged }) => untagged.filter((r): r is ListResponse => r.kind === 'list')),
      );
    });
}
/** LIST reference pattern (`*` any depth, `%` one level): emits the matching mailboxes once. */
export const list = listCommand('LIST');
export const lsub = listCommand('LSUB');

const STATUS_ITEMS = new Set(['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ', 'SIZE', 'DELETED', 'APPENDLIMIT']);

/** STATUS: emits the requested counters, e.g. { MESSAGES: 3, UIDNEXT: 9 }. */
export function status(c: ImapConnection, name: string, items: readonly string[] = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN']): Observable<Record<string, number>> {
  return guarded(() => {
    for (const i of items) if (!STATUS_ITEMS.has(i.toUpperCase())) throw new ImapArgumentError(`unknown STATUS item ${JSON.stringify(i.slice(0, 30))}`);
    return collect(c, { name: 'STATUS', parts: ['STATUS ', mailbox(name), ` (${items.join(' ').toUpperCase()})`], accepts: (r) => r.kind === 'status' && sameMailbox(r.name, name) }).pipe(
      map(({ untagged }) => {
        for (const r of untagged) if (r.kind === 'status') return r.attributes;
        return {};
      }),
    );
  });
}

function sameMailbox(a: string, b: string): boolean {
  return a === b || (a.toUpperCase() === 'INBOX' && b.toUpperCase() === 'INBOX');
}

export const check = (c: ImapConnection) => simple(c, { name: 'CHECK', parts: ['CHECK'] });
const leaves = (c: ImapConnection) => (r: TaggedResponse) => {
  if (r.status === 'OK') c.setState({ status: 'authenticated' });
};
export const close = (c: ImapConnection) => simple(c, { name: 'CLOSE', parts: ['CLOSE'], onTagged: leaves(c) });
/** UNSELECT (RFC 3691): leaves the mailbox without expunging. */
export const unselect = (c: ImapConnection) => simple(c, { name: 'UNSELECT', parts: ['UNSELECT'], onTagged: leaves(c) });

const removal = (r: UntaggedResponse): boolean => r.kind === 'expunge' || (r.kind === 'vanished' && !r.earlier);

/**
 * EXPUNGE: emits once what was removed: the sequence numbers of the `* n EXPUNGE`
 * answers, or, once QRESYNC is enabled (RFC 7162 §3.2.10: the server answers
 * `* VANISHED uids` instead), the UIDs.
 */
export function expunge(c: ImapConnection): Observable<number[]> {
  return collect(c, { name: 'EXPUNGE', parts: ['EXPUNGE'], accepts: removal }).pipe(map(({ untagged }) => expunged(untagged)));
}

/** UID EXPUNGE (UIDPLUS): expunges only these UIDs; emits what was removed, as `expunge()` does. */
export function uidExpunge(c: ImapConnection, uids: string | number | readonly number[]): Observable<number[]> {
  return guarded(() => collect(c, { name: 'UID EXPUNGE', parts: [`UID EXPUNGE ${sequenceSet(uids)}`], accepts: removal }).pipe(map(({ untagged }) => expunged(untagged))));
}

function expunged(untagged: UntaggedResponse[]): number[] {
  const out: number[] = [];
  for (const r of untagged) {
    if (r.kind === 'expunge') out.push(r.seq);
    else if (r.kind === 'vanished') for (const u of expandSet(r.uids)) out.push(u);
  }
  return out;
}
