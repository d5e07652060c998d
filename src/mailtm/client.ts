/**
 * The typed Mail.tm API client over a MailtmTransport (default ky/fetch,
 * transport.ts). Every method returns a cold Observable: nothing is sent
 * until subscription, unsubscribing aborts the request.
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
import * as t from 'io-ts';
import { Observable, asyncScheduler, catchError, defer, map, of, switchMap, throwError, type SchedulerLike } from 'rxjs';
import { fetchMailtmTransport, type MailtmHttpResponse, type MailtmTransport } from './transport';
import { allPages } from './allPages';
import {
  DecodeFailedError,
  InvalidArgumentError,
  RateLimitedError,
  sourceLogger,
  validate,
  type BackoffPolicy,
  type Logger,
  type Redactor,
} from '../core';
import { MailtmSecrets } from './secrets';
import { mailtmRequestRetry } from './requestRetry';
import { MailtmAccount, MailtmDomain, MailtmDomainPage, MailtmToken } from './codecs';
import { httpError } from './httpError';
import { MAILTM_DEFAULT_RATE_LIMIT, MailtmRateLimiter, type MailtmRateLimit } from './rateLimiter';
import { MailtmSession, type MailtmCredentials } from './session';

/** The public Mail.tm API. */
export const MAILTM_API_URL = 'https://api.mail.tm';
/** The public Mail.tm Mercure hub (push mode). */
export const MAILTM_MERCURE_URL = 'https://mercure.mail.tm/.well-known/mercure';
/** Default cap on one response body: 16 MiB (message lists and bodies are far smaller; attachments are separate downloads). */
export const MAILTM_DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/**
 * The most members one collection page may carry (Mail.tm pages hold 30): a
 * larger page is a DecodeFailedError before any member is decoded, so a
 * hostile answer cannot stall the event loop decoding (and failing) items.
 */
export const MAILTM_MAX_PAGE_MEMBERS = 1000;

/** Options of the HTTP client (and of `mailtm()`). */
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
  /** A fetch implementation (default the global one), used by the default transport. */
  readonly fetch?: typeof fetch;
  /**
   * The wire below the limiter, retries and decoding: HTTP requests and the
   * Mercure hub (default `fetchMailtmTransport(fetch)`). rxwire/testing's
   * `recordMailtmTransport` / `replayMailtmTransport` plug in here.
   */
  readonly transport?: MailtmTransport;
  /** The scheduler of every wait (rate limiter, backoff). Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /**
   * The largest response body read, in bytes (default 16 MiB). A longer answer is cut off
   * unread beyond the cap and fails with ProtocolViolationError (retryable).
   */
  readonly maxBodyBytes?: number;
  /** A pino-compatible logger: requests at debug (method, path, status), secrets redacted. Off by default. */
  readonly logger?: Logger;
}

/**
 * Which failures a request retries by itself: 'all' (429, 5xx, network,
 * timeouts; the default for API calls), 'rateLimit' (only 429: used by the
 * event stream, which turns outages into Disconnected/Reconnecting events),
 * or 'none'.
 */
export type MailtmRetryMode = 'all' | 'rateLimit' | 'none';

/** One API request: what to send and how to decode the answer. */
export interface MailtmRequest<A> {
  /** The HTTP method. */
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below the base URL, e.g. `/messages`. */
  readonly path: string;
  /** Query parameters, set on the URL as strings (e.g. `{ page: 2 }`). */
  readonly search?: Readonly<Record<string, string | number>>;
  /** The request body, sent as JSON (`JSON.stringify`); omitted when undefined. */
  readonly body?: unknown;
  /** Default application/json when there is a body. */
  readonly contentType?: string;
  /** The body's codec (`MailtmNoContent` for 204 answers). */
  readonly codec: t.Decoder<unknown, A>;
  /** What the body is, for error messages (e.g. `messages page 2`). */
  readonly what: string;
  /** The retry layer to use (default 'all'). */
  readonly retry?: MailtmRetryMode;
  /** Fields of the answer body that are secrets (e.g. `token`): redacted even when the body does not decode. */
  readonly secretFields?: readonly string[];
}

type RawResponse = MailtmHttpResponse;

/**
 * The typed Mail.tm API client: rate-limited, retrying, decoding, redacting
 * (see the module comment). Sessions made by `session()` share its limiter
 * and its secrets.
 */
export class MailtmClient {
  /** The API base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The Mercure hub URL. */
  readonly mercureUrl: string;
  /** The scheduler of every wait. */
  readonly scheduler: SchedulerLike;
  /** The client-side rate limiter shared by all accounts (undefined when turned off). */
  readonly limiter: MailtmRateLimiter | undefined;
  /** The backoff of retried requests. */
  readonly backoff: BackoffPolicy;
  /** The largest response body read, in bytes. */
  readonly maxBodyBytes: number;
  /** The client's logger (silent by default), redacted. */
  readonly logger: Logger;
  /** The wire (HTTP and hub) this client uses. */
  readonly transport: MailtmTransport;
  readonly #secrets = new MailtmSecrets();
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
    this.maxBodyBytes = options.maxBodyBytes ?? MAILTM_DEFAULT_MAX_BODY_BYTES;
    if (!(this.maxBodyBytes > 0)) throw new InvalidArgumentError('maxBodyBytes', 'must be a positive number of bytes');
    try {
      new URL(this.baseUrl);
    } catch {
      throw new InvalidArgumentError('baseUrl', `${JSON.stringify(this.baseUrl)} is not an absolute URL`);
    }
    this.logger = sourceLogger('mailtm', options.logger, this.#secrets.redactor);
    this.transport = options.transport ?? fetchMailtmTransport(this.fetchFn);
  }

  /** The redactor over every secret this client knows (passwords, tokens): errors, events and logs pass through it. */
  get redactor(): Redactor {
    return this.#secrets.redactor;
  }

  /** Remembers a secret (a password, or a token the server issued) so that it is redacted everywhere. */
  addSecret(secret: string | undefined, kind: 'password' | 'token' = 'password'): void {
    this.#secrets.add(secret, kind);
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
        return decodeBody(req, r, (secret) => this.addSecret(secret, 'token'));
      }),
    );
    const redactor = this.redactor;
    return decoded.pipe(
      mailtmRequestRetry<A>(req.retry ?? 'all', this.backoff),
      catchError((e: unknown) => throwError(() => redactor.error(e))),
    );
  }

  private send(req: MailtmRequest<unknown>, command: string, token: string | undefined): Observable<RawResponse> {
    return defer(() => {
      const headers: Record<string, string> = {};
      if (token !== undefined) {
        if (!isByteString(token))
          return throwError(
            () => new InvalidArgumentError('Mail.tm bearer token', 'it contains characters an HTTP header cannot carry (only Latin-1 is allowed); check the token you configured'),
          );
        headers.authorization = `Bearer ${token}`;
      }
      let body: string | undefined;
      if (req.body !== undefined) {
        headers['content-type'] = req.contentType ?? 'application/json';
        body = JSON.stringify(req.body);
      }
      const url = new URL(this.baseUrl + req.path);
      for (const [k, v] of Object.entries(req.search ?? {})) url.searchParams.set(k, String(v));
      const started = this.scheduler.now();
      this.logger.debug({ method: req.method, path: req.path, search: req.search }, 'request');
      return this.transport
        .request({ method: req.method, url: url.href, headers, ...(body !== undefined ? { body } : {}), command, timeout: this.timeout, maxBodyBytes: this.maxBodyBytes })
        .pipe(
          map((res) => {
            this.logger.debug({ method: req.method, path: req.path, status: res.status, bytes: res.text.length, ms: this.scheduler.now() - started }, 'response');
            return res;
          }),
        );
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

  /** GET /domains/{id}: one domain by id. */
  domain(id: string): Observable<MailtmDomain> {
    return this.request({ method: 'GET', path: `/domains/${encodeURIComponent(id)}`, codec: MailtmDomain, what: 'domain' });
  }

  /** Creates an account (201). Returns the new account; log in with `session(credentials)`. */
  createAccount(credentials: MailtmCredentials): Observable<MailtmAccount> {
    this.addSecret(credentials.password);
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
    this.addSecret(credentials.password);
    return this.request({
      method: 'POST',
      path: '/token',
      body: { address: credentials.address, password: credentials.password },
      codec: MailtmToken,
      what: 'token',
      secretFields: ['token'],
    });
  }
}

/** True when every character fits in one byte (what HTTP header values can carry). */
function isByteString(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

function decodeBody<A>(req: MailtmRequest<A>, r: RawResponse, secret: (s: string) => void): A {
  let value: unknown;
  if (r.text === '') value = undefined;
  else
    try {
      value = JSON.parse(r.text);
    } catch {
      throw new DecodeFailedError(req.what, ['(root): the body is not JSON'], r.text);
    }
  const members = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)['hydra:member'] : undefined;
  if (Array.isArray(members) && members.length > MAILTM_MAX_PAGE_MEMBERS)
    throw new DecodeFailedError(req.what, [`hydra:member: ${members.length} members on one page (Mail.tm pages hold 30; the limit is ${MAILTM_MAX_PAGE_MEMBERS})`], {
      'hydra:member': `(${members.length} members, not kept)`,
    });
  if (req.secretFields && value !== null && typeof value === 'object')
    for (const f of req.secretFields) {
      const v = (value as Record<string, unknown>)[f];
      if (typeof v === 'string') secret(v);
    }
  const v = validate(req.codec, value, req.what);
  if (!v.ok) throw new DecodeFailedError(req.what, v.errors, value);
  return v.value;
}

