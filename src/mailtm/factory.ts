/**
 * `mailtm(options)`: the Mail.tm source handle of the core contract.
 *
 *   const mt = mailtm({ baseUrl, credentials: { address, password } });
 *   mt.events$.subscribe(e => ...);              // shared: one poll loop for all subscribers
 *   await firstValueFrom(mt.markSeen(id));       // completes once the server accepted it
 *
 * `events$` starts polling on its first subscriber and stops on its last; a
 * later subscriber starts a fresh stream (Connecting, a new baseline).
 * Actions are cold: they run when subscribed, complete when the server
 * accepted them, and error with a typed error (redacted) otherwise.
 */
import type { Observable } from 'rxjs';
import { shareSource, type SourceHandle } from '../core';
import type { MailtmAccount, MailtmMessage, MailtmMessagePage, MailtmMessageSummary, MailtmSource } from './codecs';
import type { MailtmClient } from './client';
import type { MailtmEvent } from './events';
import { Mailtm, type MailtmAccountInfo, type MailtmEventsOptions, type MailtmOptions } from './mailtm';
import type { MailtmCredentials, MailtmSeenResult, MailtmSession } from './session';

/** Everything `mailtm()` accepts: client options (baseUrl, rateLimit, timeout, maxBodyBytes, logger, ...), the account, and stream options. */
export type MailtmSourceOptions = MailtmOptions & MailtmEventsOptions;

/** The handle `mailtm()` returns: the shared `events$` and the account's actions. */
export interface MailtmHandle extends SourceHandle<MailtmEvent> {
  /** The HTTP client (its rate limiter is shared by every account of this handle). */
  readonly client: MailtmClient;
  /** The account acted on and watched now. */
  readonly session: MailtmSession | undefined;
  /** Logs in with `credentials` and makes `events$` watch that account (AccountSwitched once its baseline is read). */
  switchAccount(credentials: MailtmCredentials, options?: { backlog?: boolean }): Observable<MailtmAccountInfo>;
  /** Creates an account (NewAccountCreated), optionally switching to it. */
  createAccount(credentials: MailtmCredentials, options?: { switchTo?: boolean; backlog?: boolean }): Observable<MailtmAccount>;
  /** Deletes the current account (AccountDeleted). */
  deleteAccount(): Observable<MailtmAccountInfo>;
  /** Marks a message seen (or not); completes once the server accepted it. */
  markSeen(id: string, seen?: boolean): Observable<MailtmSeenResult>;
  /** Deletes a message; completes after `events$` reported its MessageDelete. */
  deleteMessage(id: string): Observable<void>;
  /** One message with its body. */
  message(id: string): Observable<MailtmMessage>;
  /** The raw RFC 822 source of a message. */
  source(id: string): Observable<MailtmSource>;
  /** One page of the mailbox. */
  messages(page?: number): Observable<MailtmMessagePage>;
  /** The whole mailbox. */
  allMessages(): Observable<MailtmMessageSummary[]>;
  /** The current account. */
  me(): Observable<MailtmAccount>;
  /** Ends `events$` at once: ServerCalledOff, then completion (polls and retry waits are cancelled). */
  stop(): Observable<void>;
}

/** The Mail.tm source: `{ events$, ...actions }` (see the module comment). */
export function mailtm(options: MailtmSourceOptions = {}): MailtmHandle {
  const mt = new Mailtm(options);
  const events$ = shareSource(mt.events(options));
  return {
    events$,
    client: mt.client,
    get session() {
      return mt.session;
    },
    switchAccount: (credentials, o) => mt.switchAccount(credentials, o),
    createAccount: (credentials, o) => mt.createAccount(credentials, o),
    deleteAccount: () => mt.deleteAccount(),
    markSeen: (id, seen) => mt.markSeen(id, seen),
    deleteMessage: (id) => mt.deleteMessage(id),
    message: (id) => mt.message(id),
    source: (id) => mt.source(id),
    messages: (page) => mt.messages(page),
    allMessages: () => mt.allMessages(),
    me: () => mt.me(),
    stop: () => mt.stop(),
  };
}
