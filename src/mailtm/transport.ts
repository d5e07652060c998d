/**
 * The Mail.tm wire seam: what the client and the hub send and receive, below
 * the rate limiter, retries, decoding and redaction (which stay in client.ts
 * and hub.ts, unchanged for any transport). `fetchMailtmTransport(fetch)` is
 * the default: HTTP over ky/fetch (redirects followed within the request's
 * origin only, the body read up to a cap, the timeout on a real timer) and
 * the Mercure hub over `eventsource` (its custom fetch carries the Bearer
 * header). Tests swap in another transport (rxwire/testing's
 * `recordMailtmTransport` / `replayMailtmTransport`) to record or replay
 * what crossed this seam, in virtual time.
 */
import ky from 'ky';
import { EventSource, type ErrorEvent, type FetchLike } from 'eventsource';
import { Observable, defer, firstValueFrom, from } from 'rxjs';
import { CommandFailedError, ProtocolViolationError, TimeoutError, TransportClosedError } from '../core';
import type { MailtmRateLimiter } from './rateLimiter';

/** One HTTP request at the seam. */
export interface MailtmHttpRequest {
  /** The HTTP method. */
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The absolute URL, query included. */
  readonly url: string;
  /** Request headers (lower-case names; `authorization` holds the Bearer token when there is one). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body text (JSON), when there is one. */
  readonly body?: string;
  /** `METHOD /path`, for error messages. */
  readonly command: string;
  /** Milliseconds until the request fails with TimeoutError. */
  readonly timeout: number;
  /** The largest body read, in bytes (ProtocolViolationError beyond). */
  readonly maxBodyBytes: number;
}

/** One HTTP answer at the seam (any status: HTTP errors are read from it, not thrown). */
export interface MailtmHttpResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The body text ('' when empty). */
  readonly text: string;
  /** The Retry-After header, or null. */
  readonly retryAfter: string | null;
}

/** One Mercure hub subscription at the seam. */
export interface MailtmSseRequest {
  /** The hub URL with its `topic` parameter. */
  readonly url: string;
  /** The bearer token (sent as `Authorization: Bearer …`). */
  readonly token: string;
  /** Counts (re)connects against the client's request rate, when set. */
  readonly limiter?: MailtmRateLimiter;
  /** What to call the hub in error messages (e.g. `Mercure hub for a@b.c`). */
  readonly label: string;
}

/** What a hub subscription yields: `open` once connected, then one `message` per SSE message (its `data`). */
export type MailtmSseItem = { readonly kind: 'open' } | { readonly kind: 'message'; readonly data: string };

/** The hub connection failed or dropped; `status` is the HTTP status when the hub answered one. */
export class MailtmHubClosedError extends TransportClosedError {
  constructor(
    /** The HTTP status of a refused connection (401, 503, ...), or undefined when the connection was lost. */
    readonly status: number | undefined,
    reason: string,
  ) {
    super(reason);
  }
}

/** The Mail.tm wire: HTTP requests and hub subscriptions as cold Observables (unsubscribing aborts). */
export interface MailtmTransport {
  /**
   * Sends one request; emits its answer once and completes. Fails with
   * TimeoutError, TransportClosedError (network), ProtocolViolationError
   * (body over the cap) or CommandFailedError (a redirect not followed).
   */
  request(request: MailtmHttpRequest): Observable<MailtmHttpResponse>;
  /** Subscribes to a hub topic; errors with MailtmHubClosedError when it is refused or drops (the caller reconnects). */
  events(request: MailtmSseRequest): Observable<MailtmSseItem>;
}

/** How many same-origin redirects one request follows. */
const MAX_REDIRECTS = 3;

/** The default transport: HTTP over ky with `fetchFn` (default the global fetch), the hub over `eventsource`. */
export function fetchMailtmTransport(fetchFn?: typeof fetch): MailtmTransport {
  const http = ky.create({
    retry: 0,
    // Redirects are followed here, same origin only: the bearer token never goes elsewhere.
    redirect: 'manual',
    throwHttpErrors: false,
    // The timeout is ours (request()): ky's timer kept every answer alive for its full length.
    timeout: false,
    headers: { accept: 'application/ld+json, application/json;q=0.9' },
    ...(fetchFn ? { fetch: fetchFn } : {}),
  });

  const fetchFollowing = async (url: URL, init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal }, command: string): Promise<Response> => {
    const origin = url.origin;
    let target = url;
    for (let hop = 0; ; hop++) {
      const res = await http(target, { ...init, throwHttpErrors: false });
      if (res.status < 300 || res.status > 399 || res.status === 304) return res;
      const location = res.headers.get('location');
      void res.body?.cancel().catch(() => undefined);
      if (location === null) return res;
      const next = new URL(location, target);
      if (next.origin !== origin) throw new CommandFailedError(command, `HTTP ${res.status}`, `redirected to another origin (${next.origin}); not followed, so the token is not sent there`);
      if (hop >= MAX_REDIRECTS) throw new CommandFailedError(command, `HTTP ${res.status}`, `more than ${MAX_REDIRECTS} redirects`);
      target = next;
    }
  };

  const request = (req: MailtmHttpRequest): Observable<MailtmHttpResponse> =>
    new Observable<MailtmHttpResponse>((subscriber) => {
      const abort = new AbortController();
      let timedOut = false;
      let settled = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort.abort();
      }, req.timeout);
      fetchFollowing(new URL(req.url), { method: req.method, headers: { ...req.headers }, body: req.body, signal: abort.signal }, req.command)
        .then(async (res) => {
          const text = await readCapped(res, req.maxBodyBytes, req.command, abort);
          settled = true;
          clearTimeout(timer);
          subscriber.next({ status: res.status, text, retryAfter: res.headers.get('retry-after') });
          subscriber.complete();
        })
        .catch((e: unknown) => {
          settled = true;
          clearTimeout(timer);
          if (subscriber.closed) return;
          if (e instanceof ProtocolViolationError || e instanceof CommandFailedError) subscriber.error(e);
          else if (timedOut) subscriber.error(new TimeoutError(`the answer to ${req.command}`, req.timeout));
          else subscriber.error(new TransportClosedError(`${req.command}: ${networkReason(e)}`, { cause: e }));
        });
      return () => {
        clearTimeout(timer);
        if (!settled) abort.abort();
      };
    });

  const events = (req: MailtmSseRequest): Observable<MailtmSseItem> =>
    new Observable<MailtmSseItem>((subscriber) => {
      const base = fetchFn ?? globalThis.fetch;
      const connect = (url: string | URL, init: Parameters<FetchLike>[1]): Promise<Response> => base(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${req.token}` } });
      const limiter = req.limiter;
      const authed: FetchLike = limiter ? (url, init) => firstValueFrom(limiter.run(defer(() => from(connect(url, init))))) : connect;
      const es = new EventSource(req.url, { fetch: authed });
      es.onopen = () => subscriber.next({ kind: 'open' });
      es.onmessage = (ev) => subscriber.next({ kind: 'message', data: ev.data });
      // EventSource arms its own reconnect timer right after calling onerror: close on a
      // microtask, after that, so the timer is cleared (the caller reconnects with its own backoff).
      const close = (): void => {
        es.close();
        queueMicrotask(() => es.close());
      };
      es.onerror = (ev: ErrorEvent) => {
        close();
        subscriber.error(new MailtmHubClosedError(ev.code, `${req.label}: ${ev.code ? `HTTP ${ev.code}` : (ev.message ?? 'connection lost')}`));
      };
      return close;
    });

  return { request, events };
}

function networkReason(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    const code = cause !== null && typeof cause === 'object' && 'code' in cause ? String((cause as { code: unknown }).code) : '';
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
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
