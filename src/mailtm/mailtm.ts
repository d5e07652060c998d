/**
 * The account controller behind `mailtm()`: the client, the current account,
 * the actions and the cold event stream. `mailtm(options)` (factory.ts) wraps
 * it into the shared handle; `new Mailtm()` / `mailtmEvents()` are the
 * deprecated 0.1 entry points.
 *
 * Actions return cold Observables (nothing happens until subscribed). Those
 * that change what the stream watches (switchAccount, createAccount,
 * deleteAccount, deleteMessage, stop) complete only after every running
 * stream has applied them, so the events they cause come before completion.
 */
import { EMPTY, Observable, Subject, catchError, concat, defer, last, map, of, shareReplay, switchMap, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { ActionDroppedError, CommandFailedError, TimeoutError, TransportClosedError, redacted, type CommonSourceOptions } from '../core';
import type { MailtmAccount, MailtmMessage, MailtmMessagePage, MailtmMessageSummary, MailtmSource } from './codecs';
import { MailtmClient, type MailtmClientOptions } from './client';
import { mailtmEngine, type MailtmCommand, type MailtmEngineOptions } from './engine';
import type { MailtmEvent } from './events';
import { httpStatusOf } from './httpError';
import { mercureHub } from './hub';
import type { MailtmCredentials, MailtmSeenResult, MailtmSession } from './session';

/** The client options plus the account to start with. */
export interface MailtmOptions extends MailtmClientOptions, CommonSourceOptions {
  /** The account to watch and act on from the start. */
  readonly credentials?: MailtmCredentials;
}

/** The stream options (poll interval, domains, push, backoff, until, ...). */
export type MailtmEventsOptions = Omit<MailtmEngineOptions<MailtmSession>, 'baseUrl' | 'initial' | 'commands' | 'logger'>;

type Command = MailtmCommand<MailtmSession>;
type CommandBody = Command extends infer C ? (C extends { done?: () => void } ? Omit<C, 'done'> : never) : never;

/** Which account an action or event refers to. */
export interface MailtmAccountInfo {
  /** The account's email address. */
  readonly address: string;
  /** The account id, or undefined while no token has been fetched yet. */
  readonly accountId: string | undefined;
}

/**
 * The account controller and cold event stream.
 * @deprecated since 0.2: use `mailtm(options)`, whose `events$` is shared; this class goes in the next release.
 */
export class Mailtm {
  /** The HTTP client (shared limiter and secrets). */
  readonly client: MailtmClient;
  #session: MailtmSession | undefined;
  readonly #commands = new Subject<Command>();
  #attached = 0;

  constructor(options: MailtmOptions = {}) {
    this.client = new MailtmClient(options);
    if (options.credentials) this.#session = this.client.session(options.credentials);
  }

  /** The account acted on and watched now. */
  get session(): MailtmSession | undefined {
    return this.#session;
  }

  /**
   * The cold event stream. Subscribing starts polling (and the hub in push
   * mode); unsubscribing stops it. ServerStarted comes first; stop it with
   * `stop()` or `options.until` to get ServerCalledOff as the last event.
   */
  events(options: MailtmEventsOptions = {}): Observable<MailtmEvent> {
    return defer(() => {
      this.#attached++;
      const client = this.client;
      const limiter = client.limiter;
      const engine = mailtmEngine<MailtmSession>(
        {
          messages: (s, page) => s.messagesLoose(page, 'rateLimit'),
          domains: () => client.allDomains('rateLimit'),
          hub: (s) => mercureHub(s, { url: client.mercureUrl, transport: client.transport, limiter }),
          authenticate: (s) => s.token(),
          spare: () => limiter === undefined || limiter.spare(),
        },
        { scheduler: client.scheduler, ...options, baseUrl: client.baseUrl, initial: this.#session, commands: this.#commands, logger: client.logger },
      ).pipe(redacted(client.redactor));
      return new Observable<MailtmEvent>((subscriber) => {
        const sub = engine.subscribe(subscriber);
        return () => {
          this.#attached--;
          sub.unsubscribe();
        };
      });
    });
  }

  /** Logs in with `credentials` (validating them) and makes the streams watch that account. */
  switchAccount(credentials: MailtmCredentials, options: { backlog?: boolean } = {}): Observable<MailtmAccountInfo> {
    return defer(() => {
      const session = this.client.session(credentials);
      return session.token().pipe(
        switchMap(() => {
          this.#session = session;
          return this.dispatch({ kind: 'switch', account: session, backlog: options.backlog });
        }),
        map(() => ({ address: session.address, accountId: session.accountId })),
      );
    });
  }

  /** Creates an account (NewAccountCreated), optionally switching to it (AccountSwitched). */
  createAccount(credentials: MailtmCredentials, options: { switchTo?: boolean; backlog?: boolean } = {}): Observable<MailtmAccount> {
    return this.client.createAccount(credentials).pipe(
      dropped('createAccount'),
      switchMap((account) =>
        concat(this.dispatch({ kind: 'created', account }), options.switchTo ? this.switchAccount(credentials, options) : of(undefined)).pipe(
          last(),
          map(() => account),
        ),
      ),
    );
  }

  /**
   * Deletes the current account (AccountDeleted); the streams then watch no
   * account until a switch. The DELETE runs in the streams' queue, between
   * polls, so no poll of the vanished account fails.
   */
  deleteAccount(): Observable<MailtmAccountInfo> {
    return defer(() => {
      const session = this.#session;
      if (!session) return throwError(() => noAccount('deleteAccount'));
      // Shared and replayed: it runs once, in the first stream that reaches the command, or here
      // afterwards if no stream ran it (none attached, or they ended first).
      const perform = session.deleteAccount().pipe(dropped('deleteAccount'), shareReplay(1));
      const run = concat(this.#attached === 0 ? EMPTY : this.dispatch({ kind: 'deleted', account: session, perform }), perform);
      return run.pipe(
        last(null, undefined),
        map(() => {
          if (this.#session === session) this.#session = undefined;
          return { address: session.address, accountId: session.accountId };
        }),
      );
    });
  }

  /** PATCH the message's `seen` flag; completes once the server accepted it. */
  markSeen(id: string, seen = true): Observable<MailtmSeenResult> {
    return this.withSession('markSeen', (s) => s.markSeen(id, seen).pipe(dropped('markSeen')));
  }

  /** Deletes a message; completes after the streams reported its MessageDelete. */
  deleteMessage(id: string): Observable<void> {
    return this.withSession('deleteMessage', (s) => s.deleteMessage(id).pipe(dropped('deleteMessage'), switchMap(() => this.dispatch({ kind: 'poll' }))));
  }

  /** GET /messages/{id} of the current account. */
  message(id: string): Observable<MailtmMessage> {
    return this.withSession('message', (s) => s.message(id));
  }

  /** GET /sources/{id}: the raw RFC 822 source. */
  source(id: string): Observable<MailtmSource> {
    return this.withSession('source', (s) => s.source(id));
  }

  /** One page (30, newest first) of the current account's mailbox. */
  messages(page = 1): Observable<MailtmMessagePage> {
    return this.withSession('messages', (s) => s.messages(page));
  }

  /** The whole mailbox, newest first. */
  allMessages(): Observable<MailtmMessageSummary[]> {
    return this.withSession('allMessages', (s) => s.allMessages());
  }

  /** GET /me. */
  me(): Observable<MailtmAccount> {
    return this.withSession('me', (s) => s.me());
  }

  /** Ends every running stream: ServerCalledOff, then completion. */
  stop(): Observable<void> {
    return this.dispatch({ kind: 'stop' });
  }

  private withSession<T>(action: string, run: (s: MailtmSession) => Observable<T>): Observable<T> {
    return defer(() => (this.#session ? run(this.#session) : throwError(() => noAccount(action))));
  }

  /** Sends a command to every running stream; completes when all have applied it. */
  private dispatch(body: CommandBody): Observable<void> {
    return new Observable<void>((subscriber) => {
      let left = this.#attached;
      const done = (): void => {
        if (--left > 0) return;
        subscriber.next();
        subscriber.complete();
      };
      if (left === 0) {
        left = 1;
        done();
        return;
      }
      const fail = (e: unknown): void => subscriber.error(e);
      this.#commands.next({ ...body, done, fail } as Command);
    });
  }
}

/**
 * A state-changing request whose connection failed without an answer (after the client's
 * retries) may or may not have been applied: ActionDroppedError says so, per the source contract.
 */
function dropped<T>(action: string): MonoTypeOperatorFunction<T> {
  return catchError((e: unknown) => {
    // A 5xx is an answer (TransportClosedError with a status): only a request left unanswered is dropped.
    if ((e instanceof TransportClosedError && httpStatusOf(e) === undefined) || e instanceof TimeoutError) throw new ActionDroppedError(action, e.message);
    throw e;
  });
}

function noAccount(action: string): CommandFailedError {
  return new CommandFailedError(action, 'no account', 'switch to or create an account first');
}

/**
 * Shorthand: `new Mailtm(options).events(options)`, for a stream without the controller.
 * @deprecated since 0.2: use `mailtm(options).events$`.
 */
export function mailtmEvents(options: MailtmOptions & MailtmEventsOptions = {}): Observable<MailtmEvent> {
  return new Mailtm(options).events(options);
}
