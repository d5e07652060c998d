/**
 * The mailbox watcher's state machine: a pure `step(state, input) => [state, outputs]`.
 *
 * Inputs are abstract (what the server said, what completed, which timer fired,
 * what the user asked); outputs are events to emit, commands to send, timers to
 * start or cancel, a grant of the connection to a user command, or the end of
 * the connection. The driver (session.ts) does the I/O.
 *
 * One connection at a time; the machine issues at most one command of its own
 * at a time. `memory` survives reconnects: the UIDVALIDITY, the highest UID
 * reported (every message above it is reported exactly once), the last
 * HIGHESTMODSEQ whose changes were all reported, and the UIDs known at the end
 * of the previous connection (to find what was expunged meanwhile).
 *
 * Per connection: [ENABLE QRESYNC] → SELECT [(QRESYNC ...)|(CONDSTORE)] →
 * UID SEARCH ALL (sequence → UID map, expunges while away, new UIDs) →
 * [UID FETCH 1:last (UID FLAGS) (CHANGEDSINCE m)] → [UID FETCH last+1:* (UID FLAGS ENVELOPE)]
 * → IDLE (renewed; broken with DONE for new mail, user commands, renewal,
 * the liveness probe and stop) or NOOP polling.
 */
import { CommandFailedError, ProtocolViolationError, TimeoutError, TransportClosedError } from '../../core';
import type { Envelope } from '../codecs/envelope';
import type { ResponseCode } from '../codecs/response-code';
import { imapEvent, type ImapEvent, type NewMessage } from './events';

/** The machine's timers: IDLE renewal, the liveness/reply deadline, NOOP polling. */
export type TimerName = 'renew' | 'liveness' | 'poll';

/** A command the machine asks the driver to send (one at a time, besides DONE). */
export type WatchCommand =
  | { readonly kind: 'ENABLE'; readonly capabilities: readonly string[] }
  | {
      readonly kind: 'SELECT';
      readonly mailbox: string;
      /** EXAMINE instead of SELECT. */
      readonly readOnly: boolean;
      /** Send the CONDSTORE select parameter (RFC 7162 §3.1.8). */
      readonly condstore: boolean;
      /** The QRESYNC select parameter (RFC 7162 §3.2.5): known UIDVALIDITY, modseq and UIDs. */
      readonly qresync: { readonly uidValidity: number; readonly modseq: number; readonly knownUids: string | null } | null;
    }
  /** `UID SEARCH ALL`. */
  | { readonly kind: 'UID SEARCH ALL' }
  /** `UID FETCH <fromUid>:* (UID FLAGS ENVELOPE [MODSEQ])`. */
  | { readonly kind: 'UID FETCH NEW'; readonly fromUid: number; readonly modseq: boolean }
  /** `UID FETCH 1:<toUid> (UID FLAGS) (CHANGEDSINCE <modseq>)`. */
  | { readonly kind: 'UID FETCH CHANGED'; readonly toUid: number; readonly changedSince: number }
  | { readonly kind: 'IDLE' }
  /** Ends IDLE; the IDLE command then completes. */
  | { readonly kind: 'DONE' }
  | { readonly kind: 'NOOP' }
  | { readonly kind: 'LOGOUT' };

export type CommandKind = WatchCommand['kind'];

/** What the driver feeds the machine: server responses, completions, timers, user requests. */
export type WatchInput =
  /** A new connection attempt starts (1 = the first). */
  | { readonly kind: 'connecting'; readonly attempt: number; readonly host: string; readonly port: number; readonly url?: string }
  /** Connected and authenticated. */
  | { readonly kind: 'connected'; readonly capabilities: readonly string[] }
  | { readonly kind: 'exists'; readonly count: number }
  | { readonly kind: 'expunge'; readonly seq: number }
  | { readonly kind: 'vanished'; readonly earlier: boolean; readonly uids: readonly number[] }
  | {
      readonly kind: 'fetch';
      readonly seq: number;
      readonly uid: number | null;
      readonly flags: readonly string[] | null;
      readonly modseq: number | null;
      readonly envelope: Envelope | null;
    }
  | { readonly kind: 'search'; readonly uids: readonly number[] }
  | { readonly kind: 'flags'; readonly flags: readonly string[] }
  | { readonly kind: 'enabled'; readonly capabilities: readonly string[] }
  /** An untagged OK/NO/BAD/PREAUTH/BYE. */
  | { readonly kind: 'condition'; readonly status: 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE'; readonly code: ResponseCode | null; readonly text: string }
  /** `+` for the machine's IDLE. */
  | { readonly kind: 'continuation' }
  /** The tagged completion of the machine's command in flight. */
  | { readonly kind: 'completed'; readonly status: 'OK' | 'NO' | 'BAD'; readonly code: ResponseCode | null; readonly text: string }
  /** A response rxwire could not parse (`error`) or does not know. */
  | { readonly kind: 'unknown'; readonly raw: string; readonly error: string | null }
  /** Any other server data (keeps the connection alive). */
  | { readonly kind: 'activity' }
  | { readonly kind: 'closed'; readonly reason: string }
  | { readonly kind: 'timer'; readonly timer: TimerName }
  /** A user command wants the connection. */
  | { readonly kind: 'request'; readonly id: number }
  /** A user command finished (or gave up waiting). */
  | { readonly kind: 'release'; readonly id: number }
  /** End gracefully: DONE, LOGOUT, ConnectionClosed, complete. */
  | { readonly kind: 'stop' }
  /** The subscriber left: DONE and LOGOUT at once, then close. */
  | { readonly kind: 'teardown' };

/** What one step asks the driver to do, in order. */
export type WatchOutput =
  | { readonly kind: 'emit'; readonly event: ImapEvent }
  | { readonly kind: 'send'; readonly command: WatchCommand }
  | { readonly kind: 'startTimer'; readonly timer: TimerName; readonly delay: number }
  | { readonly kind: 'cancelTimer'; readonly timer: TimerName }
  /** The user command `id` may run now. */
  | { readonly kind: 'grant'; readonly id: number }
  /** The connection is unusable: close it and end this attempt with `error` (retryable or fatal). */
  | { readonly kind: 'fail'; readonly error: Error }
  /** Close the socket and complete (after LOGOUT or teardown). */
  | { readonly kind: 'close' };

/** The watch's settings; every one but `mailbox` has a default in {@link defaultWatchConfig}. */
export interface WatchConfig {
  /** The mailbox to watch (as for select, not yet modified-UTF-7 encoded). */
  readonly mailbox: string;
  /** EXAMINE instead of SELECT. */
  readonly readOnly: boolean;
  /** Use IDLE when offered (otherwise poll). */
  readonly idle: boolean;
  /** Re-issue IDLE after this many ms (RFC 2177: under 29 minutes). */
  readonly idleRenewal: number;
  /** While idling, probe (DONE + NOOP) after this many ms without any byte from the server. */
  readonly livenessTimeout: number;
  /** A reply to the machine's own command (or to the probe) must start within this many ms. */
  readonly replyTimeout: number;
  /** NOOP interval in ms without IDLE. */
  readonly pollInterval: number;
  /** Report messages with a UID above this on the first connection; null: only messages that arrive from now on. */
  readonly sinceUid: number | null;
}

/** Defaults: SELECT, IDLE when offered, renewed every 25 min, liveness probe after 3 min quiet, 30 s reply timeout, NOOP every 60 s, report only new mail. */
export const defaultWatchConfig: Omit<WatchConfig, 'mailbox'> = {
  readOnly: false,
  idle: true,
  idleRenewal: 25 * 60_000,
  livenessTimeout: 3 * 60_000,
  replyTimeout: 30_000,
  pollInterval: 60_000,
  sinceUid: null,
};

/** What the machine remembers across reconnects (see the module comment). */
export interface WatchMemory {
  /** UIDVALIDITY of the mailbox when last selected; null until the first SELECT. */
  readonly uidValidity: number | null;
  /** Highest UID reported (or the baseline); null until the first SELECT. */
  readonly lastUid: number | null;
  /** All flag changes up to this modseq were reported. */
  readonly highestModSeq: number | null;
  /** UIDs present at the end of the previous connection (ascending). */
  readonly knownUids: readonly number[] | null;
  /** MODSEQ of messages reported by NewMessages above `highestModSeq`: a catch-up does not report them again as FlagsChanged. */
  readonly reportedModSeq: Readonly<Record<number, number>>;
  /** A connection reached Ready before: the next one that catches up emits Resumed. */
  readonly readyOnce?: boolean;
  /** `imap://host:port` of the current attempt (for Connected). */
  readonly url?: string;
}

type Phase = 'login' | 'enabling' | 'selecting' | 'searching' | 'changes' | 'ready' | 'gone';

interface SelectInfo {
  exists: number;
  uidValidity: number | null;
  uidNext: number | null;
  highestModSeq: number | null;
  readWrite: boolean | null;
  flags: readonly string[];
  permanentFlags: readonly string[];
}

interface PendingFlags {
  readonly seq: number;
  readonly uid: number | null;
  readonly flags: readonly string[];
  readonly modseq: number | null;
}

export interface WatchConnection {
  readonly phase: Phase;
  readonly capabilities: readonly string[];
  readonly qresync: boolean;
  readonly condstore: boolean;
  readonly usedQresync: boolean;
  readonly inflight: CommandKind | null;
  /** off; starting: IDLE sent, no `+` yet; active; ending: DONE sent. */
  readonly idle: 'off' | 'starting' | 'active' | 'ending';
  readonly idleAnnounced: boolean;
  readonly idleRefused: boolean;
  /** Liveness probe: 'done' while DONE is out, 'noop' while its NOOP is out. */
  readonly probe: 'none' | 'done' | 'noop';
  /** Waiting for the poll timer (no IDLE). */
  readonly waiting: boolean;
  readonly exists: number;
  /** Sequence number − 1 → UID; 0 for a message whose UID is not known yet. null until UID SEARCH answered. */
  readonly uids: readonly number[] | null;
  /** EXISTS grew since the last UID FETCH NEW was sent. */
  readonly newPending: boolean;
  readonly collected: readonly NewMessage[];
  readonly sel: Readonly<SelectInfo>;
  readonly selFlags: readonly PendingFlags[];
  readonly pendingModSeq: number | null;
  readonly mode: 'READ-WRITE' | 'READ-ONLY';
  readonly queue: readonly number[];
  readonly lent: number | null;
  readonly stopping: boolean;
  readonly bye: string | null;
  /** UIDVALIDITY changed on this connection: what came before is void, so it is Ready, not Resumed. */
  readonly reset?: boolean;
  /** Which liveness deadline runs. */
  readonly deadline: 'none' | 'reply' | 'quiet';
}

/** The machine's whole state: immutable, replaced by every {@link watchStep}. */
export interface WatchState {
  /** The settings, fixed for the watch's lifetime. */
  readonly config: WatchConfig;
  /** What survives reconnects. */
  readonly memory: WatchMemory;
  /**
   * The current connection's state (phase, IDLE, pending messages); null between connections.
   * Opaque: its shape may change in any release.
   * @internal
   */
  readonly conn: WatchConnection | null;
}

/** The state of a watch before its first connection: `config` over {@link defaultWatchConfig}, empty memory, no connection. */
export function initialWatchState(config: Partial<WatchConfig> & { mailbox: string }): WatchState {
  return {
    config: { ...defaultWatchConfig, ...config },
    memory: { uidValidity: null, lastUid: null, highestModSeq: null, knownUids: null, reportedModSeq: {} },
    conn: null,
  };
}

const SERVER_INPUTS = new Set<WatchInput['kind']>([
  'exists',
  'expunge',
  'vanished',
  'fetch',
  'search',
  'flags',
  'enabled',
  'condition',
  'continuation',
  'completed',
  'unknown',
  'activity',
]);

/** Mutable working copy for one step. */
interface Ctx {
  config: WatchConfig;
  memory: { -readonly [K in keyof WatchMemory]: WatchMemory[K] };
  conn: { -readonly [K in keyof WatchConnection]: WatchConnection[K] } | null;
  out: WatchOutput[];
  sent: boolean;
}

/** One transition: the next state and the outputs to execute, in order. Pure (never mutates `state`). */
export function step(state: WatchState, input: WatchInput): [WatchState, WatchOutput[]] {
  const ctx: Ctx = {
    config: state.config,
    memory: { ...state.memory },
    conn: state.conn ? { ...state.conn } : null,
    out: [],
    sent: false,
  };
  handle(ctx, input);
  armLiveness(ctx, SERVER_INPUTS.has(input.kind));
  return [{ config: ctx.config, memory: ctx.memory, conn: ctx.conn }, ctx.out];
}

// ---------------------------------------------------------------- helpers

type Conn = NonNullable<Ctx['conn']>;

function emit(ctx: Ctx, event: ImapEvent): void {
  ctx.out.push({ kind: 'emit', event });
}

function send(ctx: Ctx, c: Conn, command: WatchCommand): void {
  ctx.out.push({ kind: 'send', command });
  ctx.sent = true;
  if (command.kind !== 'DONE') c.inflight = command.kind;
  if (c.waiting) {
    c.waiting = false;
    ctx.out.push({ kind: 'cancelTimer', timer: 'poll' });
  }
}

function fail(ctx: Ctx, c: Conn, error: Error): void {
  c.phase = 'gone';
  c.deadline = 'none';
  ctx.out.push({ kind: 'cancelTimer', timer: 'renew' }, { kind: 'cancelTimer', timer: 'poll' }, { kind: 'cancelTimer', timer: 'liveness' });
  ctx.out.push({ kind: 'fail', error });
}

function finish(ctx: Ctx, c: Conn, reason: string): void {
  c.phase = 'gone';
  c.deadline = 'none';
  ctx.out.push({ kind: 'cancelTimer', timer: 'renew' }, { kind: 'cancelTimer', timer: 'poll' }, { kind: 'cancelTimer', timer: 'liveness' });
  closed(ctx, reason);
  ctx.out.push({ kind: 'close' });
}

/** Closed (the contract's name), then the deprecated ConnectionClosed with the same data. */
function closed(ctx: Ctx, reason: string): void {
  emit(ctx, imapEvent('Closed', { reason }));
  emit(ctx, imapEvent('ConnectionClosed', { reason }));
}

/** The watch is established (mailbox selected, caught up, idling or polling): Ready the first time, Resumed after a lossless reconnect. */
function announce(ctx: Ctx, c: Conn, method: 'IDLE' | 'NOOP'): void {
  c.idleAnnounced = true;
  emit(ctx, imapEvent('IdleStarted', { mailbox: ctx.config.mailbox, method }));
  const resumed = ctx.memory.readyOnce === true && c.reset !== true;
  ctx.memory.readyOnce = true;
  emit(ctx, imapEvent(resumed ? 'Resumed' : 'Ready', { mailbox: ctx.config.mailbox, method }));
}

function newConnection(): Conn {
  return {
    phase: 'login',
    capabilities: [],
    qresync: false,
    condstore: false,
    usedQresync: false,
    inflight: null,
    idle: 'off',
    idleAnnounced: false,
    idleRefused: false,
    probe: 'none',
    waiting: false,
    exists: 0,
    uids: null,
    newPending: false,
    collected: [],
    sel: { exists: 0, uidValidity: null, uidNext: null, highestModSeq: null, readWrite: null, flags: [], permanentFlags: [] },
    selFlags: [],
    pendingModSeq: null,
    mode: 'READ-WRITE',
    queue: [],
    lent: null,
    stopping: false,
    bye: null,
    deadline: 'none',
  };
}

const hasCap = (c: Conn, name: string): boolean => c.capabilities.includes(name);

/** Ascending UIDs (zeros = unknown) → index of uid, or -1. */
function indexOfUid(uids: readonly number[], uid: number): number {
  let lo = 0;
  let hi = uids.length - 1;
  while (hi >= 0 && uids[hi] === 0) hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = uids[mid];
    if (v === uid) return mid;
    if (v < uid) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function maxKnownUid(uids: readonly number[]): number {
  for (let i = uids.length - 1; i >= 0; i--) if (uids[i] !== 0) return uids[i];
  return 0;
}

// ---------------------------------------------------------------- the step

function handle(ctx: Ctx, input: WatchInput): void {
  switch (input.kind) {
    case 'connecting': {
      const prev = ctx.conn;
      if (prev?.uids) ctx.memory.knownUids = prev.uids.filter((u) => u !== 0);
      ctx.conn = newConnection();
      ctx.out.push({ kind: 'cancelTimer', timer: 'renew' }, { kind: 'cancelTimer', timer: 'poll' }, { kind: 'cancelTimer', timer: 'liveness' });
      const url = input.url ?? `imap://${input.host}:${input.port}`;
      ctx.memory.url = url;
      emit(ctx, imapEvent('Connecting', { url, attempt: input.attempt, host: input.host, port: input.port }));
      return;
    }
    case 'timer':
      return onTimer(ctx, input.timer);
    default:
      break;
  }
  const c = ctx.conn;
  if (c === null || c.phase === 'gone') {
    if (input.kind === 'stop' && c === null) closed(ctx, 'stopped');
    if (input.kind === 'stop' && c === null) ctx.out.push({ kind: 'close' });
    return;
  }
  switch (input.kind) {
    case 'connected': {
      c.capabilities = input.capabilities.map((s) => s.toUpperCase());
      emit(ctx, imapEvent('Connected', { url: ctx.memory.url ?? '', capabilities: [...input.capabilities] }));
      if (hasCap(c, 'QRESYNC') && hasCap(c, 'ENABLE')) {
        c.phase = 'enabling';
        send(ctx, c, { kind: 'ENABLE', capabilities: ['QRESYNC'] });
      } else startSelect(ctx, c);
      return;
    }
    case 'enabled': {
      const caps = input.capabilities.map((s) => s.toUpperCase());
      if (caps.includes('QRESYNC')) c.qresync = c.condstore = true;
      if (caps.includes('CONDSTORE')) c.condstore = true;
      return;
    }
    case 'exists':
      return onExists(ctx, c, input.count);
    case 'expunge':
      return onExpunge(ctx, c, input.seq);
    case 'vanished':
      return onVanished(ctx, c, input.earlier, input.uids);
    case 'fetch':
      return onFetch(ctx, c, input);
    case 'search': {
      if (c.inflight !== 'UID SEARCH ALL') return;
      const uids = [...input.uids].sort((a, b) => a - b);
      if (uids.length < c.exists) for (let i = uids.length; i < c.exists; i++) uids.push(0);
      c.exists = uids.length;
      c.uids = uids;
      return;
    }
    case 'flags':
      if (c.phase === 'selecting') c.sel = { ...c.sel, flags: [...input.flags] };
      else if (c.phase !== 'login' && c.phase !== 'enabling') emit(ctx, imapEvent('MailboxFlags', { kind: 'FLAGS', flags: [...input.flags] }));
      return;
    case 'condition':
      return onCondition(ctx, c, input);
    case 'continuation':
      if (c.inflight === 'IDLE' && c.idle === 'starting') {
        c.idle = 'active';
        ctx.out.push({ kind: 'startTimer', timer: 'renew', delay: ctx.config.idleRenewal });
        if (!c.idleAnnounced) announce(ctx, c, 'IDLE');
        if (workPending(c)) endIdle(ctx, c);
      }
      return;
    case 'completed':
      return onCompleted(ctx, c, input);
    case 'unknown':
      if (input.error !== null) emit(ctx, imapEvent('DecodeError', { tag: '*', raw: input.raw, errors: [input.error] }));
      else emit(ctx, imapEvent('Unknown', { tag: '*', raw: input.raw }));
      return;
    case 'activity':
      return;
    case 'closed':
      if (c.stopping && (c.inflight === 'LOGOUT' || c.inflight === null)) return finish(ctx, c, c.bye ?? 'logged out');
      // the connection's reason already names the BYE ("server said BYE: ..."): say it once
      return fail(ctx, c, new TransportClosedError(c.bye && !input.reason.includes(c.bye) ? `${input.reason} (server said BYE: ${c.bye})` : input.reason));
    case 'request':
      c.queue = [...c.queue, input.id];
      return wake(ctx, c);
    case 'release':
      if (c.lent === input.id) {
        c.lent = null;
        if (c.phase === 'ready') next(ctx, c);
      } else c.queue = c.queue.filter((id) => id !== input.id);
      return;
    case 'stop':
      c.stopping = true;
      if (c.phase === 'ready' || c.phase === 'login') return wake(ctx, c);
      return;
    case 'teardown': {
      ctx.out.push({ kind: 'cancelTimer', timer: 'renew' }, { kind: 'cancelTimer', timer: 'poll' }, { kind: 'cancelTimer', timer: 'liveness' });
      if (c.idle === 'active') ctx.out.push({ kind: 'send', command: { kind: 'DONE' } });
      if (c.phase !== 'login') ctx.out.push({ kind: 'send', command: { kind: 'LOGOUT' } });
      c.phase = 'gone';
      c.deadline = 'none';
      ctx.out.push({ kind: 'close' });
      return;
    }
  }
}

function startSelect(ctx: Ctx, c: Conn): void {
  const m = ctx.memory;
  const qresync =
    c.qresync && m.uidValidity !== null && m.highestModSeq !== null && m.lastUid !== null
      ? { uidValidity: m.uidValidity, modseq: m.highestModSeq, knownUids: m.lastUid > 0 ? `1:${m.lastUid}` : null }
      : null;
  const condstore = !c.qresync && hasCap(c, 'CONDSTORE');
  if (condstore) c.condstore = true;
  c.usedQresync = qresync !== null;
  c.phase = 'selecting';
  send(ctx, c, { kind: 'SELECT', mailbox: ctx.config.mailbox, readOnly: ctx.config.readOnly, condstore, qresync });
}

function onExists(ctx: Ctx, c: Conn, count: number): void {
  if (c.phase === 'selecting') {
    c.sel = { ...c.sel, exists: count };
    return;
  }
  if (c.phase === 'login' || c.phase === 'enabling') return;
  if (count > c.exists) {
    if (c.uids) {
      const uids = c.uids.slice();
      for (let i = c.exists; i < count; i++) uids.push(0);
      c.uids = uids;
    }
    c.exists = count;
    c.newPending = true;
    if (c.phase === 'ready') wake(ctx, c);
  } else if (count < c.exists) {
    // Not allowed by RFC 3501 (EXISTS never shrinks without EXPUNGE); trust the server.
    c.exists = count;
    if (c.uids) c.uids = c.uids.slice(0, count);
  }
}

function onExpunge(ctx: Ctx, c: Conn, seq: number): void {
  if (c.phase === 'login' || c.phase === 'enabling') return;
  if (c.phase === 'selecting') {
    c.sel = { ...c.sel, exists: Math.max(0, c.sel.exists - 1) };
    return;
  }
  c.exists = Math.max(0, c.exists - 1);
  if (!c.uids) return; // before the UID map: the catch-up diff reports it
  const uid = c.uids[seq - 1] ?? 0;
  const uids = c.uids.slice();
  uids.splice(seq - 1, 1);
  c.uids = uids;
  emit(ctx, imapEvent('Expunged', { seq, uids: uid > 0 ? [uid] : [], earlier: false }));
}

function onVanished(ctx: Ctx, c: Conn, earlier: boolean, list: readonly number[]): void {
  // During SELECT (QRESYNC) the catch-up diff against the known UIDs reports expunges exactly.
  if (c.phase === 'login' || c.phase === 'enabling' || c.phase === 'selecting') return;
  if (c.uids) {
    const uids = c.uids.slice();
    let removed = 0;
    for (const uid of list) {
      const i = indexOfUid(uids, uid);
      if (i >= 0) {
        uids.splice(i, 1);
        removed++;
      } else if (!earlier && uid > maxKnownUid(uids) && uids[uids.length - 1] === 0) {
        uids.pop(); // one of the not-yet-fetched new messages
        removed++;
      }
    }
    c.uids = uids;
    c.exists = uids.length;
    if (earlier && removed === 0) return;
  } else if (!earlier) c.exists = Math.max(0, c.exists - list.length);
  emit(ctx, imapEvent('Expunged', { seq: null, uids: [...list], earlier }));
}

function bumpModSeq(ctx: Ctx, c: Conn, modseq: number | null): void {
  if (modseq === null) return;
  if (c.phase === 'ready') {
    if (ctx.memory.highestModSeq !== null && modseq > ctx.memory.highestModSeq) ctx.memory.highestModSeq = modseq;
  } else if (c.pendingModSeq !== null && modseq > c.pendingModSeq) c.pendingModSeq = modseq;
}

function onFetch(ctx: Ctx, c: Conn, f: Extract<WatchInput, { kind: 'fetch' }>): void {
  if (c.phase === 'login' || c.phase === 'enabling') return;
  if (c.phase === 'selecting') {
    if (f.flags !== null) c.selFlags = [...c.selFlags, { seq: f.seq, uid: f.uid, flags: f.flags, modseq: f.modseq }];
    return;
  }
  let uid = f.uid;
  if (c.uids && f.seq >= 1 && f.seq <= c.uids.length) {
    const known = c.uids[f.seq - 1];
    if (uid === null && known !== 0) uid = known;
    else if (uid !== null && known === 0) {
      const uids = c.uids.slice();
      uids[f.seq - 1] = uid;
      c.uids = uids;
    }
  }
  const last = ctx.memory.lastUid;
  if (c.inflight === 'UID FETCH NEW') {
    if (uid !== null && last !== null && uid > last && (f.envelope !== null || f.flags !== null)) {
      c.collected = [...c.collected, { uid, seq: f.seq, flags: [...(f.flags ?? [])], modseq: f.modseq, envelope: f.envelope }];
      return;
    }
    // Our own fetch's answer for an already reported message (`n:*` always matches the last one).
    if (f.envelope !== null) return;
  }
  if (f.flags === null) return bumpModSeq(ctx, c, f.modseq);
  // A message not reported yet: its flags come with its NewMessages.
  if (uid === null ? c.uids !== null : last === null || uid > last) return;
  if (uid !== null && alreadyReported(ctx, uid, f.modseq)) return;
  emit(ctx, imapEvent('FlagsChanged', { seq: f.seq, uid, flags: [...f.flags], modseq: f.modseq }));
  bumpModSeq(ctx, c, f.modseq);
}

function onCondition(ctx: Ctx, c: Conn, r: Extract<WatchInput, { kind: 'condition' }>): void {
  if (r.status === 'BYE') {
    c.bye = r.text;
    if (!c.stopping) emit(ctx, imapEvent('Bye', { text: r.text }));
    return;
  }
  const code = r.code;
  if (code === null) return;
  if (code.name === 'ALERT') return emit(ctx, imapEvent('Alert', { text: r.text }));
  if (c.phase === 'selecting') {
    switch (code.name) {
      case 'UIDVALIDITY':
        c.sel = { ...c.sel, uidValidity: code.value };
        return;
      case 'UIDNEXT':
        c.sel = { ...c.sel, uidNext: code.value };
        return;
      case 'HIGHESTMODSEQ':
        c.sel = { ...c.sel, highestModSeq: code.value };
        return;
      case 'PERMANENTFLAGS':
        c.sel = { ...c.sel, permanentFlags: code.flags };
        return;
      case 'READ-WRITE':
      case 'READ-ONLY':
        c.sel = { ...c.sel, readWrite: code.name === 'READ-WRITE' };
        return;
      default:
        return;
    }
  }
  if (c.phase === 'login' || c.phase === 'enabling') return;
  switch (code.name) {
    case 'READ-WRITE':
    case 'READ-ONLY':
      c.mode = code.name;
      return emit(ctx, imapEvent('ModeChanged', { mode: code.name }));
    case 'PERMANENTFLAGS':
      return emit(ctx, imapEvent('MailboxFlags', { kind: 'PERMANENTFLAGS', flags: [...code.flags] }));
    case 'UIDVALIDITY':
      if (ctx.memory.uidValidity !== null && code.value !== ctx.memory.uidValidity) {
        // Every UID is void: reselect on a fresh connection, whose SELECT reports MailboxReset.
        return fail(ctx, c, new ProtocolViolationError(`UIDVALIDITY of ${ctx.config.mailbox} changed while selected; reconnecting to resynchronise`));
      }
      return;
    default:
      return;
  }
}

function onCompleted(ctx: Ctx, c: Conn, r: Extract<WatchInput, { kind: 'completed' }>): void {
  const kind = c.inflight;
  if (kind === null) return;
  c.inflight = null;
  const ok = r.status === 'OK';
  const codeText = r.code ? r.code.name : undefined;
  switch (kind) {
    case 'ENABLE':
      return startSelect(ctx, c);
    case 'SELECT':
      if (!ok) {
        return fail(ctx, c, new CommandFailedError(`${ctx.config.readOnly ? 'EXAMINE' : 'SELECT'} ${ctx.config.mailbox}`, r.status, r.text, codeText));
      }
      return onSelected(ctx, c, r.code);
    case 'UID SEARCH ALL':
      if (!ok) return fail(ctx, c, new ProtocolViolationError(`UID SEARCH ALL failed: ${r.status} ${r.text}`));
      return onSearched(ctx, c);
    case 'UID FETCH CHANGED':
      if (!ok) return fail(ctx, c, new ProtocolViolationError(`UID FETCH CHANGEDSINCE failed: ${r.status} ${r.text}`));
      return enterReady(ctx, c);
    case 'UID FETCH NEW':
      if (!ok) return fail(ctx, c, new ProtocolViolationError(`UID FETCH of new messages failed: ${r.status} ${r.text}`));
      reportNew(ctx, c);
      return next(ctx, c);
    case 'IDLE':
      ctx.out.push({ kind: 'cancelTimer', timer: 'renew' });
      if (!ok) c.idleRefused = true;
      c.idle = 'off';
      if (c.probe === 'done') c.probe = 'noop';
      return next(ctx, c);
    case 'NOOP':
      if (c.probe === 'noop') c.probe = 'none';
      return next(ctx, c);
    case 'LOGOUT':
      return finish(ctx, c, c.bye ?? 'logged out');
  }
}

function onSelected(ctx: Ctx, c: Conn, code: ResponseCode | null): void {
  const sel = c.sel;
  const m = ctx.memory;
  const uidValidity = sel.uidValidity ?? 0;
  const readWrite = code?.name === 'READ-ONLY' ? false : code?.name === 'READ-WRITE' ? true : (sel.readWrite ?? !ctx.config.readOnly);
  c.mode = readWrite ? 'READ-WRITE' : 'READ-ONLY';
  c.exists = sel.exists;
  emit(
    ctx,
    imapEvent('MailboxSelected', {
      mailbox: ctx.config.mailbox,
      exists: sel.exists,
      uidValidity,
      uidNext: sel.uidNext,
      highestModSeq: sel.highestModSeq,
      readWrite,
      flags: [...sel.flags],
      permanentFlags: [...sel.permanentFlags],
    }),
  );
  let selFlags = c.selFlags;
  if (m.uidValidity !== null && m.uidValidity !== uidValidity) {
    emit(ctx, imapEvent('MailboxReset', { mailbox: ctx.config.mailbox, previousUidValidity: m.uidValidity, uidValidity, exists: sel.exists }));
    c.reset = true;
    m.lastUid = null;
    m.highestModSeq = null;
    m.knownUids = null;
    m.reportedModSeq = {};
    selFlags = [];
  }
  m.uidValidity = uidValidity;
  if (m.lastUid === null) {
    m.lastUid = ctx.config.sinceUid ?? (sel.uidNext !== null ? sel.uidNext - 1 : null);
    m.knownUids = null;
    selFlags = [];
  }
  c.pendingModSeq = c.condstore ? sel.highestModSeq : null;
  if (c.usedQresync) {
    const last = m.lastUid ?? 0;
    for (const f of selFlags) {
      if (f.uid !== null && f.uid <= last && !alreadyReported(ctx, f.uid, f.modseq)) emit(ctx, imapEvent('FlagsChanged', { seq: f.seq, uid: f.uid, flags: [...f.flags], modseq: f.modseq }));
    }
  }
  c.selFlags = [];
  c.phase = 'searching';
  send(ctx, c, { kind: 'UID SEARCH ALL' });
}

function onSearched(ctx: Ctx, c: Conn): void {
  const m = ctx.memory;
  if (c.uids === null) c.uids = new Array<number>(c.exists).fill(0);
  const uids = c.uids;
  if (m.lastUid === null) m.lastUid = maxKnownUid(uids);
  const last = m.lastUid;
  if (m.knownUids !== null) {
    const present = new Set(uids);
    const removed = m.knownUids.filter((u) => u <= last && !present.has(u));
    if (removed.length > 0) emit(ctx, imapEvent('Expunged', { seq: null, uids: removed, earlier: true }));
  }
  if (maxKnownUid(uids) > last || uids.includes(0)) c.newPending = true;
  const reconnect = m.knownUids !== null;
  m.knownUids = null;
  if (c.condstore && !c.usedQresync && reconnect && m.highestModSeq !== null && last > 0) {
    c.phase = 'changes';
    send(ctx, c, { kind: 'UID FETCH CHANGED', toUid: last, changedSince: m.highestModSeq });
    return;
  }
  enterReady(ctx, c);
}

function enterReady(ctx: Ctx, c: Conn): void {
  if (c.pendingModSeq !== null) {
    const committed = Math.max(c.pendingModSeq, ctx.memory.highestModSeq ?? 0);
    ctx.memory.highestModSeq = committed;
    const kept: Record<number, number> = {};
    for (const [uid, modseq] of Object.entries(ctx.memory.reportedModSeq)) if (modseq > committed) kept[Number(uid)] = modseq;
    ctx.memory.reportedModSeq = kept;
  }
  c.pendingModSeq = null;
  c.phase = 'ready';
  next(ctx, c);
}

function reportNew(ctx: Ctx, c: Conn): void {
  const last = ctx.memory.lastUid ?? 0;
  const byUid = new Map<number, NewMessage>();
  for (const msg of c.collected) if (msg.uid > last) byUid.set(msg.uid, msg);
  c.collected = [];
  if (byUid.size === 0) return;
  const messages = [...byUid.values()].sort((a, b) => a.uid - b.uid);
  ctx.memory.lastUid = messages[messages.length - 1].uid;
  let reported: Record<number, number> | undefined;
  for (const msg of messages) {
    if (msg.modseq === null) continue;
    reported ??= { ...ctx.memory.reportedModSeq };
    reported[msg.uid] = msg.modseq;
  }
  if (reported) ctx.memory.reportedModSeq = capReported(reported);
  emit(ctx, imapEvent('NewMessages', { count: c.exists, previous: Math.max(0, c.exists - messages.length), messages }));
}

const MAX_REPORTED = 5000;

/** Keeps the newest MAX_REPORTED entries (dropping one only risks a duplicate FlagsChanged after a reconnect). */
function capReported(r: Record<number, number>): Record<number, number> {
  const entries = Object.entries(r);
  if (entries.length <= MAX_REPORTED) return r;
  entries.sort((a, b) => b[1] - a[1]);
  const kept: Record<number, number> = {};
  for (const [uid, modseq] of entries.slice(0, MAX_REPORTED)) kept[Number(uid)] = modseq;
  return kept;
}

/** The catch-up found a change that NewMessages already carried. */
function alreadyReported(ctx: Ctx, uid: number, modseq: number | null): boolean {
  const seen = ctx.memory.reportedModSeq[uid];
  return modseq !== null && seen !== undefined && modseq <= seen;
}

function workPending(c: Conn): boolean {
  return c.stopping || c.queue.length > 0 || c.newPending || c.probe !== 'none';
}

function endIdle(ctx: Ctx, c: Conn): void {
  c.idle = 'ending';
  ctx.out.push({ kind: 'cancelTimer', timer: 'renew' });
  send(ctx, c, { kind: 'DONE' });
}

/** Something needs the connection: break IDLE, or act now when waiting between polls. */
function wake(ctx: Ctx, c: Conn): void {
  if (c.idle === 'active') endIdle(ctx, c);
  else if (c.phase === 'ready' && c.inflight === null && c.lent === null) next(ctx, c);
}

/** The connection is free: pick the next thing to do. */
function next(ctx: Ctx, c: Conn): void {
  if (c.phase !== 'ready' || c.inflight !== null || c.lent !== null) return;
  if (c.stopping) return send(ctx, c, { kind: 'LOGOUT' });
  if (c.probe === 'noop') return send(ctx, c, { kind: 'NOOP' });
  if (c.queue.length > 0) {
    const [id, ...rest] = c.queue;
    c.queue = rest;
    c.lent = id;
    if (c.waiting) {
      c.waiting = false;
      ctx.out.push({ kind: 'cancelTimer', timer: 'poll' });
    }
    ctx.out.push({ kind: 'grant', id });
    return;
  }
  if (c.newPending) {
    c.newPending = false;
    return send(ctx, c, { kind: 'UID FETCH NEW', fromUid: (ctx.memory.lastUid ?? 0) + 1, modseq: c.condstore });
  }
  if (ctx.config.idle && hasCap(c, 'IDLE') && !c.idleRefused) {
    c.idle = 'starting';
    return send(ctx, c, { kind: 'IDLE' });
  }
  if (!c.waiting) {
    c.waiting = true;
    ctx.out.push({ kind: 'startTimer', timer: 'poll', delay: ctx.config.pollInterval });
    if (!c.idleAnnounced) announce(ctx, c, 'NOOP');
  }
}

function onTimer(ctx: Ctx, timer: TimerName): void {
  const c = ctx.conn;
  if (c === null || c.phase === 'gone') return;
  switch (timer) {
    case 'renew':
      if (c.idle === 'active') endIdle(ctx, c);
      return;
    case 'poll':
      if (c.waiting) {
        c.waiting = false;
        if (c.phase === 'ready' && c.inflight === null && c.lent === null) send(ctx, c, { kind: 'NOOP' });
      }
      return;
    case 'liveness':
      if (c.deadline === 'quiet' && c.idle === 'active') {
        c.probe = 'done';
        endIdle(ctx, c);
        return;
      }
      if (c.deadline === 'reply') {
        const what = c.probe !== 'none' ? 'the IMAP server reply to the liveness probe' : `the IMAP server reply to ${c.inflight ?? 'DONE'}`;
        return fail(ctx, c, new TimeoutError(what, ctx.config.replyTimeout));
      }
      return;
  }
}

/**
 * The liveness deadline: while a reply is awaited it must start within replyTimeout;
 * while idling the server must say something (or be probed) within livenessTimeout.
 * Restarted on every byte from the server and whenever the machine sends.
 */
function armLiveness(ctx: Ctx, serverInput: boolean): void {
  const c = ctx.conn;
  if (c === null || c.phase === 'gone') return;
  let want: WatchConnection['deadline'];
  if (c.phase === 'login' || c.lent !== null || (c.waiting && c.inflight === null)) want = 'none';
  else if (c.idle === 'active' && c.probe === 'none') want = 'quiet';
  else if (c.inflight !== null) want = 'reply';
  else want = 'none';
  if (want === 'none') {
    if (c.deadline !== 'none') ctx.out.push({ kind: 'cancelTimer', timer: 'liveness' });
    c.deadline = 'none';
    return;
  }
  if (want !== c.deadline || serverInput || ctx.sent) {
    c.deadline = want;
    ctx.out.push({ kind: 'startTimer', timer: 'liveness', delay: want === 'quiet' ? ctx.config.livenessTimeout : ctx.config.replyTimeout });
  }
}
