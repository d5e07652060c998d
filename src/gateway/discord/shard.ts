/**
 * The I/O edge of one shard: runs the pure session (session.ts) on a
 * WebSocket from the shared transport. It opens the sockets the session asks
 * for, feeds every socket item, timer and identify grant back in, and carries
 * out the outputs. Every socket callback and timer checks that it belongs to
 * the current connection, so a late close of an old socket can never act on
 * a new one.
 */
import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { BackoffPolicy } from '../../core';
import { connectWebSocket, createSendQueue, inflateStage, type CompressionMode, type SendQueue, type WsConnection, type WsInbound, type WsOptions } from '../transport';
import type { DiscordEvent } from './events';
import { parseFrame } from './frame';
import type { IdentifyThrottler } from './identifyThrottle';
import { initialSession, step, type GatewayPayload, type IdentifyProperties, type SessionInput, type SessionOutput, type SessionState, type TimerName } from './session';

export interface ShardOptions {
  readonly token: string;
  readonly intents: number;
  readonly shard: readonly [number, number];
  /** Gateway base URL (from GET /gateway/bot). Default wss://gateway.discord.gg. */
  readonly url?: string;
  readonly version?: number;
  readonly compress?: CompressionMode;
  readonly properties?: IdentifyProperties;
  readonly presence?: unknown;
  readonly largeThreshold?: number;
  readonly throttler: IdentifyThrottler;
  readonly scheduler?: SchedulerLike;
  readonly random?: () => number;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly helloTimeout?: number;
  /** Ms to wait for Ready after Identify before trying again. Default 15 000. */
  readonly readyTimeout?: number;
  /** Sends per minute per connection (Discord: 120). */
  readonly sendLimit?: number;
  /** The transport; tests may inject their own. Default: `connectWebSocket`. */
  readonly transport?: (url: string, options?: WsOptions) => Observable<WsInbound>;
}

/** Lets actions send on a shard's live connection. */
export interface ShardHandle {
  readonly shardId: number;
  /** Queues a payload on the current connection once the shard is ready; false when it is not. */
  send(payload: GatewayPayload): boolean;
  readonly ready: boolean;
}

export const DEFAULT_PROPERTIES: IdentifyProperties = { os: process.platform, browser: 'rxwire', device: 'rxwire' };

/** One shard's events. `onHandle` sees the shard's send handle (and undefined at teardown). */
export function shardEvents(options: ShardOptions, onHandle?: (h: ShardHandle | undefined) => void): Observable<DiscordEvent> {
  return new Observable<DiscordEvent>((subscriber) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const random = options.random ?? Math.random;
    const compress = options.compress ?? 'none';
    const transport = options.transport ?? connectWebSocket;
    const query = `v=${options.version ?? 10}&encoding=json${compress !== 'none' ? `&compress=${compress}` : ''}`;
    let state: SessionState = initialSession({
      token: options.token,
      intents: options.intents,
      shard: options.shard,
      properties: options.properties ?? DEFAULT_PROPERTIES,
      presence: options.presence,
      largeThreshold: options.largeThreshold,
      gatewayUrl: options.url ?? 'wss://gateway.discord.gg',
      query,
      random,
      backoff: { initialDelay: 1000, maxDelay: 60_000, ...options.backoff },
      helloTimeout: options.helloTimeout ?? 60_000,
      readyTimeout: options.readyTimeout ?? 15_000,
    });
    let current: { conn: number; socket?: Subscription; connection?: WsConnection; queue?: SendQueue; identify?: Subscription } | undefined;
    const timers = new Map<TimerName, Subscription>();
    let done = false;

    const handle: ShardHandle = {
      shardId: options.shard[0],
      get ready() {
        return state.phase === 'ready' && current?.queue !== undefined;
      },
      send(payload) {
        if (!this.ready || !current?.queue) return false;
        return current.queue.send(JSON.stringify(payload));
      },
    };

    // Inputs that arrive while outputs are being carried out (a transport that answers
    // synchronously) wait their turn, so outputs of one step never interleave with the next.
    const pending: SessionInput[] = [];
    let stepping = false;
    const feed = (input: SessionInput) => {
      if (done) return;
      pending.push(input);
      if (stepping) return;
      stepping = true;
      try {
        while (pending.length > 0 && !done) {
          const [next, outputs] = step(state, pending.shift() as SessionInput);
          state = next;
          for (const o of outputs) perform(o);
        }
      } finally {
        stepping = false;
        pending.length = 0;
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

    const open = (conn: number, url: string) => {
      dropConnection();
      const me: NonNullable<typeof current> = { conn };
      current = me;
      const mine = () => current === me;
      const inbound = transport(url, { closeOnUnsubscribe: { code: 1000 } }).pipe(
        inflateStage(compress, {
          onError: () => {
            if (mine()) me.connection?.close(4200, 'corrupt compressed stream');
          },
        }),
      );
      me.socket = inbound.subscribe({
        next: (item) => {
          if (!mine()) return;
          switch (item.kind) {
            case 'Open':
              me.connection = item.connection;
              me.queue = createSendQueue((d) => item.connection.send(d), { limit: options.sendLimit ?? 120, scheduler });
              feed({ kind: 'Open', conn });
              return;
            case 'Text': {
              const f = parseFrame(item.data);
              if (typeof f === 'string') feed({ kind: 'BadFrame', conn, raw: item.data, error: f });
              else feed({ kind: 'Frame', conn, frame: f });
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
          return;
        case 'Connect':
          open(o.conn, o.url);
          return;
        case 'Send':
          if (current?.conn === o.conn && current.queue) current.queue.send(JSON.stringify(o.payload), o.bypass);
          return;
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
            current.identify = options.throttler.acquire(options.shard[0]).subscribe(() => feed({ kind: 'IdentifyGranted', conn: o.conn }));
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
        case 'Fail':
          done = true;
          subscriber.error(o.error);
          return;
      }
    };

    onHandle?.(handle);
    feed({ kind: 'Start' });
    return () => {
      done = true;
      onHandle?.(undefined);
      for (const t of timers.values()) t.unsubscribe();
      timers.clear();
      dropConnection();
    };
  });
}
