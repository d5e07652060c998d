import { asyncScheduler, type Observable, type Subscription } from 'rxjs';
import type { ImapEvent } from '../../src/imap/watch/events';
import type { WatchConfig } from '../../src/imap/watch/machine';
import { watchSession, type MailboxWatch } from '../../src/imap/watch/session';
import { ScriptedServer } from './scriptedServer';

/** One line per event, enough to assert order and content. */
export function summary(e: ImapEvent): string {
  switch (e.type) {
    case 'Connecting':
      return `Connecting #${e.data.attempt}`;
    case 'MailboxSelected':
      return `MailboxSelected exists=${e.data.exists} uidvalidity=${e.data.uidValidity}`;
    case 'IdleStarted':
      return `IdleStarted ${e.data.method}`;
    case 'NewMessages':
      return `NewMessages ${e.data.previous}->${e.data.count} ${e.data.messages.map((m) => `${m.uid}@${m.seq}:${m.envelope?.subject ?? ''}`).join(',')}`;
    case 'FlagsChanged':
      return `FlagsChanged ${e.data.seq}/${e.data.uid} ${e.data.flags.join(' ')}`;
    case 'Expunged':
      return `Expunged ${e.data.seq ?? '-'}/${e.data.uids.join(',')}${e.data.earlier ? ' earlier' : ''}`;
    case 'Reconnecting':
      return `Reconnecting #${e.data.attempt} +${e.data.delay}`;
    case 'Disconnected':
      return `Disconnected ${e.data.reason.split(':')[0]}`;
    case 'ModeChanged':
      return `ModeChanged ${e.data.mode}`;
    case 'Alert':
      return `Alert ${e.data.text}`;
    case 'Bye':
      return `Bye ${e.data.text}`;
    case 'MailboxReset':
      return `MailboxReset ${e.data.previousUidValidity}->${e.data.uidValidity}`;
    case 'MailboxFlags':
      return `MailboxFlags ${e.data.kind} ${e.data.flags.join(' ')}`;
    default:
      return e.type;
  }
}

export const backoff = { initialDelay: 1000, maxDelay: 30_000, jitter: 'none' as const };

export function makeWatch(server: ScriptedServer, config: Partial<WatchConfig> = {}, stop$?: Observable<unknown>): MailboxWatch<string> {
  return watchSession(server.connect, { mailbox: 'INBOX', ...config }, { host: '127.0.0.1', port: 143, backoff, stop$ });
}

export interface Recording {
  readonly events: Array<[number, string]>;
  readonly errors: unknown[];
  completedAt: number | null;
  sub: Subscription;
}

/** Subscribes and records `[virtual time, summary]` for every event (inside TestScheduler.run). */
export function record(events$: Observable<ImapEvent>, unsubscribeAt?: number): Recording {
  const rec: Recording = { events: [], errors: [], completedAt: null, sub: undefined as unknown as Subscription };
  rec.sub = events$.subscribe({
    next: (e) => rec.events.push([asyncScheduler.now(), summary(e)]),
    error: (e: unknown) => rec.errors.push(e),
    complete: () => (rec.completedAt = asyncScheduler.now()),
  });
  if (unsubscribeAt !== undefined) asyncScheduler.schedule(() => rec.sub.unsubscribe(), unsubscribeAt);
  return rec;
}

/** Runs `fn` at virtual time `t`. */
export function at(t: number, fn: () => void): void {
  asyncScheduler.schedule(fn, t);
}
