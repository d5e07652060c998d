/**
 * The Mezon socket session as a pure step function `(state, input) → [state, outputs]`.
 * One state per connection; the driver (client.ts) does the I/O.
 *
 * - On Open: `clan_join` for every configured clan and for clan "0" (DMs),
 *   each with its own cid; user requests queue until every join has replied
 *   (or the driver's join deadline passes: unanswered joins count as failed).
 * - Requests carry a cid counting up from 1 (an int32, as in the current
 *   schema; replies with the previous generation's string cid match too);
 *   replies are matched by cid in any order; an `error` reply fails that
 *   request (CommandFailedError), others resolve it.
 * - Ping input → `{cid, ping:{}}`; the pong with that cid → Pong output (the
 *   driver's heartbeat treats a missing one as a dead connection).
 * - Raw API-response chunks accumulate per cid until fin, then resolve the
 *   request; chunks for a cid no request is waiting on are dropped at once
 *   (nothing is kept for them), and one response may not exceed
 *   `maxApiResponseBytes` (the request fails with ProtocolViolationError).
 * - Server pushes (cid 0, "" or absent) decode to typed events; malformed frames become DecodeError events.
 * - Closed: every request in flight fails with ActionDroppedError.
 */
import { ActionDroppedError, CommandFailedError, ProtocolViolationError, type DecodeErrorEvent } from '../../core';
import { MezonErrorReply } from './codecs';
import { decodeMezonPush, MEZON_SOURCE, type MezonEvent, type MezonSource } from './events';
import type { MezonFrame, MezonInbound } from './frame';

/** A user request: one Envelope field and its message. `id` is the client's request id (not the cid). */
export interface MezonRequest {
  /** The client's request id: `Resolve`/`Fail` outputs and `Cancel` inputs name the request by it. */
  readonly id: number;
  /** The Envelope oneof field to send, by proto name (e.g. `channel_message_send`). */
  readonly field: string;
  /** That field's message, as a plain object (the session sends it unchanged). */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** What a request resolves to: the reply Envelope's frame, or a reassembled raw API response. */
export type MezonReply =
  | { readonly kind: 'Envelope'; readonly frame: MezonFrame }
  | { readonly kind: 'ApiResponse'; readonly code: number; readonly data: Uint8Array };

/** What the session waits on for one cid: a clan join, a ping, or a user request (by its id and Envelope field). */
export type MezonPending =
  | { readonly kind: 'join'; readonly clanId: string }
  | { readonly kind: 'ping' }
  | { readonly kind: 'request'; readonly id: number; readonly field: string };

/** The state of one connection's session (pure; see mezonSessionStep). */
export interface MezonSessionState {
  /** `closed` before Open and after Closed; `joining` until every clan join has replied (or JoinDeadline); then `ready`. */
  readonly phase: 'closed' | 'joining' | 'ready';
  /** The cid the next outgoing envelope gets: counts up from 1 and wraps back to 1 after 2^31 - 1 (int32). */
  readonly nextCid: number;
  /** Everything sent and not yet replied to, by cid. */
  readonly pending: ReadonlyMap<number, MezonPending>;
  /** Clan joins still waiting for their reply. */
  readonly joinsLeft: number;
  /** Clan ids whose join succeeded on this connection, in reply order. */
  readonly joined: readonly string[];
  /** Clan ids whose join failed (an `error` reply, or no reply by JoinDeadline). */
  readonly failedJoins: readonly string[];
  /** Requests waiting for the joins, in arrival order. */
  readonly queue: readonly MezonRequest[];
  /** Raw API-response chunks per (16-bit) cid, only for requests in flight. Append-only buffers owned by this state. */
  readonly chunks: ReadonlyMap<number, ChunkBuffer>;
  /** The largest raw API response accepted, bytes. */
  readonly maxApiResponseBytes: number;
}

/** The chunks of one raw API response received so far. */
export interface ChunkBuffer {
  /** The chunks' bytes, in arrival order. */
  readonly parts: Uint8Array[];
  /** Total length of `parts`, bytes (checked against `maxApiResponseBytes`). */
  bytes: number;
}

/** Default cap of one reassembled raw API response: 64 MiB. */
export const MEZON_MAX_API_RESPONSE = 64 * 1024 * 1024;

/** What the driver feeds the session. */
export type MezonSessionInput =
  | { readonly kind: 'Open'; readonly clans: readonly string[]; readonly maxApiResponseBytes?: number }
  | { readonly kind: 'Inbound'; readonly item: MezonInbound }
  | { readonly kind: 'Request'; readonly request: MezonRequest }
  | { readonly kind: 'Cancel'; readonly id: number }
  | { readonly kind: 'Ping' }
  /** The joins had their time: unanswered ones count as failed, and requests go out. */
  | { readonly kind: 'JoinDeadline' }
  | { readonly kind: 'Closed'; readonly reason: string };

/** What the session asks the driver to do. */
export type MezonSessionOutput =
  | { readonly kind: 'Send'; readonly envelope: Readonly<Record<string, unknown>>; readonly requestId?: number }
  | { readonly kind: 'Emit'; readonly event: MezonEvent }
  | { readonly kind: 'Ready'; readonly clans: readonly string[]; readonly failed: readonly string[] }
  | { readonly kind: 'Resolve'; readonly id: number; readonly reply: MezonReply }
  | { readonly kind: 'Fail'; readonly id: number; readonly error: Error }
  | { readonly kind: 'Pong' };

/** The session before a socket opens. */
export const initialMezonSession: MezonSessionState = {
  phase: 'closed',
  nextCid: 1,
  pending: new Map(),
  joinsLeft: 0,
  joined: [],
  failedJoins: [],
  queue: [],
  chunks: new Map(),
  maxApiResponseBytes: MEZON_MAX_API_RESPONSE,
};

/** What one `mezonSessionStep` call returns: the next state and the outputs for the driver, in order. */
export type MezonSessionStepResult = [MezonSessionState, MezonSessionOutput[]];
type Step = MezonSessionStepResult;

/** The clans to join on connect: the configured ones plus "0" (direct messages), each once. */
export function clansToJoin(clans: readonly string[]): string[] {
  return [...new Set([...clans, '0'])];
}

/** The session step: `(state, input) → [state, outputs]`. */
export function mezonSessionStep(state: MezonSessionState, input: MezonSessionInput): MezonSessionStepResult {
  switch (input.kind) {
    case 'Open':
      return open(input.clans, input.maxApiResponseBytes ?? MEZON_MAX_API_RESPONSE);
    case 'Request':
      if (state.phase === 'ready') return send(state, input.request);
      return [{ ...state, queue: [...state.queue, input.request] }, []];
    case 'Cancel': {
      const pending = new Map(state.pending);
      let chunks = state.chunks;
      for (const [cid, p] of state.pending) {
        if (p.kind !== 'request' || p.id !== input.id) continue;
        pending.delete(cid);
        if (chunks.has(cid & 0xffff)) {
          const c = new Map(chunks);
          c.delete(cid & 0xffff);
          chunks = c;
        }
      }
      return [{ ...state, pending, chunks, queue: state.queue.filter((r) => r.id !== input.id) }, []];
    }
    case 'Ping': {
      if (state.phase === 'closed') return [state, []];
      const cid = state.nextCid;
      const pending = new Map(state.pending).set(cid, { kind: 'ping' });
      return [{ ...state, nextCid: state.nextCid + 1, pending }, [{ kind: 'Send', envelope: { cid, ping: {} } }]];
    }
    case 'Closed': {
      const outs: MezonSessionOutput[] = [];
      for (const p of state.pending.values()) {
        if (p.kind === 'request') outs.push({ kind: 'Fail', id: p.id, error: new ActionDroppedError(`mezon ${p.field}`, input.reason) });
      }
      // Queued requests were never sent: the driver keeps them for the next connection.
      return [{ ...initialMezonSession, maxApiResponseBytes: state.maxApiResponseBytes }, outs];
    }
    case 'JoinDeadline': {
      if (state.phase !== 'joining') return [state, []];
      const pending = new Map(state.pending);
      const failed: string[] = [];
      for (const [cid, p] of state.pending) {
        if (p.kind !== 'join') continue;
        pending.delete(cid);
        failed.push(p.clanId);
      }
      return ready({ ...state, pending, joinsLeft: 0, failedJoins: [...state.failedJoins, ...failed] });
    }
    case 'Inbound':
      return inbound(state, input.item);
  }
}

function open(clans: readonly string[], maxApiResponseBytes: number): Step {
  const all = clansToJoin(clans);
  const pending = new Map<number, MezonPending>();
  const outs: MezonSessionOutput[] = [];
  let cid = 1;
  for (const clanId of all) {
    const c = cid++;
    pending.set(c, { kind: 'join', clanId });
    outs.push({ kind: 'Send', envelope: { cid: c, clan_join: { clan_id: clanId } } });
  }
  return [{ ...initialMezonSession, phase: 'joining', nextCid: cid, pending, joinsLeft: all.length, maxApiResponseBytes }, outs];
}

function send(state: MezonSessionState, request: MezonRequest): Step {
  const cid = state.nextCid;
  const pending = new Map(state.pending).set(cid, { kind: 'request', id: request.id, field: request.field });
  return [
    { ...state, nextCid: state.nextCid >= 0x7fffffff ? 1 : state.nextCid + 1, pending },
    [{ kind: 'Send', envelope: { cid, [request.field]: request.payload }, requestId: request.id }],
  ];
}

function decodeError(raw: Uint8Array | string, error: string): DecodeErrorEvent<MezonSource> {
  return { source: MEZON_SOURCE, type: 'DecodeError', data: { tag: undefined, raw, errors: [error] } };
}

function inbound(state: MezonSessionState, item: MezonInbound): Step {
  if (item.kind === 'Malformed') return [state, [{ kind: 'Emit', event: decodeError(item.raw, item.error) }]];
  if (item.kind === 'ApiChunk') return apiChunk(state, item);
  const frame = item.frame;
  if (frame.cid === 0) return [state, [{ kind: 'Emit', event: decodeMezonPush(frame) }]];
  const p = state.pending.get(frame.cid);
  if (p === undefined) return [state, []]; // a late reply to something already settled
  const pending = new Map(state.pending);
  pending.delete(frame.cid);
  const error = frame.field === 'error' ? errorOf(frame, p) : undefined;
  switch (p.kind) {
    case 'ping':
      return [{ ...state, pending }, error ? [] : [{ kind: 'Pong' }]];
    case 'request':
      return [{ ...state, pending }, [error ? { kind: 'Fail', id: p.id, error } : { kind: 'Resolve', id: p.id, reply: { kind: 'Envelope', frame } }]];
    case 'join': {
      const next: MezonSessionState = {
        ...state,
        pending,
        joinsLeft: state.joinsLeft - 1,
        joined: error ? state.joined : [...state.joined, p.clanId],
        failedJoins: error ? [...state.failedJoins, p.clanId] : state.failedJoins,
      };
      return next.joinsLeft > 0 ? [next, []] : ready(next);
    }
  }
}

function ready(state: MezonSessionState): Step {
  let s: MezonSessionState = { ...state, phase: 'ready', queue: [] };
  const outs: MezonSessionOutput[] = [{ kind: 'Ready', clans: state.joined, failed: state.failedJoins }];
  for (const r of state.queue) {
    const [next, o] = send(s, r);
    s = next;
    outs.push(...o);
  }
  return [s, outs];
}

/** The request in flight whose cid matches a raw API response's 16-bit cid. */
function requestForChunk(state: MezonSessionState, cid16: number): [number, Extract<MezonPending, { kind: 'request' }>] | undefined {
  for (const [cid, p] of state.pending) if (p.kind === 'request' && (cid & 0xffff) === cid16) return [cid, p];
  return undefined;
}

function apiChunk(state: MezonSessionState, item: Extract<MezonInbound, { kind: 'ApiChunk' }>): Step {
  const found = requestForChunk(state, item.cid);
  if (found === undefined) {
    // Nobody asked: drop it, and any buffer a cancelled request left behind.
    if (!state.chunks.has(item.cid)) return [state, []];
    const chunks = new Map(state.chunks);
    chunks.delete(item.cid);
    return [{ ...state, chunks }, []];
  }
  const [cid, p] = found;
  let buf = state.chunks.get(item.cid);
  let chunks = state.chunks;
  if (buf === undefined) {
    buf = { parts: [], bytes: 0 };
    chunks = new Map(state.chunks).set(item.cid, buf);
  }
  buf.parts.push(item.chunk);
  buf.bytes += item.chunk.length;
  if (buf.bytes > state.maxApiResponseBytes) {
    const rest = new Map(chunks);
    rest.delete(item.cid);
    const pending = new Map(state.pending);
    pending.delete(cid);
    const error = new ProtocolViolationError(`the raw API response to mezon ${p.field} exceeds ${state.maxApiResponseBytes} bytes (raise maxApiResponseBytes if that is expected)`);
    return [{ ...state, pending, chunks: rest }, [{ kind: 'Fail', id: p.id, error }]];
  }
  if (!item.fin) return [chunks === state.chunks ? state : { ...state, chunks }, []];
  const rest = new Map(chunks);
  rest.delete(item.cid);
  const pending = new Map(state.pending);
  pending.delete(cid);
  const data = concat(buf.parts, buf.bytes);
  const out: MezonSessionOutput =
    item.code >= 400
      ? { kind: 'Fail', id: p.id, error: new CommandFailedError(`mezon ${p.field}`, `API response ${item.code}`, new TextDecoder().decode(data.subarray(0, 200))) }
      : { kind: 'Resolve', id: p.id, reply: { kind: 'ApiResponse', code: item.code, data } };
  return [{ ...state, pending, chunks: rest }, [out]];
}

function concat(parts: readonly Uint8Array[], n: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function errorOf(frame: MezonFrame, p: MezonPending): CommandFailedError {
  const what = p.kind === 'join' ? `mezon clan_join ${p.clanId}` : p.kind === 'ping' ? 'mezon ping' : `mezon ${p.field}`;
  const v = MezonErrorReply.decode(frame.payload);
  if (v._tag === 'Left') return new CommandFailedError(what, 'error', 'the server answered with an error reply');
  return new CommandFailedError(what, `error ${v.right.code}`, v.right.message.slice(0, 300));
}
