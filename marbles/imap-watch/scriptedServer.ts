/**
 * A scripted IMAP server for the watch machine's marble tests: it answers the
 * machine's commands after `latency` virtual ms from a small mailbox model,
 * pushes EXISTS / FETCH / EXPUNGE / VANISHED while IDLE (or with the next
 * command's response otherwise), and can be killed or made half-open.
 */
import { Observable, Subject, asyncScheduler, type SchedulerLike } from 'rxjs';
import { AuthenticationFailedError, TransportClosedError } from '../../src/core';
import type { Envelope } from '../../src/imap/codecs/envelope';
import type { WatchCommand, WatchInput } from '../../src/imap/watch/machine';
import type { WatchLink } from '../../src/imap/watch/session';

export interface ScriptedOptions {
  readonly capabilities?: readonly string[];
  readonly latency?: number;
  readonly connectDelay?: number;
  readonly uidValidity?: number;
  readonly scheduler?: SchedulerLike;
}

interface Msg {
  uid: number;
  flags: string[];
  modseq: number;
  subject: string;
}

export function envelopeOf(subject: string): Envelope {
  return { date: null, subject, from: null, sender: null, replyTo: null, to: null, cc: null, bcc: null, inReplyTo: null, messageId: null };
}

export function formatCommand(c: WatchCommand): string {
  switch (c.kind) {
    case 'SELECT':
      return `SELECT ${c.mailbox}${c.qresync ? ` (QRESYNC (${c.qresync.uidValidity} ${c.qresync.modseq}${c.qresync.knownUids ? ` ${c.qresync.knownUids}` : ''}))` : c.condstore ? ' (CONDSTORE)' : ''}`;
    case 'ENABLE':
      return `ENABLE ${c.capabilities.join(' ')}`;
    case 'UID FETCH NEW':
      return `UID FETCH ${c.fromUid}:* (UID FLAGS ENVELOPE${c.modseq ? ' MODSEQ' : ''})`;
    case 'UID FETCH CHANGED':
      return `UID FETCH 1:${c.toUid} (UID FLAGS) (CHANGEDSINCE ${c.changedSince})`;
    default:
      return c.kind;
  }
}

export class ScriptedServer {
  readonly capabilities: readonly string[];
  readonly latency: number;
  readonly connectDelay: number;
  readonly scheduler: SchedulerLike;
  uidValidity: number;
  uidNext = 1;
  modseq = 1;
  messages: Msg[] = [];
  /** Every command the machine sent: [virtual time, text]. */
  readonly log: Array<[number, string]> = [];
  connections = 0;
  /** Refuse logins (wrong password). */
  refuseAuth = false;
  /** Refuse connections (server down). */
  down = false;
  private link: { inputs: Subject<WatchInput>; qresync: boolean; idling: boolean; pending: WatchInput[]; silent: boolean; closed: boolean } | undefined;

  constructor(options: ScriptedOptions = {}) {
    this.capabilities = options.capabilities ?? ['IMAP4rev1', 'IDLE', 'ENABLE', 'CONDSTORE', 'QRESYNC', 'UIDPLUS'];
    this.latency = options.latency ?? 1;
    this.connectDelay = options.connectDelay ?? 1;
    this.uidValidity = options.uidValidity ?? 100;
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  connect = (): Observable<WatchLink<string>> =>
    new Observable<WatchLink<string>>((sub) => {
      const t = this.scheduler.schedule(() => {
        if (this.down) return sub.error(new TransportClosedError('connect ECONNREFUSED 127.0.0.1:143'));
        if (this.refuseAuth) return sub.error(new AuthenticationFailedError('IMAP', 'AUTHENTICATIONFAILED'));
        this.connections++;
        const state = { inputs: new Subject<WatchInput>(), qresync: false, idling: false, pending: [] as WatchInput[], silent: false, closed: false };
        this.link = state;
        sub.next({
          capabilities: this.capabilities,
          inputs$: state.inputs.asObservable(),
          send: (c) => this.onCommand(state, c),
          close: () => {
            if (!state.closed) {
              state.closed = true;
              this.log.push([this.scheduler.now(), 'CLOSE']);
            }
          },
          user: `connection ${this.connections}`,
        });
      }, this.connectDelay);
      return () => t.unsubscribe();
    });

  private later(fn: () => void): void {
    this.scheduler.schedule(fn, this.latency);
  }

  private onCommand(link: NonNullable<ScriptedServer['link']>, c: WatchCommand): void {
    this.log.push([this.scheduler.now(), formatCommand(c)]);
    if (link.silent || link.closed) return;
    const emit = (inputs: WatchInput[]): void =>
      this.later(() => {
        if (link.silent || link.closed) return;
        for (const i of inputs) link.inputs.next(i);
      });
    const ok: WatchInput = { kind: 'completed', status: 'OK', code: null, text: 'done' };
    const flush = (): WatchInput[] => link.pending.splice(0);
    switch (c.kind) {
      case 'ENABLE':
        link.qresync = c.capabilities.includes('QRESYNC');
        return emit([{ kind: 'enabled', capabilities: [...c.capabilities] }, ok]);
      case 'SELECT': {
        const out: WatchInput[] = [
          { kind: 'flags', flags: ['\\Seen', '\\Flagged', '\\Deleted'] },
          { kind: 'exists', count: this.messages.length },
          { kind: 'condition', status: 'OK', code: { name: 'UIDVALIDITY', value: this.uidValidity }, text: '' },
          { kind: 'condition', status: 'OK', code: { name: 'UIDNEXT', value: this.uidNext }, text: '' },
          { kind: 'condition', status: 'OK', code: { name: 'HIGHESTMODSEQ', value: this.modseq }, text: '' },
        ];
        if (c.qresync && c.qresync.uidValidity === this.uidValidity) {
          const since = c.qresync.modseq;
          this.messages.forEach((m, i) => {
            if (m.modseq > since) out.push({ kind: 'fetch', seq: i + 1, uid: m.uid, flags: [...m.flags], modseq: m.modseq, envelope: null });
          });
        }
        link.pending = [];
        return emit([...out, { kind: 'completed', status: 'OK', code: { name: 'READ-WRITE' }, text: 'selected' }]);
      }
      case 'UID SEARCH ALL':
        return emit([...flush(), { kind: 'search', uids: this.messages.map((m) => m.uid) }, ok]);
      case 'UID FETCH NEW': {
        let hits = this.messages.map((m, i) => [m, i + 1] as const).filter(([m]) => m.uid >= c.fromUid);
        if (hits.length === 0 && this.messages.length > 0) hits = [[this.messages[this.messages.length - 1], this.messages.length]];
        const out: WatchInput[] = hits.map(([m, seq]) => ({ kind: 'fetch', seq, uid: m.uid, flags: [...m.flags], modseq: c.modseq ? m.modseq : null, envelope: envelopeOf(m.subject) }));
        return emit([...flush(), ...out, ok]);
      }
      case 'UID FETCH CHANGED': {
        const out: WatchInput[] = [];
        this.messages.forEach((m, i) => {
          if (m.uid <= c.toUid && m.modseq > c.changedSince) out.push({ kind: 'fetch', seq: i + 1, uid: m.uid, flags: [...m.flags], modseq: m.modseq, envelope: null });
        });
        return emit([...flush(), ...out, ok]);
      }
      case 'IDLE':
        return this.later(() => {
          if (link.silent || link.closed) return;
          link.idling = true;
          link.inputs.next({ kind: 'continuation' });
          for (const i of flush()) link.inputs.next(i);
        });
      case 'DONE':
        return this.later(() => {
          if (link.silent || link.closed || !link.idling) return;
          link.idling = false;
          link.inputs.next(ok);
        });
      case 'NOOP':
        return emit([...flush(), ok]);
      case 'LOGOUT':
        return this.later(() => {
          if (link.silent || link.closed) return;
          link.inputs.next({ kind: 'condition', status: 'BYE', code: null, text: 'Logging out' });
          link.inputs.next(ok);
          link.closed = true;
          link.inputs.next({ kind: 'closed', reason: 'connection closed' });
        });
    }
  }

  private notify(inputs: WatchInput[]): void {
    const link = this.link;
    if (!link || link.closed) return;
    if (link.idling && !link.silent) for (const i of inputs) link.inputs.next(i);
    else link.pending.push(...inputs);
  }

  /** Another client appends a message. */
  append(subject: string, flags: string[] = []): number {
    const uid = this.uidNext++;
    this.messages.push({ uid, flags, modseq: ++this.modseq, subject });
    this.notify([{ kind: 'exists', count: this.messages.length }]);
    return uid;
  }

  setFlags(uid: number, flags: string[]): void {
    const i = this.messages.findIndex((m) => m.uid === uid);
    const m = this.messages[i];
    m.flags = flags;
    m.modseq = ++this.modseq;
    this.notify([{ kind: 'fetch', seq: i + 1, uid: this.link?.qresync ? uid : null, flags: [...flags], modseq: m.modseq, envelope: null }]);
  }

  expunge(uid: number): void {
    const i = this.messages.findIndex((m) => m.uid === uid);
    this.messages.splice(i, 1);
    this.modseq++;
    this.notify([this.link?.qresync ? { kind: 'vanished', earlier: false, uids: [uid] } : { kind: 'expunge', seq: i + 1 }]);
  }

  /** The server pushes an untagged response (ALERT, READ-ONLY, ...) now. */
  push(input: WatchInput): void {
    this.link?.inputs.next(input);
  }

  /** The server closes the connection (e.g. doveadm kick). */
  kill(reason = 'connection reset by peer'): void {
    const link = this.link;
    if (!link || link.closed) return;
    link.closed = true;
    link.inputs.next({ kind: 'closed', reason });
  }

  /** The connection goes half-open: nothing more arrives, writes vanish. */
  halfOpen(): void {
    if (this.link) this.link.silent = true;
  }
}
