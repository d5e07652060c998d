/**
 * Adapts a logged-in ImapClient to the watch machine's WatchLink: every
 * untagged response (whatever command is in flight) becomes a machine input,
 * the machine's commands are sent as raw command specs whose tagged
 * completion becomes a `completed` input, DONE is written raw after IDLE's `+`.
 */
import { Observable, catchError, EMPTY, map, Subject, timeout, type SchedulerLike, type Subscription } from 'rxjs';
import { CommandFailedError, TransportClosedError } from '../../core';
import type { ImapClient } from '../client';
import type { Response, UntaggedResponse } from '../codecs/response';
import type { CommandSpec } from '../connection';
import { expandSet, mailbox, type Part } from '../quote';
import type { WatchCommand, WatchInput } from './machine';
import type { WatchLink } from './session';

/** Untagged response → machine input (null: nothing the machine needs beyond liveness). */
export function toWatchInput(r: UntaggedResponse): WatchInput {
  switch (r.kind) {
    case 'exists':
      return { kind: 'exists', count: r.count };
    case 'expunge':
      return { kind: 'expunge', seq: r.seq };
    case 'vanished':
      return { kind: 'vanished', earlier: r.earlier, uids: expandSet(r.uids) };
    case 'fetch': {
      const a = r.attributes;
      return { kind: 'fetch', seq: r.seq, uid: a.uid ?? null, flags: a.flags ?? null, modseq: a.modseq ?? null, envelope: a.envelope ?? null };
    }
    case 'flags':
      return { kind: 'flags', flags: r.flags };
    case 'condition':
      return { kind: 'condition', status: r.status, code: r.code, text: r.text };
    case 'search':
      return { kind: 'search', uids: r.ids };
    case 'esearch':
      return { kind: 'search', uids: r.data.all !== undefined ? expandSet(r.data.all) : [] };
    case 'enabled':
      return { kind: 'enabled', capabilities: r.capabilities };
    case 'unknown':
      return { kind: 'unknown', raw: r.line, error: r.error };
    default:
      return { kind: 'activity' };
  }
}

function spec(command: Exclude<WatchCommand, { kind: 'DONE' | 'LOGOUT' }>, esearch: boolean): CommandSpec {
  switch (command.kind) {
    case 'ENABLE':
      return { name: 'ENABLE', parts: [`ENABLE ${command.capabilities.join(' ')}`] };
    case 'SELECT': {
      const verb = command.readOnly ? 'EXAMINE' : 'SELECT';
      const parts: Part[] = [`${verb} `, mailbox(command.mailbox)];
      const q = command.qresync;
      if (q) parts.push(` (QRESYNC (${q.uidValidity} ${q.modseq}${q.knownUids ? ` ${q.knownUids}` : ''}))`);
      else if (command.condstore) parts.push(' (CONDSTORE)');
      return { name: verb, parts };
    }
    case 'UID SEARCH ALL':
      // ESEARCH (RFC 4731) answers with a compact set ("1:5000") instead of every UID.
      return { name: 'UID SEARCH', parts: [esearch ? 'UID SEARCH RETURN (ALL) ALL' : 'UID SEARCH ALL'] };
    case 'UID FETCH NEW':
      return { name: 'UID FETCH', parts: [`UID FETCH ${command.fromUid}:* (UID FLAGS ENVELOPE${command.modseq ? ' MODSEQ' : ''})`] };
    case 'UID FETCH CHANGED':
      return { name: 'UID FETCH', parts: [`UID FETCH 1:${command.toUid} (UID FLAGS) (CHANGEDSINCE ${command.changedSince})`] };
    case 'NOOP':
      return { name: 'NOOP', parts: ['NOOP'] };
    case 'IDLE':
      return { name: 'IDLE', parts: ['IDLE'], barrier: true, timeout: 0 };
  }
}

export interface LinkOptions {
  /** How long LOGOUT may take before the socket is closed anyway. Default 2000 ms. */
  readonly logoutTimeout?: number;
  readonly scheduler?: SchedulerLike;
}

export function imapWatchLink(client: ImapClient, options: LinkOptions = {}): WatchLink<ImapClient> {
  const inputs = new Subject<WatchInput>();
  const subs: Subscription[] = [];
  let loggingOut = false;
  let closed = false;
  const push = (i: WatchInput): void => {
    if (!closed) inputs.next(i);
  };
  subs.push(client.untagged$.subscribe((r) => push(toWatchInput(r))));
  subs.push(
    client.closed$.subscribe((e) => {
      push({ kind: 'closed', reason: e instanceof TransportClosedError ? e.reason : e.message });
      closed = true;
    }),
  );

  const run = (command: Exclude<WatchCommand, { kind: 'DONE' | 'LOGOUT' }>): void => {
    const s = spec(command, client.hasCapability('ESEARCH'));
    const full: CommandSpec = command.kind === 'IDLE' ? { ...s, onContinuation: () => (push({ kind: 'continuation' }), null) } : s;
    subs.push(
      client.command(full).subscribe({
        next: (r: Response) => {
          if (r.kind === 'tagged') push({ kind: 'completed', status: r.status, code: r.code, text: r.text });
        },
        error: (e: unknown) => {
          // NO/BAD: the machine decides; a dropped connection arrives through closed$.
          if (e instanceof CommandFailedError && (e.status === 'NO' || e.status === 'BAD')) push({ kind: 'completed', status: e.status, code: null, text: e.text });
        },
      }),
    );
  };

  return {
    capabilities: [...client.capabilities],
    inputs$: inputs.asObservable(),
    user: client,
    send(command) {
      if (closed || client.closed) return;
      if (command.kind === 'DONE') {
        client.writeRaw('DONE\r\n').catch(() => undefined);
        return;
      }
      if (command.kind === 'LOGOUT') {
        loggingOut = true;
        client
          .logout()
          .pipe(
            timeout({ first: options.logoutTimeout ?? 2000, scheduler: options.scheduler }),
            catchError(() => EMPTY),
          )
          .subscribe({ complete: () => client.close() });
        return;
      }
      run(command);
    },
    close() {
      // After LOGOUT the socket closes once the server answered (or the timeout passed).
      if (!loggingOut) client.close();
      closed = true;
      for (const s of subs) s.unsubscribe();
      inputs.complete();
    },
  };
}

/** The capabilities after login (asking the server when they are not cached). */
export function linkFor(client: ImapClient, options: LinkOptions = {}): Observable<WatchLink<ImapClient>> {
  return client.capability().pipe(map(() => imapWatchLink(client, options)));
}
