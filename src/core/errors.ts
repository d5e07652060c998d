/**
 * Typed errors. A fatal condition errors the stream with one of these; the
 * message says what the user can do. Messages never contain secrets: build
 * them from fixed text and non-secret fields only, and pass any text that came
 * from elsewhere through `redact` first.
 */

export type RxwireErrorCode =
  | 'TransportClosed'
  | 'ProtocolViolation'
  | 'AuthenticationFailed'
  | 'FatalClose'
  | 'RateLimited'
  | 'Timeout'
  | 'CommandFailed'
  | 'Decode';

export abstract class RxwireError extends Error {
  abstract readonly code: RxwireErrorCode;
  /** True when retrying (reconnecting) may help. */
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The connection closed or could not be opened. Retryable. */
export class TransportClosedError extends RxwireError {
  readonly code = 'TransportClosed' as const;
  readonly retryable = true;
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`connection closed: ${reason}. rxwire reconnects with backoff where the source supports it; check the host and port if this persists`, options);
  }
}

/** The peer broke the protocol (or a configured limit). Retryable: a new connection starts clean. */
export class ProtocolViolationError extends RxwireError {
  readonly code = 'ProtocolViolation' as const;
  readonly retryable = true;
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`protocol violation: ${detail}`, options);
  }
}

/** Credentials were refused. Fatal: retrying with the same credentials cannot help. */
export class AuthenticationFailedError extends RxwireError {
  readonly code = 'AuthenticationFailed' as const;
  readonly retryable = false;
  constructor(
    readonly service: string,
    readonly detail?: string,
  ) {
    super(
      `${service}: authentication failed${detail ? ` (${detail})` : ''}. Check the user name and the password or token you configured; rxwire will not retry with the same credentials`,
    );
  }
}

/** The server closed with a code that forbids reconnecting (e.g. Discord 4004, 4010-4014). */
export class FatalCloseError extends RxwireError {
  readonly code = 'FatalClose' as const;
  readonly retryable = false;
  constructor(
    readonly closeCode: number,
    readonly meaning: string,
    readonly advice: string,
  ) {
    super(`closed with fatal code ${closeCode} (${meaning}): ${advice}`);
  }
}

/** The server said slow down. Retryable after `retryAfterMs`. */
export class RateLimitedError extends RxwireError {
  readonly code = 'RateLimited' as const;
  readonly retryable = true;
  constructor(
    readonly retryAfterMs: number,
    readonly detail = '',
  ) {
    super(`rate limited${detail ? ` (${detail})` : ''}: retry after ${retryAfterMs} ms; rxwire waits this long before its next request`);
  }
}

/** Something did not happen in time (a reply, a heartbeat ACK, a pong). Retryable. */
export class TimeoutError extends RxwireError {
  readonly code = 'Timeout' as const;
  readonly retryable = true;
  constructor(
    readonly what: string,
    readonly afterMs: number,
  ) {
    super(`${what} did not arrive within ${afterMs} ms; the connection is treated as dead and reopened`);
  }
}

/** A request/command got a negative answer (IMAP NO/BAD, Mezon error reply). Not a connection problem. */
export class CommandFailedError extends RxwireError {
  readonly code = 'CommandFailed' as const;
  readonly retryable = false;
  constructor(
    readonly command: string,
    readonly status: string,
    readonly text: string,
    readonly responseCode?: string,
  ) {
    super(`${command} failed: ${status}${responseCode ? ` [${responseCode}]` : ''} ${text}`.trim());
  }
}

/** A single value (e.g. an HTTP body) did not decode. Streams use DecodeError events instead. */
export class DecodeFailedError extends RxwireError {
  readonly code = 'Decode' as const;
  readonly retryable = false;
  constructor(
    readonly what: string,
    readonly errors: readonly string[],
    readonly raw: unknown,
  ) {
    super(`could not decode ${what}: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (+${errors.length - 3} more)` : ''}`);
  }
}

/** True for errors that a reconnect may cure. Unknown errors (network errors from node) count as retryable. */
export function isRetryable(error: unknown): boolean {
  return error instanceof RxwireError ? error.retryable : true;
}

/** Replaces every occurrence of each secret in `text` with `***`. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length > 0) out = out.split(s).join('***');
  return out;
}
