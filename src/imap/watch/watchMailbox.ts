/**
 * `watchMailbox(connection, mailbox, options)`: a mailbox's changes as a cold
 * Observable<ImapEvent>, over IDLE (renewed, broken for commands, probed when
 * quiet) or NOOP polling, reconnecting with backoff and catching up so that
 * every message is reported exactly once. Wrong credentials error the stream
 * with AuthenticationFailedError. `mailboxWatch(...)` additionally lets you run
 * commands on the watching connection (IDLE is ended and resumed around them).
 */
import { Observable, switchMap } from 'rxjs';
import type { BackoffPolicy, Logger } from '../../core';
import { imapUrl } from '../url';
import type { ImapClient } from '../client';
import { imapSession, type SessionOptions } from '../session';
import type { ImapEvent } from './events';
import { linkFor } from './link';
import type { WatchConfig } from './machine';
import { watchSession, type MailboxWatch } from './session';

/** Options of `watchMailbox`/`mailboxWatch`: the {@link WatchConfig} settings (defaults in {@link defaultWatchConfig}), the reconnect policy and a stop signal. */
export interface WatchOptions extends Partial<Omit<WatchConfig, 'mailbox'>> {
  /** Reconnect policy. Default: 1 s doubling to 60 s, equal jitter, retrying forever (fatal errors stop it). */
  readonly backoff?: BackoffPolicy;
  /** When it emits: end IDLE, LOGOUT, emit Closed (and the deprecated ConnectionClosed) and complete. */
  readonly stop$?: Observable<unknown>;
}

/** The default reconnect policy: 1 s doubling to 60 s, equal jitter, forever. */
export const defaultWatchBackoff: BackoffPolicy = { initialDelay: 1000, maxDelay: 60_000, jitter: 'equal' };

const CONFIG_KEYS = ['readOnly', 'idle', 'idleRenewal', 'livenessTimeout', 'replyTimeout', 'pollInterval', 'sinceUid'] as const;

/** Only the watch machine's own settings (never the connection options or credentials). */
function configOf(options: WatchOptions): Partial<Omit<WatchConfig, 'mailbox'>> {
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) if (options[k] !== undefined) out[k] = options[k];
  return out as Partial<Omit<WatchConfig, 'mailbox'>>;
}

/** @internal mailboxWatch with the url and logger the `imap()` factory passes. */
export function mailboxWatchOf(connection: SessionOptions, mailbox: string, options: WatchOptions & { readonly url?: string; readonly logger?: Logger }): MailboxWatch<ImapClient> {
  const scheduler = connection.scheduler;
  const connect = () => imapSession(connection).pipe(switchMap((client) => linkFor(client, { scheduler })));
  return watchSession(connect, { ...configOf(options), mailbox }, {
    host: connection.host,
    port: connection.port,
    url: options.url ?? imapUrl(connection),
    logger: options.logger,
    backoff: options.backoff ?? defaultWatchBackoff,
    stop$: options.stop$,
    scheduler,
  });
}

/**
 * The watch plus `run(fn)` on its connection.
 * @deprecated Use `imap({ ...connection, mailbox, ...options })`: its `events$` is shared and its actions wait for Ready.
 */
export function mailboxWatch(connection: SessionOptions, mailbox: string, options: WatchOptions = {}): MailboxWatch<ImapClient> {
  return mailboxWatchOf(connection, mailbox, options);
}

/**
 * A mailbox's changes as a cold Observable (each subscription its own connection).
 * @deprecated Use `imap({ ...connection, mailbox, ...options }).events$` (shared: one connection for all subscribers).
 */
export function watchMailbox(connection: SessionOptions, mailbox: string, options: WatchOptions = {}): Observable<ImapEvent> {
  return mailboxWatchOf(connection, mailbox, options).events$;
}
