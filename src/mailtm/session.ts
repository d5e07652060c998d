/**
 * One logged-in Mail.tm account: the stored credentials, the current bearer
 * token (fetched lazily, shared by concurrent requests, renewed once on 401)
 * and the account's API calls as cold Observables.
 *
 * The password and token are private fields that never appear in errors,
 * events or `toJSON`/`inspect` output.
 */
import { Observable, defer, finalize, map, of, share, switchMap, tap, type MonoTypeOperatorFunction } from 'rxjs';
import * as t from 'io-ts';
import { AuthenticationFailedError } from '../core';
import { MailtmAccount, MailtmMessage, MailtmMessagePage, MailtmMessagePageLoose, MailtmNoContent, MailtmPatchAnswer, MailtmSource, type MailtmMessageSummary } from './codecs';
import type { MailtmClient, MailtmRetryMode } from './client';
import { allPages } from './allPages';

/**
 * An account's credentials. `token` (optional) is a bearer token you already
 * hold: it is used until the server refuses it, then the password logs in anew.
 */
export const MailtmCredentials = t.intersection([t.type({ address: t.string, password: t.string }), t.partial({ token: t.string })]);
/** The type of the `MailtmCredentials` codec. */
export type MailtmCredentials = t.TypeOf<typeof MailtmCredentials>;

/** What `markSeen` reports once the server accepted the PATCH. */
export interface MailtmSeenResult {
  /** The message id that was patched. */
  readonly id: string;
  /** The `seen` flag as the server reported it. */
  readonly seen: boolean;
  /** The full message, when the server answered with one (the docs show only `{"seen": true}`). */
  readonly message: MailtmMessage | undefined;
}

/** One logged-in Mail.tm account (see the module comment). */
export class MailtmSession {
  /** The account's address. */
  readonly address: string;
  #password: string;
  #token: string | undefined;
  #accountId: string | undefined;
  #inflight: Observable<string> | undefined;

  constructor(
    /** The HTTP client the session's requests go through (shared limiter and secrets). */
    readonly client: MailtmClient,
    credentials: MailtmCredentials,
  ) {
    this.address = credentials.address;
    this.#password = credentials.password;
    this.#token = credentials.token;
    client.addSecret(credentials.password);
    client.addSecret(credentials.token);
  }

  /** The account id, known after the first token. */
  get accountId(): string | undefined {
    return this.#accountId;
  }

  /** The current token, or a fresh one (concurrent callers share one POST /token). */
  token(): Observable<string> {
    return defer(() => (this.#token !== undefined ? of(this.#token) : this.login()));
  }

  /** Renews the token after `stale` was refused (if nobody renewed it already). */
  refresh(stale: string): Observable<string> {
    return defer(() => {
      if (this.#token !== undefined && this.#token !== stale) return of(this.#token);
      this.#token = undefined;
      return this.login();
    });
  }

  /** The strings that must never leave this object. */
  secrets(): Array<string | undefined> {
    return [this.#password, this.#token];
  }

  /** The public part only: the password and token never appear in JSON. */
  toJSON(): { address: string; accountId: string | undefined } {
    return { address: this.address, accountId: this.#accountId };
  }

  private login(): Observable<string> {
    if (this.#inflight) return this.#inflight;
    const inflight = this.client.requestToken({ address: this.address, password: this.#password }).pipe(
      rethrowAuth(this.address),
      tap((tok) => {
        this.client.addSecret(tok.token, 'token');
        this.#token = tok.token;
        this.#accountId = tok.id;
      }),
      map((tok) => tok.token),
      finalize(() => {
        if (this.#inflight === inflight) this.#inflight = undefined;
      }),
      share(),
    );
    this.#inflight = inflight;
    return inflight;
  }

  // ---- the account's API ------------------------------------------------------------------

  /** GET /me: this account. */
  me(retry?: MailtmRetryMode): Observable<MailtmAccount> {
    return this.client.request({ method: 'GET', path: '/me', codec: MailtmAccount, what: 'account (me)', retry }, this);
  }

  /** GET /accounts/{id} (this account by default). */
  account(id?: string): Observable<MailtmAccount> {
    return defer(() => {
      const target = id ?? this.#accountId;
      if (target === undefined) return this.me();
      return this.client.request({ method: 'GET', path: `/accounts/${encodeURIComponent(target)}`, codec: MailtmAccount, what: 'account' }, this);
    });
  }

  /** Deletes this account (204). */
  deleteAccount(): Observable<void> {
    return defer(() => (this.#accountId !== undefined ? of(this.#accountId) : this.me().pipe(map((a) => a.id)))).pipe(
      switchMap((id) => this.client.request({ method: 'DELETE', path: `/accounts/${encodeURIComponent(id)}`, codec: MailtmNoContent, what: 'account deletion' }, this)),
    );
  }

  /** One page (30, newest first) of the mailbox. */
  messages(page = 1, retry?: MailtmRetryMode): Observable<MailtmMessagePage> {
    return this.client.request({ method: 'GET', path: '/messages', search: { page }, codec: MailtmMessagePage, what: `messages page ${page}`, retry }, this);
  }

  /** One page with the envelope decoded and the members left undecoded (for per-item decoding). */
  messagesLoose(page = 1, retry?: MailtmRetryMode): Observable<MailtmMessagePageLoose> {
    return this.client.request({ method: 'GET', path: '/messages', search: { page }, codec: MailtmMessagePageLoose, what: `messages page ${page}`, retry }, this);
  }

  /** Every message in the mailbox, all pages, newest first. */
  allMessages(retry?: MailtmRetryMode): Observable<MailtmMessageSummary[]> {
    return allPages((p) => this.messages(p, retry));
  }

  /** GET /messages/{id}: one message with its body. */
  message(id: string): Observable<MailtmMessage> {
    return this.client.request({ method: 'GET', path: `/messages/${encodeURIComponent(id)}`, codec: MailtmMessage, what: 'message' }, this);
  }

  /**
   * PATCH /messages/{id} with merge-patch `{seen}`. Completes once the server
   * accepted it, whether it answered the documented `{"seen": true}` or a full message.
   */
  markSeen(id: string, seen = true): Observable<MailtmSeenResult> {
    return this.client
      .request(
        {
          method: 'PATCH',
          path: `/messages/${encodeURIComponent(id)}`,
          body: { seen },
          contentType: 'application/merge-patch+json',
          codec: MailtmPatchAnswer,
          what: 'patched message',
        },
        this,
      )
      .pipe(map((answer) => ('id' in answer ? { id, seen: answer.seen, message: answer } : { id, seen: answer.seen, message: undefined })));
  }

  /** DELETE /messages/{id} (204). */
  deleteMessage(id: string): Observable<void> {
    return this.client.request({ method: 'DELETE', path: `/messages/${encodeURIComponent(id)}`, codec: MailtmNoContent, what: 'message deletion' }, this);
  }

  /** GET /sources/{id}: the raw RFC 822 source. */
  source(id: string): Observable<MailtmSource> {
    return this.client.request({ method: 'GET', path: `/sources/${encodeURIComponent(id)}`, codec: MailtmSource, what: 'message source' }, this);
  }
}

/** A refused POST /token becomes an AuthenticationFailedError naming the address only. */
function rethrowAuth<T>(address: string): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next: (v) => subscriber.next(v),
        complete: () => subscriber.complete(),
        error: (e: unknown) =>
          subscriber.error(e instanceof AuthenticationFailedError ? new AuthenticationFailedError('mail.tm', `the credentials for ${address} were refused`) : e),
      }),
    );
}
