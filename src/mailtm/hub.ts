/**
 * Push mode: the account's Mercure topic over SSE, through the client's
 * MailtmTransport (default: `eventsource` v3, whose custom `fetch` carries
 * the Bearer header Node's EventSource cannot set; transport.ts).
 * Every frame means "something changed": the engine then polls page 1, which
 * costs one request. Bare-number frames (a known glitch of the real hub) are
 * treated the same way; frames that decode to nothing known are passed on as
 * Unknown/DecodeError events. When the hub drops, the Observable errors and
 * the engine falls back to polling while it reconnects with backoff.
 */
import { Observable, catchError, defer, switchMap, throwError } from 'rxjs';
import type { MailtmRateLimiter } from './rateLimiter';
import { decodeFrame } from '../core';
import { MailtmHubClosedError, fetchMailtmTransport, type MailtmTransport } from './transport';
import { MailtmHubCodecs } from './codecs';
import type { MailtmHubSignal } from './engine';
import { MAILTM_SOURCE } from './events';
import type { MailtmSession } from './session';

/** Where the Mercure hub is and how to reach it. */
export interface MailtmHubOptions {
  /** The hub URL without the topic, e.g. https://mercure.mail.tm/.well-known/mercure. */
  readonly url: string;
  /** The fetch used for the hub's EventSource (it adds the Bearer header); default `globalThis.fetch`. Ignored when `transport` is given. */
  readonly fetch?: typeof fetch;
  /** The wire to subscribe through (the client's `transport`); default `fetchMailtmTransport(fetch)`. */
  readonly transport?: MailtmTransport;
  /** The client's limiter: hub (re)connects count against the request rate too. */
  readonly limiter?: MailtmRateLimiter;
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
          e instanceof MailtmHubClosedError && e.status === 401 ? session.refresh(token).pipe(switchMap(() => throwError(() => e))) : throwError(() => e),
        ),
      ),
    ),
  );
}

function open(session: MailtmSession, token: string, options: MailtmHubOptions): Observable<MailtmHubSignal> {
  return defer(() => {
    const id = session.accountId;
    if (id === undefined) return throwError(() => new MailtmHubClosedError(undefined, 'Mercure hub: the account id is not known yet'));
    const url = new URL(options.url);
    url.searchParams.set('topic', `/accounts/${id}`);
    const transport = options.transport ?? fetchMailtmTransport(options.fetch);
    return new Observable<MailtmHubSignal>((subscriber) =>
      transport.events({ url: url.href, token, label: `Mercure hub for ${session.address}`, ...(options.limiter ? { limiter: options.limiter } : {}) }).subscribe({
        next: (item) => {
          if (item.kind === 'open') subscriber.next({ kind: 'open' });
          else for (const s of hubSignals(item.data)) subscriber.next(s);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.error(new MailtmHubClosedError(undefined, `Mercure hub for ${session.address}: connection lost`)),
      }),
    );
  });
}
