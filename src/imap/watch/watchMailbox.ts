/**
 * `watchMailbox(connection, mailbox, options)`: a mailbox's changes as a cold
 * Observable<ImapEvent>, over IDLE (renewed, broken for commands, probed when
 * quiet) or NOOP polling, reconnecting with backoff and catching up so that
 * every message is reported exactly once. Wrong credentials error the stream
 * with AuthenticationFailedError. `mailboxWatch(...)` additionally lets you run
 * commands on the watching connection (IDLE is ended and resumed around them).
 */
import { Observable, switchMap } from 'rxjs';
import type { BackoffPolicy } from '../../core';
import type { ImapClient } from '../client';
import { imapSession, type SessionOptions } from '../session';
import type { ImapEvent } from './events';
import { linkFor } from './link';
import type { WatchConfig } from './machine';
import { watchSession, type MailboxWatch } from './session';

export interface WatchOptions extends Partial<Omit<WatchConfig, 'mailbox'>> {
  /** Reconnect policy. Default: 1 s doubling to 60 s, equal jitter, retrying forever (fatal errors stop it). */
  readonly backoff?: BackoffPolicy;
  /** When it emits: end IDLE, LOGOUT, emit ConnectionClosed and complete. */
  readonly stop$?: Observable<unknown>;
}

export const defaultWatchBackoff: BackoffPolicy = { initialDelay: 1000, maxDelay: 60_000, jitter: 'equal' };

export function mailboxWatch(connection: SessionOptions, mailbox: string, options: WatchOptions = {}): MailboxWatch<ImapClient> {
  const { backoff, stop$, ...config } = options;
  const scheduler = connection.scheduler;
  const connect = () => imapSession(connection).pipe(switchMap((client) => linkFor(client, { scheduler })));
  return watchSession(connect, { ...config, mailbox }, { host: connection.host, port: connection.port, backoff: backoff ?? defaultWatchBackoff, stop$, scheduler });
}

export function watchMailbox(connection: SessionOptions, mailbox: string, options: WatchOptions = {}): Observable<ImapEvent> {
  return mailboxWatch(connection, mailbox, options).events$;
}
