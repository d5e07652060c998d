/**
 * The I/O edge of one shard: runs the pure session (session.ts) on a
 * WebSocket from the shared transport. It opens the sockets the session asks
 * for, feeds every socket item, timer and identify grant back in, and carries
 * out the outputs. Every socket callback and timer checks that it belongs to
 * the current connection, so a late close of an old socket can never act on
 * a new one.
 */
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { createRedactor, InvalidArgumentError, ProtocolViolationError, silentLogger, sourceLogger, type BackoffPolicy, type Logger } from '../../core';
import { connectWebSocket, createSendQueue, inflateStage, type CompressionMode, type SendQueue, type WsConnection, type WsInbound, type WsOptions } from '../transport';
import type { DiscordEvent } from './events';
import { stepFrame, textInput } from './decoder';
import { Op } from './frame';
import type { IdentifyThrottler } from './identifyThrottle';
import { RESUME_CLOSE_CODE } from './closeCodes';
import { initialSession, type GatewayPayload, type IdentifyProperties, type SessionInput, type SessionOutput, type SessionState, type Step, type StoredSession, type TimerName } from './session';

/** Discord's limit on one outgoing payload, bytes. */
export const MAX_SEND_BYTES = 4096;

/**
 * The send-limit window this side keeps, ms: Discord's 60 s plus a margin, so
 * frames that leave exactly one window apart cannot arrive less than a window
 * apart (a first frame delayed in transit more than a later one would put
 * 121 into Discord's window and close the connection with 4008).
 */
const SEND_WINDOW_MS = 61_000;

/** What the persistence hooks store per shard (as @discordjs/ws's SessionInfo). */
export interface DiscordSessionInfo {
  /** The shard's id (0-based). */
  readonly shardId: number;
  /** The shard count the session was identified with; a stored session for another count is not resumed. */
  readonly shardCount: number;
  /** READY `session_id`. */
  readonly sessionId: string;
  /** The last sequence number seen. */
  readonly sequence: number | null;
  /** The accepted resume URL, when READY offered one. */
  readonly resumeURL?: string;
}

/** Everything one shard takes. */
export interface ShardOptions {
  /** The bot token (never logged, never in an event or error). */
  readonly token: string;
  /** The gateway intents bitfield. */
  readonly intents: number;
  /** [shard id, shard count]. */
  readonly shard: readonly [number, number];
  /**
   * Gateway base URL (from GET /gateway/bot). Default wss://gateway.discord.gg.
   * The query (`v`, `encoding`, `compress`) is added after a `?` (no `/` is
   * inserted); parameters the URL already has are kept and not repeated.
   */
  readonly url?: string;
  /** Gateway version. Default 10. */
  readonly version?: number;
  /** Transport compression. Default none. */
  readonly compress?: CompressionMode;
  /** Identify `properties`. Default {os, browser: 'rxwire', device: 'rxwire'}. */
  readonly properties?: IdentifyProperties;
  /** Identify `presence`. */
  readonly presence?: unknown;
  /** Identify `large_threshold`. */
  readonly largeThreshold?: number;
  /** Hands out identify slots (shared by the shards of a gateway). */
  readonly throttler: IdentifyThrottler;
  /** Clock and timers. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** Randomness (heartbeat jitter, backoff, op 9 wait). Default Math.random. */
  readonly random?: () => number;
  /** Backoff between failed reconnects. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Ms to wait for Hello after connecting. Default 60 000. */
  readonly helloTimeout?: number;
  /** Ms to wait for Ready after Identify before trying again. Default 15 000. */
  readonly readyTimeout?: number;
  /** Sends per minute per connection, every send included (Discord: 120). */
  readonly sendLimit?: number;
  /** Largest inbound WebSocket message, bytes (ws closes with 1009 above it). Default 100 MiB. */
  readonly maxPayload?: number;
  /** zlib-stream/zstd: largest inflated message, bytes (a bomb → DecodeError, reconnect). Default 64 MiB. */
  readonly maxInflatedBytes?: number;
  /** zlib-stream: largest compressed run without a flush suffix, bytes. Default 16 MiB. */
  readonly maxPendingBytes?: number;
  /** zlib-stream: inflate on the calling thread (default, when available) or through node:zlib's stream (false). */
  readonly inflateSync?: boolean;
  /** Failed resumes on resume_gateway_url before resuming on the base URL instead. Default 3. */
  readonly maxResumeUrlFailures?: number;
  /** A pino-compatible logger (off by default); lines are redacted. */
  readonly logger?: Logger;
  /**
   * Persistence hook: the stored session of this shard, to resume after a
   * process restart (undefined → identify).
   */
  readonly retrieveSessionInfo?: (shardId: number) => DiscordSessionInfo | undefined | null;
  /** Persistence hook: called with the session to store (null when it is gone). */
  readonly updateSessionInfo?: (shardId: number, info: DiscordSessionInfo | null) => void;
  /**
   * What the last unsubscribe does to the session: 'invalidate' closes with
   * 1000 (Discord forgets the session), 'keep' closes with 4200 so it can be
   * resumed later (with the persistence hooks). Default 'invalidate'.
   */
  readonly closeSession?: 'invalidate' | 'keep';
  /** The transport; tests may inject their own. Default: `connectWebSocket`. */
  readonly transport?: (url: string, options?: WsOptions) => Observable<WsInbound>;
}

/** Lets actions send on a shard's live connection. */
export interface ShardHandle {
  /** The shard id. */
  readonly shardId: number;
  /**
   * Queues a payload on the current connection once the shard is ready; false
   * when it is not. `done(sent)` says whether it reached the socket (false: the
   * connection dropped with it queued).
   */
  send(payload: GatewayPayload, done?: (sent: boolean) => void): boolean;
  /** Whether the shard has a live, identified/resumed connection. */
  readonly ready: boolean;
}

/** The identify properties rxwire sends by default. */
export const DEFAULT_PROPERTIES: IdentifyProperties = { os: process.platform, browser: 'rxwire', device: 'rxwire' };

function byteLength(text: string): number {
  return text.length * 3 <= MAX_SEND_BYTES ? text.length : Buffer.byteLength(text);
}

// Module-local copies of the per-message functions (an imported binding may compile to a getter call per use).
const toInput = textInput;
const stepGuarded = stepFrame;

/** One shard's events. `onHandle` sees the shard's send handle (and undefined at teardown). */
export function shardEvents(options: ShardOptions, onHandle?: (h: ShardHandle | undefined) => void): Observable<DiscordEvent> {
  return new Observable<DiscordEvent>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const random = options.random ?? Math.random;
    const compress = options.compress ?? 'none';
    const transport = options.transport ?? connectWebSocket;
    const shardId = options.shard[0];
    const log = sourceLogger('discord', options.logger, createRedactor([options.token]));
    const logging = log !== silentLogger;
    const query = `v=${options.version ?? 10}&encoding=json${compress !== 'none' ? `&compress=${compress}` : ''}`;
    const gatewayBase = options.url ?? 'wss://gateway.discord.gg';
    let stored: StoredSession | undefined;
    try {
      const info = options.retrieveSessionInfo?.(shardId);
      if (info && typeof info.sessionId === 'string' && info.shardCount === options.shard[1]) {
        stored = { sessionId: info.sessionId, seq: typeof info.sequence === 'number' ? info.sequence : null, resumeUrl: info.resumeURL };
      }
    } catch (e) {
      log.warn({ shard: shardId, error: e instanceof Error ? e.message : String(e) }, 'retrieveSessionInfo threw; identifying');
    }
    let state: SessionState = initialSession({
      token: options.token,
      intents: options.intents,
      shard: options.shard,
      properties: options.properties ?? DEFAULT_PROPERTIES,
      presence: options.presence,
      largeThreshold: options.largeThreshold,
      gatewayUrl: gatewayBase,
      query,
      random,
      backoff: { initialDelay: 1000, maxDelay: 60_000, ...options.backoff },
      helloTimeout: options.helloTimeout ?? 60_000,
      readyTimeout: options.readyTimeout ?? 15_000,
      maxResumeUrlFailures: options.maxResumeUrlFailures,
      stored,
    });
    let current: { conn: number; socket?: Subscription; connection?: WsConnection; queue?: SendQueue; identify?: Subscription; inflateError?: string } | undefined;
    const timers = new Map<TimerName, Subscription>();
    let done = false;

    const storeSession = (s: SessionState) => {
      if (!options.updateSessionInfo) return;
      try {
        options.updateSessionInfo(
          shardId,
          s.sessionId === undefined ? null : { shardId, shardCount: options.shard[1], sessionId: s.sessionId, sequence: s.seq, ...(s.resumeUrl !== undefined ? { resumeURL: s.resumeUrl } : {}) },
        );
      } catch (e) {
        log.warn({ shard: shardId, error: e instanceof Error ? e.message : String(e) }, 'updateSessionInfo threw');
      }
    };

    const handle: ShardHandle = {
      shardId,
      get ready() {
        return state.phase === 'ready' && current?.queue !== undefined;
      },
      send(payload, onDone) {
        if (!this.ready || !current?.queue) return false;
        const text = JSON.stringify(payload);
        if (byteLength(text) > MAX_SEND_BYTES) return false;
        if (logging) log.debug({ shard: shardId, dir: 'out', op: payload.op }, 'frame out');
        return current.queue.send(text, false, onDone);
      },
    };

    const fail = (error: Error) => {
      if (done) return;
      done = true;
      subscriber.error(error);
    };

    // Inputs that arrive while outputs are being carried out (a transport that answers
    // synchronously) wait their turn, so outputs of one step never interleave with the next.
    // Nothing a frame carries may throw out of here (into a socket callback): a bug in
    // handling one frame becomes a DecodeError for that frame.
    const pending: SessionInput[] = [];
    let stepping = false;
    /** One input through the step function and its outputs; never throws. */
    const run1 = (inp: SessionInput) => {
      let result: Step;
      try {
        result = stepGuarded(state, inp); // a throw on a frame comes back as a DecodeError for it
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        fail(new ProtocolViolationError(`the Discord session could not handle ${inp.kind}: ${msg}`, { cause: e }));
        return;
      }
      const before = state;
      state = result[0];
      const outputs = result[1];
      try {
        for (let i = 0; i < outputs.length; i++) perform(outputs[i]);
      } catch (e) {
        // e.g. a presence that JSON cannot serialize: a typed error, never a throw into a socket callback
        fail(new InvalidArgumentError('gateway payload', `it could not be sent: ${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      if (state.sessionId !== before.sessionId || state.resumeUrl !== before.resumeUrl) storeSession(state);
    };
    const feed = (input: SessionInput) => {
      if (done) return;
      if (stepping) {
        pending.push(input);
        return;
      }
      stepping = true;
      try {
        run1(input);
        while (pending.length > 0 && !done) run1(pending.shift() as SessionInput);
      } finally {
        stepping = false;
        if (pending.length > 0) pending.length = 0; // (writing length is not free: once per frame adds up)
      }
    };

    const dropConnection = () => {
      if (!current) return;
      current.queue?.dispose();
      current.identify?.unsubscribe();
      const s = current.socket;
      current = undefined;
      s?.unsubscribe();
    };

    const closeOnUnsubscribe = options.closeSession === 'keep' ? { code: RESUME_CLOSE_CODE, reason: 'closing; session kept' } : { code: 1000 };
    // Text is decoded with replacement (Buffer#toString) and JSON.parse'd, which is all the
    // checking it needs: ws's own UTF-8 scan of every text message would be a second pass.
    const wsOptions: WsOptions = { closeOnUnsubscribe, skipUTF8Validation: true, ...(options.maxPayload !== undefined ? { maxPayload: options.maxPayload } : {}) };

    const open = (conn: number, url: string) => {
      dropConnection();
      const me: NonNullable<typeof current> = { conn };
      current = me;
      const mine = () => current === me;
      const inbound = transport(url, wsOptions).pipe(
        inflateStage(compress, {
          maxInflatedBytes: options.maxInflatedBytes,
          maxPendingBytes: options.maxPendingBytes,
          sync: options.inflateSync,
          onError: (err) => {
            if (!mine()) return;
            me.inflateError = `inflate: ${err.message}`;
            log.warn({ shard: shardId, error: err.message }, 'compressed stream broken; reconnecting');
            me.connection?.close(RESUME_CLOSE_CODE, 'corrupt compressed stream');
          },
        }),
      );
      me.socket = inbound.subscribe({
        next: (item) => {
          if (!mine()) return;
          switch (item.kind) {
            case 'Open':
              me.connection = item.connection;
              me.queue = createSendQueue((d) => item.connection.send(d), { limit: options.sendLimit ?? 120, windowMs: SEND_WINDOW_MS, scheduler });
              feed({ kind: 'Open', conn });
              return;
            case 'Text': {
              const input = toInput(conn, item.data, me.inflateError);
              if (logging && input.kind === 'Frame') log.debug({ shard: shardId, dir: 'in', op: input.frame.op, t: input.frame.t, s: input.frame.s }, 'frame in');
              feed(input);
              return;
            }
            case 'Binary':
              feed({ kind: 'BadFrame', conn, raw: item.data, error: 'binary message without compression' });
              return;
            case 'Close':
              me.queue?.dispose();
              me.queue = undefined;
              feed({ kind: 'Closed', conn, code: item.code, reason: item.reason, byClient: item.initiatedByClient });
              return;
          }
        },
        error: (err: unknown) => {
          if (!mine()) return;
          me.queue?.dispose();
          me.queue = undefined;
          feed({ kind: 'Closed', conn, code: 1006, reason: err instanceof Error ? err.message : String(err), byClient: false });
        },
      });
    };

    const perform = (o: SessionOutput) => {
      switch (o.kind) {
        case 'Emit':
          subscriber.next(o.event);
          if (o.event.type === 'Disconnected') storeSession(state);
          return;
        case 'Connect':
          open(o.conn, o.url);
          return;
        case 'Send': {
          if (current?.conn !== o.conn || !current.queue) return;
          const text = JSON.stringify(o.payload);
          const bytes = byteLength(text);
          if (bytes > MAX_SEND_BYTES) {
            // Never sent: Discord would close with 4002 and a retry would send it again.
            const what = o.payload.op === Op.Identify ? 'identify payload' : `gateway payload (op ${o.payload.op})`;
            const error = new InvalidArgumentError(what, `it is ${bytes} bytes, over Discord's limit of ${MAX_SEND_BYTES}; make the presence/properties smaller`);
            subscriber.next({ source: 'discord', type: 'Closed', shard: shardId, data: { reason: error.message } });
            fail(error);
            return;
          }
          if (logging) log.debug({ shard: shardId, dir: 'out', op: o.payload.op }, 'frame out');
          current.queue.send(text, o.bypass);
          return;
        }
        case 'StartTimer': {
          timers.get(o.name)?.unsubscribe();
          const input: SessionInput = { kind: 'Timer', conn: o.conn, name: o.name };
          timers.set(
            o.name,
            scheduler.schedule(() => {
              timers.delete(o.name);
              feed(input);
            }, o.delay),
          );
          return;
        }
        case 'CancelTimer':
          timers.get(o.name)?.unsubscribe();
          timers.delete(o.name);
          return;
        case 'RequestIdentify':
          if (current?.conn === o.conn) {
            current.identify?.unsubscribe();
            current.identify = options.throttler.acquire(shardId).subscribe({
              next: () => feed({ kind: 'IdentifyGranted', conn: o.conn }),
              error: (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
            });
          }
          return;
        case 'Close':
          if (current?.conn !== o.conn) return;
          if (o.terminate || !current.connection) {
            if (current.connection) current.connection.terminate();
            else {
              // Not open yet: drop the attempt and report it closed.
              dropConnection();
              feed({ kind: 'Closed', conn: o.conn, code: 1006, reason: o.reason, byClient: true });
            }
          } else current.connection.close(o.code, o.reason);
          return;
        case 'Log':
          log[o.level](o.fields, o.msg);
          return;
        case 'Fail':
          fail(o.error);
          return;
      }
    };

    onHandle?.(handle);
    feed({ kind: 'Start' });
    return () => {
      const wasDone = done;
      done = true;
      onHandle?.(undefined);
      for (const t of timers.values()) t.unsubscribe();
      timers.clear();
      dropConnection();
      if (!wasDone && options.closeSession === 'keep') storeSession(state);
      else if (!wasDone) storeSession({ ...state, sessionId: undefined });
    };
  });
}
