/**
 * The typed Mail.tm API client on ky. Every method returns a cold Observable:
 * nothing is sent until subscription, unsubscribing aborts the request.
 *
 * One layer owns retries: ky's own retry is off (`retry: 0`) and HTTP errors
 * are read from the status (`throwHttpErrors: false`); Rx retries with
 * backoff. Every request passes the client's rate limiter (shared by all of
 * its accounts), every body is decoded with its io-ts codec (a body that does
 * not decode fails with DecodeFailedError, never a crash or an unchecked
 * cast), a 429 pauses the whole client for Retry-After (default one second),
 * a 401 re-authenticates once with the stored credentials and then fails
 * with AuthenticationFailedError. Passwords and tokens never enter messages.
 */
import ky, { type KyInstance } from 'ky';
import * as t from 'io-ts';
import { Observable, asyncScheduler, defer, map, of, switchMap, type SchedulerLike } from 'rxjs';
import { allPages } from './allPages';
import { DecodeFailedError, RateLimitedError, TimeoutError, TransportClosedError, validate, type BackoffPolicy } from '../core';
import { mailtmRequestRetry } from './requestRetry';
import { MailtmAccount, MailtmDomain, MailtmDomainPage, MailtmToken } from './codecs';
import { httpError } from './httpError';
import { MAILTM_DEFAULT_RATE_LIMIT, MailtmRateLimiter, type MailtmRateLimit } from './rateLimiter';
import { MailtmSession, type MailtmCredentials } from './session';

export const MAILTM_API_URL = 'https://api.mail.tm';
export const MAILTM_MERCURE_URL = 'https://mercure.mail.tm/.well-known/mercure';

export interface MailtmClientOptions {
  /** API base URL. Default https://api.mail.tm (point it at a local MailtmTestServer in tests). */
  readonly baseUrl?: string;
  /** Mercure hub URL (for push mode). Default https://mercure.mail.tm/.well-known/mercure. */
  readonly mercureUrl?: string;
  /**
   * Client-side rate limit shared by all accounts; `false` turns it off. Default 7 per second,
   * counted from request ends. Pass one MailtmRateLimiter to several clients to share it
   * (Mail.tm limits per IP).
   */
  readonly rateLimit?: MailtmRateLimit | MailtmRateLimiter | false;
  /** Backoff for retried requests (429, 5xx, network). */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Per-request timeout in ms. Default 15 000. */
  readonly timeout?: number;
  /** A fetch implementation (default the global one). */
  readonly fetch?: typeof fetch;
  readonly scheduler?: SchedulerLike;
}

/**
 * Which failures a request retries by itself: 'all' (429, 5xx, network,
 * timeouts; the default for API calls), 'rateLimit' (only 429: used by the
 * event stream, which turns outages into Disconnected/Reconnecting events),
 * or 'none'.
 */
export type MailtmRetryMode = 'all' | 'rateLimit' | 'none';

export interface MailtmRequest<A> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the base URL, e.g. `/messages`. */
  readonly path: string;
  readonly search?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
  /** Default application/json when there is a body. */
  readonly contentType?: string;
  /** The body's codec (`MailtmNoContent` for 204 answers). */
  readonly codec: t.Decoder<unknown, A>;
  /** What the body is, for error messages (e.g. `messages page 2`). */
  readonly what: string;
  readonly retry?: MailtmRetryMode;
}

interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | null;
}

export class MailtmClient {
  readonly baseUrl: string;
  readonly mercureUrl: string;
  readonly scheduler: SchedulerLike;
  readonly limiter: MailtmRateLimiter | undefined;
  readonly backoff: BackoffPolicy;
  private readonly http: KyInstance;
  private readonly timeout: number;
  private readonly fetchFn: typeof fetch | undefined;

  constructor(options: MailtmClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? MAILTM_API_URL).replace(/\/+$/, '');
    this.mercureUrl = options.mercureUrl ?? (options.baseUrl ? `${this.baseUrl}/.well-known/mercure` : MAILTM_MERCURE_URL);
    this.scheduler = options.scheduler ?? asyncScheduler;
    const rate = options.rateLimit;
    this.limiter = rate === false ? undefined : rate instanceof MailtmRateLimiter ? rate : new MailtmRateLimiter(rate ?? MAILTM_DEFAULT_RATE_LIMIT, this.scheduler);
    this.backoff = { initialDelay: 250, maxDelay: 30_000, jitter: 'equal', maxAttempts: 6, ...options.backoff, scheduler: this.scheduler };
    this.timeout = options.timeout ?? 15_000;
    this.fetchFn = options.fetch;
    this.http = ky.create({
      prefixUrl: this.baseUrl,
      retry: 0,
      throwHttpErrors: false,
      timeout: this.timeout,
      headers: { accept: 'application/ld+json, application/json;q=0.9' },
      ...(this.fetchFn ? { fetch: this.fetchFn } : {}),
    });
  }

  /** The fetch used for requests (push mode reuses it for the hub). */
  get fetch(): typeof fetch {
    return this.fetchFn ?? globalThis.fetch;
  }

  /**
   * Sends one request and decodes its body. With a session, the bearer token
   * is attached and a 401 triggers one re-authentication.
   */
  request<A>(req: MailtmRequest<A>, session?: MailtmSession): Observable<A> {
    const command = `${req.method} ${req.path}`;
    const secrets = (): Array<string | undefined> => (session ? session.secrets() : []);
    const send = (token?: string): Observable<RawResponse> => {
      const one = this.send(req, command, token);
      return this.limiter ? this.limiter.run(one) : one;
    };
    const authed: Observable<RawResponse> = session
      ? session.token().pipe(
          switchMap((token) =>
            send(token).pipe(switchMap((r) => (r.status === 401 ? session.refresh(token).pipe(switchMap((fresh) => send(fresh))) : of(r)))),
          ),
        )
      : defer(() => send());
    const decoded = authed.pipe(
      map((r): A => {
        if (r.status < 200 || r.status > 299) {
          const error = httpError(r.status, r.text, r.retryAfter, command, secrets());
          if (error instanceof RateLimitedError) this.limiter?.pause(error.retryAfterMs);
          throw error;
        }
        return decodeBody(req, r);
      }),
    );
    return decoded.pipe(mailtmRequestRetry<A>(req.retry ?? 'all', this.backoff));
  }

  private send(req: MailtmRequest<unknown>, command: string, token: string | undefined): Observable<RawResponse> {
    return new Observable<RawResponse>((subscriber) => {
      const abort = new AbortController();
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (req.body !== undefined) {
        headers['content-type'] = req.contentType ?? 'application/json';
        body = JSON.stringify(req.body);
      }
      const searchParams: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.search ?? {})) searchParams[k] = String(v);
      this.http(req.path.replace(/^\/+/, ''), { method: req.method, headers, body, searchParams, signal: abort.signal })
        .then(async (res) => {
          const text = await res.text();
          subscriber.next({ status: res.status, text, retryAfter: res.headers.get('retry-after') });
          subscriber.complete();
        })
        .catch((e: unknown) => {
          if (subscriber.closed) return;
          const name = e instanceof Error ? e.name : '';
          if (name === 'TimeoutError') subscriber.error(new TimeoutError(`the answer to ${command}`, this.timeout));
          else subscriber.error(new TransportClosedError(`${command}: ${networkReason(e)}`, { cause: e }));
        });
      return () => abort.abort();
    });
  }

  // ---- domains and accounts (no token needed) ---------------------------------------------

  /** One page (30 per page) of the domains. */
  domains(page = 1, retryMode?: MailtmRetryMode): Observable<MailtmDomainPage> {
    return this.request({ method: 'GET', path: '/domains', search: { page }, codec: MailtmDomainPage, what: `domains page ${page}`, retry: retryMode });
  }

  /** Every domain, all pages. */
  allDomains(retryMode?: MailtmRetryMode): Observable<MailtmDomain[]> {
    return allPages((p) => this.domains(p, retryMode));
  }

  domain(id: string): Observable<MailtmDomain> {
    return this.request({ method: 'GET', path: `/domains/${encodeURIComponent(id)}`, codec: MailtmDomain, what: 'domain' });
  }

  /** Creates an account (201). Returns the new account; log in with `session(credentials)`. */
  createAccount(credentials: MailtmCredentials): Observable<MailtmAccount> {
    return this.request({
      method: 'POST',
      path: '/accounts',
      body: { address: credentials.address, password: credentials.password },
      codec: MailtmAccount,
      what: 'created account',
    });
  }

  /** A session for an account: tokens are fetched lazily and renewed on 401. */
  session(credentials: MailtmCredentials): MailtmSession {
    return new MailtmSession(this, credentials);
  }

  /** POST /token: exchanges credentials for a bearer token (used by sessions). */
  requestToken(credentials: MailtmCredentials): Observable<MailtmToken> {
    return this.request({
      method: 'POST',
      path: '/token',
      body: { address: credentials.address, password: credentials.password },
      codec: MailtmToken,
      what: 'token',
    });
  }
}

function networkReason(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const code = cause !== null && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

function decodeBody<A>(req: MailtmRequest<A>, r: RawResponse): A {
  let value: unknown;
  if (r.text === '') value = undefined;
  else
    try {
      value = JSON.parse(r.text);
    } catch {
      throw new DecodeFailedError(req.what, ['(root): the body is not JSON'], r.text);
    }
  const v = validate(req.codec, value, req.what);
  if (!v.ok) throw new DecodeFailedError(req.what, v.errors, value);
  return v.value;
}

