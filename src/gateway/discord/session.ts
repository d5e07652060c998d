/**
 * The Discord gateway session of one shard as a pure step function
 * `(state, input) => [state, outputs]`. No I/O and no clock: the driver
 * (client.ts) feeds socket items, timer firings and identify grants in, and
 * carries out the outputs (emit, connect, send, start/cancel a timer, ask the
 * identify throttler, close the socket, fail the stream). Randomness (the
 * first-beat jitter, backoff jitter, the op 9 wait) comes from the injected
 * `config.random`, so a seeded one makes every run reproducible.
 *
 * Flow: Connect → Hello → Identify (after the throttler grants it) or Resume
 * (when a session exists) → Ready/Resumed. Heartbeat: first beat after
 * `interval × random`, then every interval; a beat whose ACK has not come by
 * the next beat is a zombie → terminate, resume. Server op 1 → beat at once.
 * Op 7 and op 9 true → close (4200) and resume; op 9 false → close 1000,
 * forget the session, identify again after 1–5 s. Every close is mapped by
 * `closeDecision`; fatal codes fail the stream with a FatalCloseError.
 * Inputs that name a connection other than the current one are ignored, so a
 * stale socket or timer can never act on a newer connection.
 */
import { backoffDelay, FatalCloseError, validate, type BackoffPolicy } from '../../core';
import { acceptResumeUrl } from './resumeUrl';
import { closeDecision, RESUME_CLOSE_CODE } from './closeCodes';
import { discordCodecs, DISPATCH_TYPES, type Ready } from './codecs/events';
import type { DiscordEvent, DiscordEventBody } from './events';
import { Op, type GatewayFrame } from './frame';

// Module-local copies of the tables the dispatch path reads on every frame (an
// imported binding may compile to a getter call per access).
const CODECS = discordCodecs;
const TYPES = DISPATCH_TYPES;
const OP_DISPATCH = Op.Dispatch;
const OP_HEARTBEAT_ACK = Op.HeartbeatAck;

/** Identify `properties`: what the connecting client is. */
export interface IdentifyProperties {
  /** `os`: the client's operating system (e.g. `linux`). */
  readonly os: string;
  /** `browser`: the library name (rxwire's default is `rxwire`). */
  readonly browser: string;
  /** `device`: the library name again, as Discord's docs suggest. */
  readonly device: string;
}

/** What one shard's session is configured with (built by shardEvents from ShardOptions). */
export interface SessionConfig {
  /** The bot token, sent in Identify `token` and Resume `token`. */
  readonly token: string;
  /** Identify `intents`: the bitfield of gateway intents to receive events for. */
  readonly intents: number;
  /** [shard id, shard count]. */
  readonly shard: readonly [number, number];
  /** Identify `properties`. */
  readonly properties: IdentifyProperties;
  /** Identify `presence`: the initial presence (an op 3 payload); omitted when undefined. */
  readonly presence?: unknown;
  /** Identify `large_threshold`: member count (50–250) above which a guild's offline members are not sent; omitted when undefined (Discord's default is 50). */
  readonly largeThreshold?: number;
  /** The gateway URL to identify on, without query (e.g. wss://gateway.discord.gg). */
  readonly gatewayUrl: string;
  /** The query every connection carries: `v=10&encoding=json[&compress=zlib-stream]`. */
  readonly query: string;
  /** Source of randomness in [0, 1): first-heartbeat jitter, backoff jitter, the op 9 wait. */
  readonly random: () => number;
  /** Delays between failed reconnects; the first reconnect after a working connection is immediate. */
  readonly backoff: BackoffPolicy;
  /** Close and reconnect when Hello does not come within this many ms of connecting. */
  readonly helloTimeout: number;
  /** Close and identify again when Ready does not come within this many ms of Identify. */
  readonly readyTimeout: number;
  /** Resume attempts on `resume_gateway_url` that may fail (no Hello) before resuming on the base URL instead. Default 3. */
  readonly maxResumeUrlFailures?: number;
  /** A stored session to resume first (persistence hooks: `retrieveSessionInfo`). */
  readonly stored?: StoredSession;
}

/** What a session needs to resume after a process restart (@discordjs/ws's SessionInfo, in this session's names). */
export interface StoredSession {
  /** READY `session_id`, sent as Resume `session_id`. */
  readonly sessionId: string;
  /** The last dispatch sequence number (`s`) seen, sent as Resume `seq`; null when none was. */
  readonly seq: number | null;
  /** READY `resume_gateway_url`; checked with `acceptResumeUrl` before use. */
  readonly resumeUrl?: string;
}

/** Where a session is: idle, waiting for Hello, identifying, resuming, ready, waiting to reconnect, failed. */
export type Phase = 'idle' | 'hello' | 'identifying' | 'resuming' | 'ready' | 'waiting' | 'failed';

/** One shard's session state (immutable; `step` returns the next one). */
export interface SessionState {
  /** The configuration the session was started with. */
  readonly config: SessionConfig;
  /** Where the session is (idle, hello, identifying, resuming, ready, waiting, failed). */
  readonly phase: Phase;
  /** Id of the current connection (0 = none yet). */
  readonly conn: number;
  /** Whether the current connection's socket is open. */
  readonly connected: boolean;
  /** READY `session_id` of the session to resume; undefined when there is none (identify next). */
  readonly sessionId: string | undefined;
  /** The accepted READY `resume_gateway_url`; undefined when none was offered or accepted. */
  readonly resumeUrl: string | undefined;
  /** The last dispatch sequence number (`s`) seen; null before the first dispatch. Sent in heartbeats and Resume. */
  readonly seq: number | null;
  /** Hello `heartbeat_interval` of the current connection, ms; undefined until Hello. */
  readonly interval: number | undefined;
  /** Whether a heartbeat was sent and its ACK (op 11) has not come yet; still true at the next beat means a zombie connection. */
  readonly awaitingAck: boolean;
  /** Whether the next connection resumes (decided when the last one closed). */
  readonly resumeNext: boolean;
  /** What this side decided before closing the socket itself. */
  readonly afterClose: { readonly resume: boolean; readonly delay?: number } | undefined;
  /** Reconnects since the last Ready/Resumed. */
  readonly attempts: number;
  /** The URL of the current connection (no secrets: Discord URLs carry none). */
  readonly url: string;
  /** Consecutive resume attempts on the resume URL that closed before Hello. */
  readonly resumeUrlFailures: number;
  /** Whether the current connection went to the resume URL. */
  readonly onResumeUrl: boolean;
}

/** The timers a session asks the driver to run: heartbeat, Hello timeout, Ready timeout, reconnect delay. */
export type TimerName = 'heartbeat' | 'hello' | 'ready' | 'reconnect';

/** What the driver feeds the session: socket items, timer firings, identify grants. */
export type SessionInput =
  | { readonly kind: 'Start' }
  | { readonly kind: 'Open'; readonly conn: number }
  | { readonly kind: 'Frame'; readonly conn: number; readonly frame: GatewayFrame }
  | { readonly kind: 'BadFrame'; readonly conn: number; readonly raw: unknown; readonly error: string }
  | { readonly kind: 'Timer'; readonly conn: number; readonly name: TimerName }
  | { readonly kind: 'IdentifyGranted'; readonly conn: number }
  | { readonly kind: 'Closed'; readonly conn: number; readonly code: number; readonly reason: string; readonly byClient: boolean };

/** An outgoing gateway payload `{op, d}`. */
export interface GatewayPayload {
  /** Opcode (`Op`). */
  readonly op: number;
  /** Event data of the opcode. */
  readonly d: unknown;
}

/** What the session asks the driver to do. */
export type SessionOutput =
  | { readonly kind: 'Emit'; readonly event: DiscordEvent }
  | { readonly kind: 'Connect'; readonly conn: number; readonly url: string }
  | { readonly kind: 'Send'; readonly conn: number; readonly payload: GatewayPayload; readonly bypass: boolean }
  | { readonly kind: 'StartTimer'; readonly conn: number; readonly name: TimerName; readonly delay: number }
  | { readonly kind: 'CancelTimer'; readonly name: TimerName }
  | { readonly kind: 'RequestIdentify'; readonly conn: number }
  | { readonly kind: 'Close'; readonly conn: number; readonly code: number; readonly reason: string; readonly terminate: boolean }
  | { readonly kind: 'Log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly msg: string; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'Fail'; readonly error: Error };

/** The session before its first connection (resuming a stored session when `config.stored` is set). */
export function initialSession(config: SessionConfig): SessionState {
  const stored = config.stored;
  const resumeUrl = stored?.resumeUrl !== undefined ? acceptResumeUrl(stored.resumeUrl, config.gatewayUrl) : undefined;
  return {
    config,
    phase: 'idle',
    conn: 0,
    connected: false,
    sessionId: stored?.sessionId,
    resumeUrl,
    seq: stored ? stored.seq : null,
    interval: undefined,
    awaitingAck: false,
    resumeNext: stored !== undefined,
    afterClose: undefined,
    attempts: 0,
    url: config.gatewayUrl,
    resumeUrlFailures: 0,
    onResumeUrl: false,
  };
}

/**
 * Joins a base URL and the query: `?` directly after the base (no `/` is
 * added), and only the parameters the base does not already carry (a `v=` or
 * `encoding=` in the configured URL wins; nothing is duplicated).
 */
export function gatewayUrl(base: string, query: string): string {
  const q = base.indexOf('?');
  if (q < 0) return `${base}?${query}`;
  const present = new Set(
    base
      .slice(q + 1)
      .split('&')
      .filter((p) => p.length > 0)
      .map((p) => p.split('=')[0]),
  );
  const extra = query.split('&').filter((p) => !present.has(p.split('=')[0]));
  if (extra.length === 0) return base;
  const sep = base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${sep}${extra.join('&')}`;
}

/** What one session step returns: `[next state, outputs]`. */
export type Step = [SessionState, SessionOutput[]];

const emit = (state: SessionState, body: DiscordEventBody, seq?: number): SessionOutput => ({
  kind: 'Emit',
  event: (seq === undefined ? { ...body, shard: state.config.shard[0] } : { ...body, shard: state.config.shard[0], seq }) as DiscordEvent,
});

/** The session step: `(state, input) => [state, outputs]`, pure (no I/O, no clock). */
export function step(state: SessionState, input: SessionInput): Step {
  switch (input.kind) {
    case 'Start':
      return state.phase === 'idle' ? connect(state) : [state, []];
    case 'Open':
      return input.conn === state.conn ? [{ ...state, connected: true }, [emit(state, { source: 'discord', type: 'Connected', data: { url: state.url } })]] : [state, []];
    case 'Frame':
      return input.conn === state.conn && state.connected ? onFrame(state, input.frame) : [state, []];
    case 'BadFrame':
      if (input.conn !== state.conn) return [state, []];
      return [state, [emit(state, { source: 'discord', type: 'DecodeError', data: { tag: undefined, raw: input.raw, errors: [input.error] } })]];
    case 'Timer':
      return onTimer(state, input.conn, input.name);
    case 'IdentifyGranted':
      if (input.conn !== state.conn || state.phase !== 'identifying' || !state.connected) return [state, []];
      return [
        state,
        [
          { kind: 'Send', conn: state.conn, payload: identifyPayload(state.config), bypass: true },
          { kind: 'StartTimer', conn: state.conn, name: 'ready', delay: state.config.readyTimeout },
        ],
      ];
    case 'Closed':
      return input.conn === state.conn ? onClosed(state, input.code, input.reason, input.byClient) : [state, []];
  }
}

function connect(state: SessionState): Step {
  const conn = state.conn + 1;
  const resume = state.resumeNext && state.sessionId !== undefined;
  const onResumeUrl = resume && state.resumeUrl !== undefined && state.resumeUrlFailures < (state.config.maxResumeUrlFailures ?? 3);
  const base = onResumeUrl ? (state.resumeUrl as string) : state.config.gatewayUrl;
  const url = gatewayUrl(base, state.config.query);
  const next: SessionState = { ...state, conn, connected: false, phase: 'hello', awaitingAck: false, afterClose: undefined, interval: undefined, url, onResumeUrl };
  return [
    next,
    [
      emit(next, { source: 'discord', type: 'Connecting', data: { url, attempt: Math.max(1, state.attempts), resume } }),
      { kind: 'Connect', conn, url },
      { kind: 'StartTimer', conn, name: 'hello', delay: state.config.helloTimeout },
    ],
  ];
}

function identifyPayload(c: SessionConfig): GatewayPayload {
  const d: Record<string, unknown> = { token: c.token, properties: c.properties, intents: c.intents, shard: [c.shard[0], c.shard[1]] };
  if (c.presence !== undefined) d.presence = c.presence;
  if (c.largeThreshold !== undefined) d.large_threshold = c.largeThreshold;
  return { op: Op.Identify, d };
}

/** Closes the current socket ourselves, remembering what to do once it is closed. */
function closeSelf(state: SessionState, code: number, reason: string, resume: boolean, terminate: boolean, delay?: number): Step {
  return [
    { ...state, afterClose: { resume, delay } },
    [
      { kind: 'CancelTimer', name: 'heartbeat' },
      { kind: 'Close', conn: state.conn, code, reason, terminate },
    ],
  ];
}

function onFrame(state: SessionState, frame: GatewayFrame): Step {
  if (state.afterClose !== undefined) return [state, []]; // closing: ignore the rest
  const op = frame.op;
  if (op === OP_DISPATCH) return onDispatch(state, frame);
  switch (op) {
    case OP_HEARTBEAT_ACK:
      return [{ ...state, awaitingAck: false }, []];
    case Op.Heartbeat:
      return [state, [{ kind: 'Send', conn: state.conn, payload: { op: Op.Heartbeat, d: state.seq }, bypass: true }]];
    case Op.Hello: {
      const d = frame.d as { heartbeat_interval?: unknown } | null;
      const interval = d !== null && typeof d === 'object' && typeof d.heartbeat_interval === 'number' ? d.heartbeat_interval : undefined;
      if (interval === undefined || state.phase !== 'hello') {
        return [state, [emit(state, { source: 'discord', type: 'DecodeError', data: { tag: 'Hello', raw: frame, errors: ['Hello.heartbeat_interval: expected number, or Hello out of place'] } })]];
      }
      const resume = state.resumeNext && state.sessionId !== undefined;
      const next: SessionState = { ...state, interval, phase: resume ? 'resuming' : 'identifying', awaitingAck: false };
      const out: SessionOutput[] = [
        { kind: 'CancelTimer', name: 'hello' },
        emit(next, { source: 'discord', type: 'Hello', data: { heartbeat_interval: interval } }),
        { kind: 'StartTimer', conn: state.conn, name: 'heartbeat', delay: Math.floor(interval * state.config.random()) },
      ];
      if (resume) {
        out.push({ kind: 'Send', conn: state.conn, payload: { op: Op.Resume, d: { token: state.config.token, session_id: state.sessionId, seq: state.seq } }, bypass: true });
      } else {
        out.push({ kind: 'RequestIdentify', conn: state.conn });
      }
      return [next, out];
    }
    case Op.Reconnect:
      return closeSelf(state, RESUME_CLOSE_CODE, 'reconnect requested (op 7)', true, false);
    case Op.InvalidSession: {
      const resumable = frame.d === true;
      const ev = emit(state, { source: 'discord', type: 'InvalidSession', data: { resumable } });
      if (resumable) {
        const [s, out] = closeSelf(state, RESUME_CLOSE_CODE, 'invalid session (resumable)', true, false);
        return [s, [ev, ...out]];
      }
      const forgotten: SessionState = { ...state, sessionId: undefined, resumeUrl: undefined, seq: null };
      const [s, out] = closeSelf(forgotten, 1000, 'invalid session', false, false, 1000 + Math.floor(state.config.random() * 4000));
      return [s, [ev, ...out]];
    }
    default:
      return [state, [emit(state, { source: 'discord', type: 'Unknown', data: { tag: `op ${frame.op}`, raw: frame } })]];
  }
}

function onDispatch(state: SessionState, frame: GatewayFrame): Step {
  const seq = frame.s as number;
  const name = frame.t as string;
  let next: SessionState = state.seq === null || seq > state.seq ? withSeq(state, seq) : state;
  const type = TYPES[name]; // a null-prototype table: `__proto__`, `constructor`… are absent
  let readyOut = false;
  if (type === undefined) return [next, [emit(next, { source: 'discord', type: 'Dispatch', data: { name, data: frame.d } }, seq)]];
  const codec = CODECS[type];
  if (type !== 'Ready' && type !== 'Resumed' && (codec as { is?: (u: unknown) => boolean }).is?.(frame.d) === true) {
    // Hot path (validate()'s own fast path, inlined): the guard accepts the data as is; one event, one output.
    const event = { source: 'discord', type, data: frame.d, shard: state.config.shard[0], seq } as DiscordEvent;
    return [next, [{ kind: 'Emit', event }]];
  }
  const v = validate(codec, frame.d, type);
  if (type === 'Ready') {
    const d = frame.d as Partial<Ready> | null;
    const sessionId = d && typeof d.session_id === 'string' ? d.session_id : undefined;
    const offered = d && typeof d.resume_gateway_url === 'string' ? d.resume_gateway_url : undefined;
    const resumeUrl = offered !== undefined ? acceptResumeUrl(offered, state.config.gatewayUrl) : undefined;
    next = { ...next, sessionId, resumeUrl, phase: 'ready', attempts: 0, resumeUrlFailures: 0 };
    readyOut = true;
    if (offered !== undefined && resumeUrl === undefined) {
      const log: SessionOutput = { kind: 'Log', level: 'warn', msg: 'READY offered a resume_gateway_url that is not wss:// nor on the configured gateway host; resuming on the configured URL instead', fields: { shard: state.config.shard[0] } };
      const [n, out] = finishDispatch(state, next, frame, type, v, seq, true);
      return [n, [log, ...out]];
    }
  } else if (type === 'Resumed') {
    next = { ...next, phase: 'ready', attempts: 0, resumeUrlFailures: 0 };
  }
  return finishDispatch(state, next, frame, type, v, seq, readyOut);
}

function finishDispatch(state: SessionState, next: SessionState, frame: GatewayFrame, type: keyof typeof discordCodecs, v: ReturnType<typeof validate>, seq: number, readyOut: boolean): Step {
  const cancelReady: SessionOutput[] = readyOut ? [{ kind: 'CancelTimer', name: 'ready' }] : [];
  if (v.ok) {
    // Hot path: build the event in one allocation.
    const event = { source: 'discord', type, data: v.value, shard: state.config.shard[0], seq } as DiscordEvent;
    return [next, readyOut ? [...cancelReady, { kind: 'Emit', event }] : [{ kind: 'Emit', event }]];
  }
  return [next, [...cancelReady, emit(next, { source: 'discord', type: 'DecodeError', data: { tag: type, raw: frame, errors: v.errors } }, seq)]];
}

/** `{ ...state, seq }`, written out: this runs once per dispatch. */
function withSeq(s: SessionState, seq: number): SessionState {
  return {
    config: s.config,
    phase: s.phase,
    conn: s.conn,
    connected: s.connected,
    sessionId: s.sessionId,
    resumeUrl: s.resumeUrl,
    seq,
    interval: s.interval,
    awaitingAck: s.awaitingAck,
    resumeNext: s.resumeNext,
    afterClose: s.afterClose,
    attempts: s.attempts,
    url: s.url,
    resumeUrlFailures: s.resumeUrlFailures,
    onResumeUrl: s.onResumeUrl,
  };
}

function onTimer(state: SessionState, conn: number, name: TimerName): Step {
  if (name === 'reconnect') return state.phase === 'waiting' && conn === state.conn ? connect(state) : [state, []];
  if (conn !== state.conn || state.afterClose !== undefined) return [state, []];
  if (name === 'hello') {
    if (state.phase !== 'hello') return [state, []];
    return closeSelf(state, RESUME_CLOSE_CODE, 'no Hello in time', true, true);
  }
  if (name === 'ready') {
    if (state.phase !== 'identifying') return [state, []];
    return closeSelf(state, RESUME_CLOSE_CODE, 'no Ready in time', false, true);
  }
  // heartbeat
  if (!state.connected || state.interval === undefined) return [state, []];
  if (state.awaitingAck) return closeSelf(state, RESUME_CLOSE_CODE, 'zombie connection: no heartbeat ACK', true, true);
  return [
    { ...state, awaitingAck: true },
    [
      { kind: 'Send', conn, payload: { op: Op.Heartbeat, d: state.seq }, bypass: true },
      { kind: 'StartTimer', conn, name: 'heartbeat', delay: state.interval },
    ],
  ];
}

function onClosed(state: SessionState, code: number, reason: string, byClient: boolean): Step {
  if (state.phase === 'failed' || state.phase === 'waiting') return [state, []];
  const cancel: SessionOutput[] = [
    { kind: 'CancelTimer', name: 'heartbeat' },
    { kind: 'CancelTimer', name: 'hello' },
    { kind: 'CancelTimer', name: 'ready' },
  ];
  // A resume on the resume URL that never got Hello counts against that URL.
  const failedOnResumeUrl = state.onResumeUrl && state.phase === 'hello';
  const base: SessionState = { ...state, connected: false, awaitingAck: false, interval: undefined, resumeUrlFailures: failedOnResumeUrl ? state.resumeUrlFailures + 1 : state.resumeUrlFailures };
  let resume: boolean;
  let delay: number | undefined;
  if (byClient && state.afterClose !== undefined) {
    resume = state.afterClose.resume;
    delay = state.afterClose.delay;
  } else {
    const decision = closeDecision(code);
    if (decision.kind === 'fatal') {
      const error = new FatalCloseError(code, decision.meaning, decision.advice);
      return [
        { ...base, phase: 'failed' },
        [
          ...cancel,
          emit(base, { source: 'discord', type: 'Disconnected', data: { code, reason, willReconnect: false } }),
          { kind: 'Log', level: 'error', msg: 'fatal close', fields: { shard: state.config.shard[0], code, reason } },
          emit(base, { source: 'discord', type: 'Closed', data: { reason: error.message } }),
          { kind: 'Fail', error },
        ],
      ];
    }
    resume = decision.kind === 'resume';
  }
  const disconnected = emit(base, { source: 'discord', type: 'Disconnected', data: { code, reason, willReconnect: true } });
  let next: SessionState = resume ? base : { ...base, sessionId: undefined, resumeUrl: undefined, seq: null };
  resume = resume && next.sessionId !== undefined;
  const attempts = state.attempts + 1;
  if (delay === undefined) delay = attempts <= 1 ? 0 : backoffDelay({ ...state.config.backoff, random: state.config.random }, attempts - 1);
  next = { ...next, phase: 'waiting', resumeNext: resume, attempts, afterClose: undefined };
  return [
    next,
    [
      ...cancel,
      disconnected,
      { kind: 'Log', level: 'warn', msg: 'disconnected; reconnecting', fields: { shard: state.config.shard[0], code, reason, resume, delay, attempt: attempts } },
      emit(next, { source: 'discord', type: 'Reconnecting', data: { attempt: attempts, delay, resume } }),
      { kind: 'StartTimer', conn: state.conn, name: 'reconnect', delay },
    ],
  ];
}
