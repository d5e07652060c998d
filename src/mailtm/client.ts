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
import { Observable, asyncScheduler, catchError, defer, map, of, switchMap, throwError, type SchedulerLike } from 'rxjs';
import { allPages } from './allPages';
import {
  CommandFailedError,
  DecodeFailedError,
  InvalidArgumentError,
  ProtocolViolationError,
  RateLimitedError,
  TimeoutError,
  TransportClosedError,
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
/** How many same-origin redirects one request follows. */
const MAX_REDIRECTS = 3;

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
  /** A fetch implementation (default the global one). */
  readonly fetch?: typeof fetch;
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

interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | null;
}

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
  readonly #secrets = new MailtmSecrets();
  private readonly http: KyInstance;
  private readonly timeout: number;
  private readonly fetchFn: typeof fetch | undefined;
  private readonly origin: string;

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
      this.origin = new URL(this.baseUrl).origin;
    } catch {
      throw new InvalidArgumentError('baseUrl', `${JSON.stringify(this.baseUrl)} is not an absolute URL`);
    }
    this.logger = sourceLogger('mailtm', options.logger, this.#secrets.redactor);
    this.http = ky.create({
      retry: 0,
      // Redirects are followed here, same origin only: the bearer token never goes elsewhere.
      redirect: 'manual',
      throwHttpErrors: false,
      // The timeout is ours (send()): ky's timer kept every answer alive for its full length.
      timeout: false,
      headers: { accept: 'application/ld+json, application/json;q=0.9' },
      ...(this.fetchFn ? { fetch: this.fetchFn } : {}),
    });
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
    return new Observable<RawResponse>((subscriber) => {
      const abort = new AbortController();
      const headers: Record<string, string> = {};
      if (token !== undefined) {
        if (!isByteString(token)) {
          subscriber.error(
            new InvalidArgumentError('Mail.tm bearer token', 'it contains characters an HTTP header cannot carry (only Latin-1 is allowed); check the token you configured'),
          );
          return;
        }
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
      let timedOut = false;
      let settled = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, this.timeout);
      this.fetchFollowing(url, { method: req.method, headers, body, signal: abort.signal }, command)
        .then(async (res) => {
          const text = await readCapped(res, this.maxBodyBytes, command, abort);
          settled = true;
          clearTimeout(timer);
          this.logger.debug({ method: req.method, path: req.path, status: res.status, bytes: text.length, ms: this.scheduler.now() - started }, 'response');
          subscriber.next({ status: res.status, text, retryAfter: res.headers.get('retry-after') });
          subscriber.complete();
        })
        .catch((e: unknown) => {
          settled = true;
          clearTimeout(timer);
          if (subscriber.closed) return;
          if (e instanceof ProtocolViolationError || e instanceof CommandFailedError) subscriber.error(e);
          else if (timedOut) subscriber.error(new TimeoutError(`the answer to ${command}`, this.timeout));
          else subscriber.error(new TransportClosedError(`${command}: ${networkReason(e)}`, { cause: e }));
        });
      return () => {
        clearTimeout(timer);
        if (!settled) abort.abort();
      };
    });
  }

  /** Sends and follows redirects within the base URL's origin only; a redirect elsewhere is refused (the token stays here). */
  private async fetchFollowing(
    url: URL,
    init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal },
    command: string,
  ): Promise<Response> {
    let target = url;
    for (let hop = 0; ; hop++) {
      const res = await this.http(target, { ...init, throwHttpErrors: false });
      if (res.status < 300 || res.status > 399 || res.status === 304) return res;
      const location = res.headers.get('location');
      void res.body?.cancel().catch(() => undefined);
      if (location === null) return res;
      const next = new URL(location, target);
      if (next.origin !== this.origin)
        throw new CommandFailedError(command, `HTTP ${res.status}`, `redirected to another origin (${next.origin}); not followed, so the token is not sent there`);
      if (hop >= MAX_REDIRECTS) throw new CommandFailedError(command, `HTTP ${res.status}`, `more than ${MAX_REDIRECTS} redirects`);
      target = next;
    }
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

function networkReason(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const code = cause !== null && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

/** True when every character fits in one byte (what HTTP header values can carry). */
function isByteString(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

/** The body as text, reading at most `max` bytes: a longer body is cancelled and fails. */
async function readCapped(res: Response, max: number, command: string, abort: AbortController): Promise<string> {
  const tooLarge = (): ProtocolViolationError =>
    new ProtocolViolationError(`the answer to ${command} is larger than maxBodyBytes (${max} bytes); it was not read. Raise the maxBodyBytes option if this is expected`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    abort.abort();
    throw tooLarge();
  }
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      abort.abort();
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
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

