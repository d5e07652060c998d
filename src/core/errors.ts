/**
 * Typed errors. A fatal condition errors the stream with one of these; the
 * message says what the user can do. Messages never contain secrets: build
 * them from fixed text and non-secret fields only, and pass any text that came
 * from elsewhere through `redact` first.
 */

/** The stable code of each rxwire error class (`error.code`), safe to switch on across copies of rxwire. */
export type RxwireErrorCode =
  | 'TransportClosed'
  | 'ProtocolViolation'
  | 'AuthenticationFailed'
  | 'FatalClose'
  | 'RateLimited'
  | 'Timeout'
  | 'CommandFailed'
  | 'Decode'
  | 'ActionDropped'
  | 'InvalidArgument';

/**
 * The brand every rxwire error carries (a registered symbol, so it is the same
 * in every copy of rxwire loaded into a process: the CJS and ESM builds, two
 * bundled versions). `instanceof` on the error classes and `isRetryable` use
 * the brand, never object identity of the class.
 */
export const RXWIRE_ERROR: unique symbol = Symbol.for('rxwire.error') as never;

type Branded = { readonly [RXWIRE_ERROR]?: unknown; readonly code?: unknown };

function brandOf(value: unknown): RxwireErrorCode | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  const b = (value as Branded)[RXWIRE_ERROR];
  return typeof b === 'string' ? (b as RxwireErrorCode) : undefined;
}

/** True when `value` is an rxwire error from any copy of rxwire. */
export function isRxwireError(value: unknown): value is RxwireError {
  return brandOf(value) !== undefined;
}

/**
 * The base class of every error rxwire raises. Check with `instanceof` (works
 * across the CJS and ESM builds and across copies, by brand) or `isRxwireError`,
 * and read `code` and `retryable` rather than parsing the message.
 */
export abstract class RxwireError extends Error {
  /** Which error this is; one `RxwireErrorCode` per class. */
  abstract readonly code: RxwireErrorCode;
  /** True when retrying (reconnecting) may help. */
  abstract readonly retryable: boolean;
  /** The code the subclass stands for (set by each concrete class); undefined on RxwireError itself. */
  static readonly errorCode: RxwireErrorCode | undefined = undefined;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    Object.defineProperty(this, RXWIRE_ERROR, { value: (new.target as unknown as { errorCode?: RxwireErrorCode }).errorCode ?? 'unknown', enumerable: false });
  }
  /** `instanceof` by brand, so errors from another copy of rxwire (CJS vs ESM) still match. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const code = brandOf(value);
    if (code === undefined) return false;
    if (this === RxwireError) return true;
    // A class of another copy of rxwire matches when it stands for the same code.
    return Object.prototype.hasOwnProperty.call(this, 'errorCode') && (this as unknown as { errorCode?: RxwireErrorCode }).errorCode === code;
  }
}

/** The connection closed or could not be opened. Retryable. */
export class TransportClosedError extends RxwireError {
  /** Always `'TransportClosed'`. */
  readonly code = 'TransportClosed' as const;
  static override readonly errorCode = 'TransportClosed' as const;
  readonly retryable = true;
  constructor(
    /** Why the connection closed or could not be opened (no secrets). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`connection closed: ${reason}. check the host and port if this persists`, options);
  }
}

/** The peer broke the protocol (or a configured limit). Retryable: a new connection starts clean. */
export class ProtocolViolationError extends RxwireError {
  /** Always `'ProtocolViolation'`. */
  readonly code = 'ProtocolViolation' as const;
  static override readonly errorCode = 'ProtocolViolation' as const;
  readonly retryable = true;
  constructor(
    /** What the peer sent that broke the protocol or a limit. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`protocol violation: ${detail}`, options);
  }
}

/** Credentials were refused. Fatal: retrying with the same credentials cannot help. */
export class AuthenticationFailedError extends RxwireError {
  /** Always `'AuthenticationFailed'`. */
  readonly code = 'AuthenticationFailed' as const;
  static override readonly errorCode = 'AuthenticationFailed' as const;
  readonly retryable = false;
  constructor(
    /** The service that refused the credentials, e.g. `imap`, `mail.tm`, `discord`. */
    readonly service: string,
    /** The server's reason, when it gave one (redacted). */
    readonly detail?: string,
  ) {
    super(
      `${service}: authentication failed${detail ? ` (${detail})` : ''}. Check the user name and the password or token you configured; rxwire will not retry with the same credentials`,
    );
  }
}

/** The server closed with a code that forbids reconnecting (e.g. Discord 4004, 4010-4014). */
export class FatalCloseError extends RxwireError {
  /** Always `'FatalClose'`. */
  readonly code = 'FatalClose' as const;
  static override readonly errorCode = 'FatalClose' as const;
  readonly retryable = false;
  constructor(
    /** The close code the server sent (e.g. Discord 4004). */
    readonly closeCode: number,
    /** What the close code means, per the platform's documentation. */
    readonly meaning: string,
    /** What to change before connecting again. */
    readonly advice: string,
  ) {
    super(`closed with fatal code ${closeCode} (${meaning}): ${advice}`);
  }
}

/** The server said slow down. Retryable after `retryAfterMs`. */
export class RateLimitedError extends RxwireError {
  /** Always `'RateLimited'`. */
  readonly code = 'RateLimited' as const;
  static override readonly errorCode = 'RateLimited' as const;
  readonly retryable = true;
  constructor(
    /** How long to wait before the next request, ms. */
    readonly retryAfterMs: number,
    /** The server's text, when it gave one. */
    readonly detail = '',
  ) {
    super(`rate limited${detail ? ` (${detail})` : ''}: retry after ${retryAfterMs} ms; rxwire waits this long before its next request`);
  }
}

/** Something did not happen in time (a reply, a heartbeat ACK, a pong). Retryable. */
export class TimeoutError extends RxwireError {
  /** Always `'Timeout'`. */
  readonly code = 'Timeout' as const;
  static override readonly errorCode = 'Timeout' as const;
  readonly retryable = true;
  constructor(
    /** What did not arrive (e.g. `heartbeat ACK`, `IDLE continuation`). */
    readonly what: string,
    /** How long rxwire waited, ms. */
    readonly afterMs: number,
  ) {
    super(`${what} did not arrive within ${afterMs} ms; the connection is treated as dead and reopened`);
  }
}

/** A request/command got a negative answer (IMAP NO/BAD, Mezon error reply). Not a connection problem. */
export class CommandFailedError extends RxwireError {
  /** Always `'CommandFailed'`. */
  readonly code = 'CommandFailed' as const;
  static override readonly errorCode = 'CommandFailed' as const;
  readonly retryable = false;
  constructor(
    /** The command or request that failed (e.g. `SELECT`, `POST /accounts`). */
    readonly command: string,
    /** The negative status (IMAP `NO`/`BAD`, `HTTP 422`, ...). */
    readonly status: string,
    /** The server's human-readable text (redacted). */
    readonly text: string,
    /** The machine-readable response code, when there is one (IMAP `[TRYCREATE]`). */
    readonly responseCode?: string,
  ) {
    super(`${command} failed: ${status}${responseCode ? ` [${responseCode}]` : ''} ${text}`.trim());
  }
}

/** A single value (e.g. an HTTP body) did not decode. Streams use DecodeError events instead. */
export class DecodeFailedError extends RxwireError {
  /** Always `'Decode'`. */
  readonly code = 'Decode' as const;
  static override readonly errorCode = 'Decode' as const;
  readonly retryable = false;
  constructor(
    /** What was being decoded (e.g. `GET /messages page 2`). */
    readonly what: string,
    /** One readable line per failure path. */
    readonly errors: readonly string[],
    /** The value that did not decode, as received. */
    readonly raw: unknown,
  ) {
    super(`could not decode ${what}: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (+${errors.length - 3} more)` : ''}`);
  }
}

/** True for errors that a reconnect may cure. Unknown errors (network errors from node) count as retryable. */
export function isRetryable(error: unknown): boolean {
  return isRxwireError(error) ? error.retryable === true : true;
}

/**
 * An action's frame was dropped by a disconnect before the server accepted it
 * (it may or may not have been applied). Retryable: run the action again once
 * the source is ready, if it is safe to repeat.
 */
export class ActionDroppedError extends RxwireError {
  /** Always `'ActionDropped'`. */
  readonly code = 'ActionDropped' as const;
  static override readonly errorCode = 'ActionDropped' as const;
  readonly retryable = true;
  constructor(
    /** The action whose frame was dropped (e.g. `sendMessage`). */
    readonly action: string,
    /** What dropped it (the disconnect's reason). */
    readonly reason: string,
  ) {
    super(`${action} was dropped by a disconnect before the server accepted it (${reason}); it may not have been applied: run it again once the source is ready if it is safe to repeat`);
  }
}

/** A value the caller passed cannot be used (e.g. a header value HTTP cannot carry, a NUL in a SASL user name). */
export class InvalidArgumentError extends RxwireError {
  /** Always `'InvalidArgument'`. */
  readonly code = 'InvalidArgument' as const;
  static override readonly errorCode = 'InvalidArgument' as const;
  readonly retryable = false;
  constructor(
    /** Which argument or option is unusable. */
    readonly argument: string,
    /** What is wrong with it. */
    readonly problem: string,
  ) {
    super(`invalid ${argument}: ${problem}`);
  }
}

/** Replaces every occurrence of each secret in `text` with `***`. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length > 0) out = out.split(s).join('***');
  return out;
}
