/**
 * Logged-in clients with a clear lifetime.
 *
 * - `imapSession(options)`: a cold Observable of a logged-in ImapClient. The
 *   client lives while you stay subscribed: subscribing connects (upgrades,
 *   authenticates) and emits the client once ready; unsubscribing logs out and
 *   closes the socket. `firstValueFrom(imapSession(o))` therefore hands back a
 *   client that is already logging out: its commands error with a
 *   TransportClosedError that says so. Use one of:
 * - `withImapSession(options, client => ...)`: runs your function on a
 *   logged-in client and logs out when what it returns (an Observable or a
 *   Promise) ends: `await lastValueFrom(withImapSession(o, c => c.select('INBOX')))`.
 * - `openImapSession(options)`: a Promise of `{ client, close() }` for async
 *   code (also `await using` where Symbol.asyncDispose exists); close() logs out.
 */
import { concat, defer, EMPTY, ignoreElements, lastValueFrom, Observable, timeout, catchError, type ObservableInput, type Subscription } from 'rxjs';
import { ImapClient, type ImapClientOptions } from './client';
import type { SaslMechanism } from './sasl/mechanism';

/** `imapSession` options: the client options plus the credentials to log in with (kept out of `client.options`). */
export interface SessionOptions extends ImapClientOptions {
  /** LOGIN user/password, or any SASL mechanism (PLAIN, XOAUTH2, OAUTHBEARER ...). None: stay unauthenticated. */
  readonly auth?: { readonly user: string; readonly password: string } | { readonly mechanism: SaslMechanism };
}

const ENDED =
  'this ImapClient belongs to an imapSession() subscription that has ended, so it logged out. firstValueFrom()/take(1) end the subscription at once: ' +
  'keep it while you use the client (imapSession(o).pipe(switchMap((client) => ...))), or use withImapSession(o, fn) or await openImapSession(o)';

/** Logs out (bounded by 5 s), then closes the socket; resolves when done. Never rejects. */
function logoutAndClose(client: ImapClient, options: SessionOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    if (client.closed) return resolve();
    client
      .logout()
      .pipe(
        timeout({ first: 5_000, scheduler: options.scheduler }),
        catchError(() => EMPTY),
      )
      .subscribe({
        complete: () => {
          client.close();
          resolve();
        },
      });
  });
}

/** A cold Observable of a logged-in ImapClient, alive while subscribed (see the file comment). */
export function imapSession(options: SessionOptions): Observable<ImapClient> {
  return new Observable<ImapClient>((sub) => {
    const { auth, ...clientOptions } = options;
    const client = new ImapClient(clientOptions);
    const login = !auth ? EMPTY : 'mechanism' in auth ? client.authenticate(auth.mechanism) : client.login(auth.user, auth.password);
    const setup = concat(client.connect().pipe(ignoreElements()), login.pipe(ignoreElements())).subscribe({
      error: (e) => sub.error(e),
      complete: () => {
        sub.next(client);
        client.closed$.subscribe((e) => sub.error(e));
      },
    });
    return () => {
      setup.unsubscribe();
      if (client.closed) return;
      void logoutAndClose(client, options);
      client.retire(ENDED);
    };
  });
}

/**
 * Runs `fn` on a logged-in client and logs out when what it returns ends
 * (completes, errors, or you unsubscribe). Emits what `fn` emits.
 */
export function withImapSession<T>(options: SessionOptions, fn: (client: ImapClient) => ObservableInput<T>): Observable<T> {
  return new Observable<T>((sub) => {
    let inner: Subscription | undefined;
    const session = imapSession(options).subscribe({
      next: (client) => {
        inner = defer(() => fn(client)).subscribe(sub);
      },
      error: (e: unknown) => sub.error(e),
    });
    return () => {
      inner?.unsubscribe();
      session.unsubscribe(); // logs out
    };
  });
}

/** A logged-in client you close yourself (`openImapSession`). */
export interface ImapSessionLease {
  /** The connected, logged-in client (unauthenticated when no `auth` was given). */
  readonly client: ImapClient;
  /** Logs out (bounded by 5 s) and closes the socket; the client refuses commands from then on. */
  close(): Promise<void>;
}

const asyncDispose: symbol | undefined = (Symbol as unknown as { asyncDispose?: symbol }).asyncDispose;

/**
 * Connects and logs in; resolves with `{ client, close }` once ready. The
 * client stays usable until you call `close()` (or, with `await using`, at the
 * end of the block). Rejects like `imapSession` (AuthenticationFailedError ...).
 */
export async function openImapSession(options: SessionOptions): Promise<ImapSessionLease> {
  const { auth, ...clientOptions } = options;
  const client = new ImapClient(clientOptions);
  await lastValueFrom(client.connect(), { defaultValue: undefined });
  try {
    if (auth) await lastValueFrom('mechanism' in auth ? client.authenticate(auth.mechanism) : client.login(auth.user, auth.password), { defaultValue: undefined });
  } catch (e) {
    client.close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  const lease: ImapSessionLease = {
    client,
    close: () => {
      if (!closing) {
        closing = logoutAndClose(client, options);
        client.retire('this ImapClient was closed with its openImapSession() lease; open a new one');
      }
      return closing;
    },
  };
  if (asyncDispose) Object.defineProperty(lease, asyncDispose, { value: () => lease.close(), enumerable: false });
  return lease;
}
