/**
 * A non-2xx Mail.tm response → the typed error that says what to do.
 * 401 → AuthenticationFailed (the caller re-authenticates once before this),
 * 429 → RateLimited (Retry-After honoured; Mail.tm's body asks for one second),
 * 5xx → TransportClosed (retryable), other 4xx → CommandFailed (not retryable).
 * Text from the server is redacted of the secrets before it enters a message.
 */
import { AuthenticationFailedError, CommandFailedError, RateLimitedError, TransportClosedError, redact, type RxwireError } from '../core';
import { MailtmErrorBody } from './codecs';

/** Parses Retry-After (delta-seconds or an HTTP date) into ms; undefined when absent or invalid. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The human part of an error body (JSON `message` / `hydra:description`, or plain text). */
export function errorText(body: string): string {
  try {
    const v: unknown = JSON.parse(body);
    if (MailtmErrorBody.is(v)) {
      const text = v['hydra:description'] ?? v.message ?? v.detail ?? v['hydra:title'];
      if (text !== undefined) return text;
    }
  } catch {
    // not JSON: use the text itself
  }
  return body.trim().slice(0, 200);
}

const statuses = new WeakMap<object, number>();

/** The HTTP status an error made by `httpError` stands for (the `code` of a Disconnected event), if any. */
export function httpStatusOf(error: unknown): number | undefined {
  return error !== null && typeof error === 'object' ? statuses.get(error) : undefined;
}

/** The typed error for a non-2xx answer (see the module comment); its status is kept for `httpStatusOf`. */
export function httpError(
  status: number,
  body: string,
  retryAfter: string | null,
  command: string,
  secrets: ReadonlyArray<string | undefined>,
): RxwireError {
  const text = redact(errorText(body), secrets);
  const error = make(status, text, retryAfter, command);
  statuses.set(error, status);
  return error;
}

function make(status: number, text: string, retryAfter: string | null, command: string): RxwireError {
  if (status === 401) return new AuthenticationFailedError('mail.tm', text || 'unauthorized');
  if (status === 429) return new RateLimitedError(retryAfterMs(retryAfter) ?? 1000, text || 'mail.tm allows 8 requests per second');
  if (status >= 500) return new TransportClosedError(`${command} answered HTTP ${status}${text ? ` (${text})` : ''}`);
  return new CommandFailedError(command, `HTTP ${status}`, text);
}
