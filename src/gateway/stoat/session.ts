/**
 * The Bonfire session as a pure step function `(state, input) => [state,
 * outputs]`. No I/O and no clock: the driver feeds socket items and timer
 * firings in and carries out the outputs (emit an event, send a message,
 * schedule an input after a delay, fail the connection).
 *
 * Per connection: Open → (Authenticate unless the token is in the URL) →
 * Authenticated → Ready → live events. After Authenticated it pings every
 * `pingInterval` ms; a Ping whose Pong does not come within `pongTimeout` ms
 * marks the connection dead. A Ready that does not come within
 * `readyTimeout` ms of opening does the same. Error frames (both the
 * `{data:{type}}` and the older `{error}` shape) with an authentication
 * error, and Logout, are fatal (AuthenticationFailedError); other failures are
 * retryable and the driver reconnects.
 */
import { AuthenticationFailedError, decodeFrame, ProtocolViolationError, TimeoutError, TransportClosedError, validate, type DecodeErrorEvent } from '../../core';
import { ReadyData } from './codecs/events';
import type { StoatEvent, StoatSource } from './events';
import { stoatDecodeSpec, type StoatFrame } from './frame';

/** What the client sends (Bonfire's ClientMessage). */
export type StoatClientMessage =
  | { readonly type: 'Authenticate'; readonly token: string }
  | { readonly type: 'BeginTyping'; readonly channel: string }
  | { readonly type: 'EndTyping'; readonly channel: string }
  | { readonly type: 'Subscribe'; readonly server_id: string }
  | { readonly type: 'Ping'; readonly data: unknown }
  | { readonly type: 'Pong'; readonly data: unknown };

/** What a session needs to know about its connection. */
export interface SessionConfig {
  /** Send `{type:"Authenticate", token}` after opening (false when the token is in the URL). */
  readonly authenticate: boolean;
  /** The session or bot token the Authenticate frame carries (not sent when `authenticate` is false). */
  readonly token: string;
  /** Ms between Pings, the first one this long after Authenticated (or after Ready when Authenticated did not come). */
  readonly pingInterval: number;
  /** Ms a Ping may wait for its Pong before the connection fails with a TimeoutError. */
  readonly pongTimeout: number;
  /** Ms from Open to Ready before the connection fails with a TimeoutError. */
  readonly readyTimeout: number;
  /** An earlier connection of this subscription got a Ready: the next one is a cache reset. */
  readonly hadReady: boolean;
}

/** Where a connection is: before Open, waiting for Authenticated, authenticated, past Ready, or over. */
export type SessionPhase = 'connecting' | 'authenticating' | 'authenticated' | 'ready' | 'closed';

/** The session's state (immutable). */
export interface SessionState {
  /** The connection's settings (no step changes them). */
  readonly config: SessionConfig;
  /** Where the connection is; once `closed`, every further input is ignored. */
  readonly phase: SessionPhase;
  /** Sequence number of the last Ping sent. */
  readonly pingSeq: number;
  /** The Ping still waiting for its Pong, if any. */
  readonly pendingPing: number | undefined;
}

/** What the driver feeds the step: socket items and timer firings. */
export type SessionInput =
  | { readonly kind: 'Open'; readonly url: string }
  | { readonly kind: 'Frame'; readonly frame: unknown; readonly raw: unknown }
  | { readonly kind: 'BadFrame'; readonly raw: unknown; readonly error: string }
  | { readonly kind: 'PingDue'; readonly now: number }
  | { readonly kind: 'PongTimeout'; readonly seq: number }
  | { readonly kind: 'ReadyTimeout' }
  | { readonly kind: 'Closed'; readonly code: number; readonly reason: string };

/** What the step asks the driver to do. */
export type SessionOutput =
  | { readonly kind: 'emit'; readonly event: StoatEvent }
  | { readonly kind: 'send'; readonly message: StoatClientMessage }
  | { readonly kind: 'schedule'; readonly input: SessionInput; readonly delay: number }
  | { readonly kind: 'fail'; readonly error: Error; readonly code?: number };

/** Error types Bonfire uses when a token is refused: retrying cannot help. */
const AUTH_ERRORS = new Set(['InvalidSession', 'InvalidCredentials', 'InvalidToken', 'UnverifiedAccount', 'NotAuthenticated', 'DisabledAccount', 'Banned']);

/** The state of a fresh connection. */
export function initialSession(config: SessionConfig): SessionState {
  return { config, phase: 'connecting', pingSeq: 0, pendingPing: undefined };
}

const SOURCE: StoatSource = 'stoat';

/** The pure step: one input in, the next state and the outputs to carry out. */
export function stepSession(state: SessionState, input: SessionInput): [SessionState, SessionOutput[]] {
  if (state.phase === 'closed') return [state, []];
  switch (input.kind) {
    case 'Open': {
      const out: SessionOutput[] = [
        { kind: 'emit', event: { source: SOURCE, type: 'AfterConnect', data: { url: input.url } } },
        { kind: 'schedule', input: { kind: 'ReadyTimeout' }, delay: state.config.readyTimeout },
      ];
      if (state.config.authenticate) out.push({ kind: 'send', message: { type: 'Authenticate', token: state.config.token } });
      return [{ ...state, phase: 'authenticating' }, out];
    }
    case 'Frame': {
      const out: SessionOutput[] = [];
      const next = onFrame(state, input.frame, input.raw, out, 0);
      return [next, out];
    }
    case 'BadFrame':
      return [state, [{ kind: 'emit', event: decodeError(undefined, input.raw, [`frame: ${input.error}`]) }]];
    case 'PingDue': {
      if (state.phase !== 'authenticated' && state.phase !== 'ready') return [state, []];
      const seq = state.pingSeq + 1;
      return [
        { ...state, pingSeq: seq, pendingPing: state.pendingPing ?? seq },
        [
          { kind: 'send', message: { type: 'Ping', data: input.now } },
          { kind: 'schedule', input: { kind: 'PongTimeout', seq }, delay: state.config.pongTimeout },
          { kind: 'schedule', input: { kind: 'PingDue', now: 0 }, delay: state.config.pingInterval },
        ],
      ];
    }
    case 'PongTimeout':
      if (state.pendingPing === undefined || input.seq < state.pendingPing) return [state, []];
      return fail(state, new TimeoutError('Stoat Pong', state.config.pongTimeout));
    case 'ReadyTimeout':
      if (state.phase === 'ready') return [state, []];
      return fail(state, new TimeoutError('Stoat Ready', state.config.readyTimeout));
    case 'Closed':
      return [{ ...state, phase: 'closed' }, [{ kind: 'fail', error: closeError(input.code, input.reason), code: input.code }]];
  }
}

function fail(state: SessionState, error: Error): [SessionState, SessionOutput[]] {
  return [{ ...state, phase: 'closed' }, [{ kind: 'fail', error }]];
}

function closeError(code: number, reason: string): Error {
  const why = reason ? ` "${reason}"` : '';
  if (code === 1007) return new ProtocolViolationError(`Stoat closed with 1007${why}: it could not decode a message from this client`);
  if (code === 3000) return new ProtocolViolationError(`Stoat closed with 3000${why}: a message arrived before authentication`);
  return new TransportClosedError(`Stoat closed the connection with code ${code}${why}`);
}

function isObject(u: unknown): u is StoatFrame {
  return typeof u === 'object' && u !== null && !Array.isArray(u) && !(u instanceof Uint8Array);
}

function decodeError(tag: string | undefined, raw: unknown, errors: string[]): DecodeErrorEvent<StoatSource> {
  return { source: SOURCE, type: 'DecodeError', data: { tag, raw, errors } };
}

/** The error kind of an Error frame in either shape, or undefined. */
export function errorKind(frame: StoatFrame): string | undefined {
  const data = frame.data;
  if (isObject(data) && typeof data.type === 'string') return data.type;
  const error = frame.error;
  if (typeof error === 'string') return error;
  if (isObject(error) && typeof error.type === 'string') return error.type;
  return undefined;
}

/** Bulk frames nested in Bulk frames deeper than this are refused (Bonfire nests one level). */
export const MAX_BULK_DEPTH = 8;

function onFrame(state: SessionState, frame: unknown, raw: unknown, out: SessionOutput[], depth: number): SessionState {
  if (!isObject(frame)) {
    out.push({ kind: 'emit', event: decodeError(undefined, raw, ['frame: expected an object with a type']) });
    return state;
  }
  switch (frame.type) {
    case 'Bulk': {
      const v = frame.v;
      if (!Array.isArray(v)) {
        out.push({ kind: 'emit', event: decodeError('Bulk', raw, ['Bulk.v: expected an array']) });
        return state;
      }
      if (depth >= MAX_BULK_DEPTH) {
        out.push({ kind: 'emit', event: decodeError('Bulk', raw, [`Bulk: nested more than ${MAX_BULK_DEPTH} Bulk frames deep`]) });
        return state;
      }
      let s = state;
      for (const inner of v) {
        s = onFrame(s, inner, inner, out, depth + 1);
        if (s.phase === 'closed') break;
      }
      return s;
    }
    case 'Authenticated': {
      if (state.phase !== 'authenticating') return state;
      out.push({ kind: 'emit', event: { source: SOURCE, type: 'Authenticated', data: {} } });
      out.push({ kind: 'schedule', input: { kind: 'PingDue', now: 0 }, delay: state.config.pingInterval });
      return { ...state, phase: 'authenticated' };
    }
    case 'Ready': {
      const v = validate(ReadyData, frame, 'Ready');
      if (v.ok) out.push({ kind: 'emit', event: { source: SOURCE, type: 'Ready', data: v.value, reconnect: state.config.hadReady } });
      else out.push({ kind: 'emit', event: decodeError('Ready', raw, v.errors) });
      // Some servers skip Authenticated when the token is in the URL: start pinging here then.
      if (state.phase === 'authenticating') out.push({ kind: 'schedule', input: { kind: 'PingDue', now: 0 }, delay: state.config.pingInterval });
      return { ...state, phase: 'ready' };
    }
    case 'Pong':
      return state.pendingPing === undefined ? state : { ...state, pendingPing: undefined };
    case 'Ping':
      out.push({ kind: 'send', message: { type: 'Pong', data: frame.data } });
      return state;
    case 'Error': {
      const kind = errorKind(frame) ?? 'unknown error';
      const failed = AUTH_ERRORS.has(kind)
        ? new AuthenticationFailedError('Stoat', `the server answered ${kind}`)
        : new ProtocolViolationError(`Stoat sent an Error frame: ${kind}`);
      out.push({ kind: 'fail', error: failed });
      return { ...state, phase: 'closed' };
    }
    case 'Logout': {
      out.push({ kind: 'emit', event: decodeFrame(stoatDecodeSpec, frame) });
      out.push({ kind: 'fail', error: new AuthenticationFailedError('Stoat', 'this session was logged out (Logout); sign in again to get a new session token') });
      return { ...state, phase: 'closed' };
    }
    default:
      out.push({ kind: 'emit', event: decodeFrame(stoatDecodeSpec, frame) });
      return state;
  }
}
