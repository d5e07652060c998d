/**
 * Push mode: the account's Mercure topic over SSE (`eventsource` v3, whose
 * custom `fetch` carries the Bearer header Node's EventSource cannot set).
 * Every frame means "something changed": the engine then polls page 1, which
 * costs one request. Bare-number frames (a known glitch of the real hub) are
 * treated the same way; frames that decode to nothing known are passed on as
 * Unknown/DecodeError events. When the hub drops, the Observable errors and
 * the engine falls back to polling while it reconnects with backoff.
 */
import { EventSource, type ErrorEvent, type FetchLike } from 'eventsource';
import { Observable, catchError, defer, firstValueFrom, from, switchMap, throwError } from 'rxjs';
import type { MailtmRateLimiter } from './rateLimiter';
import { TransportClosedError, decodeFrame } from '../core';
import { MailtmHubCodecs } from './codecs';
import type { MailtmHubSignal } from './engine';
import { MAILTM_SOURCE } from './events';
import type { MailtmSession } from './session';

/** Where the Mercure hub is and how to reach it. */
export interface MailtmHubOptions {
  /** The hub URL without the topic, e.g. https://mercure.mail.tm/.well-known/mercure. */
  readonly url: string;
  /** The fetch used for the hub's EventSource (it adds the Bearer header); default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** The client's limiter: hub (re)connects count against the request rate too. */
  readonly limiter?: MailtmRateLimiter;
}

class HubClosedError extends TransportClosedError {
  constructor(
    readonly status: number | undefined,
    reason: string,
  ) {
    super(reason);
  }
}

const hubSpec = {
  source: MAILTM_SOURCE,
  codecs: MailtmHubCodecs,
  tag: (frame: unknown): string | undefined => {
    const tag = frame !== null && typeof frame === 'object' ? (frame as Record<string, unknown>)['@type'] : undefined;
    return typeof tag === 'string' ? tag : undefined;
  },
  payload: (frame: unknown): unknown => frame,
};

/** Signals for one frame's data. */
export function hubSignals(data: string): MailtmHubSignal[] {
  const text = data.trim();
  if (/^\d+$/.test(text)) return [{ kind: 'changed' }];
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return [
      { kind: 'event', event: { source: MAILTM_SOURCE, type: 'DecodeError', data: { tag: undefined, raw: data, errors: ['(root): the frame is not JSON'] } } },
      { kind: 'changed' },
    ];
  }
  const decoded = decodeFrame(hubSpec, frame);
  if (decoded.type === 'Unknown' || decoded.type === 'DecodeError') return [{ kind: 'event', event: decoded }, { kind: 'changed' }];
  return [{ kind: 'changed' }];
}

/** The Mercure topic of `session`'s account as hub signals; errors when the hub drops. */
export function mercureHub(session: MailtmSession, options: MailtmHubOptions): Observable<MailtmHubSignal> {
  return defer(() => session.token()).pipe(
    switchMap((token) =>
      open(session, token, options).pipe(
        catchError((e: unknown) =>
          // A refused token: renew it before the caller retries.
          e instanceof HubClosedError && e.status === 401 ? session.refresh(token).pipe(switchMap(() => throwError(() => e))) : throwError(() => e),
        ),
      ),
    ),
  );
}

function open(session: MailtmSession, token: string, options: MailtmHubOptions): Observable<MailtmHubSignal> {
  return new Observable<MailtmHubSignal>((subscriber) => {
    const id = session.accountId;
    if (id === undefined) {
      subscriber.error(new HubClosedError(undefined, 'Mercure hub: the account id is not known yet'));
      return;
    }
    const base = options.fetch ?? globalThis.fetch;
    const connect = (url: string | URL, init: Parameters<FetchLike>[1]): Promise<Response> =>
      base(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
    const limiter = options.limiter;
    const authed: FetchLike = limiter ? (url, init) => firstValueFrom(limiter.run(defer(() => from(connect(url, init))))) : connect;
    const url = new URL(options.url);
    url.searchParams.set('topic', `/accounts/${id}`);
    const es = new EventSource(url, { fetch: authed });
    es.onopen = () => subscriber.next({ kind: 'open' });
    es.onmessage = (ev) => {
      for (const s of hubSignals(ev.data)) subscriber.next(s);
    };
    // EventSource arms its own reconnect timer right after calling onerror: close on a
    // microtask, after that, so the timer is cleared (we reconnect with our own backoff).
    const close = (): void => {
      es.close();
      queueMicrotask(() => es.close());
    };
    es.onerror = (ev: ErrorEvent) => {
      close();
      subscriber.error(new HubClosedError(ev.code, `Mercure hub for ${session.address}: ${ev.code ? `HTTP ${ev.code}` : ev.message ?? 'connection lost'}`));
    };
    return close;
  });
}
