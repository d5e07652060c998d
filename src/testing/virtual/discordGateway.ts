/**
 * A scripted Discord gateway for marble tests (virtual time): an in-memory
 * `transport` for `discord()` / `shardEvents()` whose connections answer on
 * the scheduler's clock (never synchronously, like a real socket). It says
 * Hello on open, answers Identify with READY, Resume with the configured
 * replay then RESUMED, and heartbeats with ACKs unless told not to. A test
 * pushes dispatches, raw frames and closes at virtual times and reads what the
 * client sent (with its virtual time) from `sent`.
 *
 *   const ts = new TestScheduler(...);
 *   ts.run(({ expectObservable }) => {
 *     const fake = new FakeGateway(ts);
 *     const gw = discord({ token: 't', intents: 1, url: 'wss://g', scheduler: ts, transport: fake.transport });
 *     ts.schedule(() => fake.dispatch('MESSAGE_CREATE', discordMessageCreate('hi')), 10);
 *     ...
 *   });
 */
import { Observable, type SchedulerLike } from 'rxjs';
import type { Message } from '../../gateway/discord/codecs/models';
import type { WsConnection, WsInbound } from '../../gateway/transport/types';

/** One payload the client sent to a FakeGateway. */
export interface FakeGatewaySent {
  /** Virtual time of the send. */
  readonly t: number;
  /** The connection it went over (1-based, in opening order). */
  readonly conn: number;
  /** The gateway opcode (1 Heartbeat, 2 Identify, 6 Resume, ...). */
  readonly op: number;
  /** The payload's `d`. */
  readonly d: unknown;
}

/** One connection of a FakeGateway: push frames or close it from the server side. */
export class FakeGatewayConnection {
  /** True once the connection is closed (by either side). */
  closed = false;
  constructor(
    /** The connection number (1-based, in opening order; also WsConnection.id). */
    readonly id: number,
    /** The URL the client opened. */
    readonly url: string,
    private readonly scheduler: SchedulerLike,
    private readonly emit: (item: WsInbound) => void,
    private readonly end: () => void,
    /** The WsConnection the client holds. */
    readonly connection: WsConnection,
  ) {}

  /** Sends a `{op, d, s, t}` frame to the client, `delay` virtual ms after the current instant (0: the next tick of it). */
  frame(op: number, d: unknown, s: number | null = null, t: string | null = null, delay = 0): void {
    this.scheduler.schedule(() => {
      if (!this.closed) this.emit({ kind: 'Text', connection: this.connection, data: JSON.stringify({ op, d, s, t }) });
    }, delay);
  }

  /** Sends `text` to the client as is (malformed frames, odd shapes). */
  raw(text: string): void {
    this.scheduler.schedule(() => {
      if (!this.closed) this.emit({ kind: 'Text', connection: this.connection, data: text });
    }, 0);
  }

  /** The server closes the connection with `code` (e.g. 4000, 4004). */
  serverClose(code: number, reason = ''): void {
    this.finish(code, reason, false);
  }

  /** Ends the connection now: a Close item with `code`, then completion. */
  finish(code: number, reason: string, byClient: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.emit({ kind: 'Close', connection: this.connection, code, reason, initiatedByClient: byClient });
    this.end();
  }
}

/** How a FakeGateway behaves at the start. */
export interface FakeGatewayOptions {
  /** The heartbeat_interval of Hello, in ms. Default 1000. */
  readonly interval?: number;
  /** Answer heartbeats with ACKs. Default true. */
  readonly ack?: boolean;
  /** Say Hello on open. Default true. */
  readonly hello?: boolean;
}

/** The READY the fake answers Identify with (session `S1`, resume URL `wss://resume.example`). */
export const FAKE_GATEWAY_READY = {
  v: 10,
  user: { id: '1', username: 'bot', discriminator: '0', global_name: null, avatar: null },
  guilds: [],
  session_id: 'S1',
  resume_gateway_url: 'wss://resume.example',
  application: { id: '1', flags: 0 },
} as const;

/** A scripted Discord gateway on a scheduler's clock (see the module comment). */
export class FakeGateway {
  /** Every connection opened, in order (the last is `current`). */
  readonly conns: FakeGatewayConnection[] = [];
  /** Every payload the client sent, with its virtual time. */
  readonly sent: FakeGatewaySent[] = [];
  /** Answer heartbeats with ACKs (change it to simulate a zombie connection). */
  ack: boolean;
  /** Say Hello when a connection opens. */
  hello: boolean;
  /** Answer Identify with READY (false: ignore it). */
  ready = true;
  /** The heartbeat_interval of Hello, in ms. */
  interval: number;
  /** The last sequence number used (dispatches count up from it). */
  seq = 0;
  /** Frames (t, d) the server replays on the next Resume, before RESUMED. */
  replay: Array<[string, unknown]> = [];

  constructor(
    private readonly scheduler: SchedulerLike,
    options: FakeGatewayOptions = {},
  ) {
    this.ack = options.ack ?? true;
    this.hello = options.hello ?? true;
    this.interval = options.interval ?? 1000;
  }

  /** The most recently opened connection. */
  get current(): FakeGatewayConnection {
    return this.conns[this.conns.length - 1];
  }

  /** `[virtual time, op]` of what the client sent (on connection `conn`, or on all). */
  ops(conn?: number): Array<[number, number]> {
    return this.sent.filter((s) => conn === undefined || s.conn === conn).map((s) => [s.t, s.op]);
  }

  /** Dispatches event `t` (wire name, e.g. MESSAGE_CREATE) with payload `d` on the current connection, with the next sequence number. */
  dispatch(t: string, d: unknown, delay = 0): void {
    this.current.frame(0, d, ++this.seq, t, delay);
  }

  /** Dispatches a MESSAGE_CREATE (build one with `discordMessageCreate()`). */
  messageCreate(message: Message, delay = 0): void {
    this.dispatch('MESSAGE_CREATE', message, delay);
  }

  /** The transport to give `discord({ transport })`: each subscription is a new connection. */
  readonly transport = (url: string): Observable<WsInbound> =>
    new Observable<WsInbound>((subscriber) => {
      const id = this.conns.length + 1;
      let conn: FakeGatewayConnection | undefined;
      const connection: WsConnection = {
        id,
        url,
        send: (data) => {
          if (!conn || conn.closed) return false;
          const p = JSON.parse(String(data)) as { op: number; d: unknown };
          this.sent.push({ t: this.scheduler.now(), conn: id, op: p.op, d: p.d });
          this.answer(conn, p.op);
          return true;
        },
        close: (code = 1000, reason = '') => {
          const c = conn;
          this.scheduler.schedule(() => c?.finish(code, reason, true), 0);
        },
        terminate: () => {
          const c = conn;
          this.scheduler.schedule(() => c?.finish(1006, '', true), 0);
        },
      };
      conn = new FakeGatewayConnection(id, url, this.scheduler, (i) => subscriber.next(i), () => subscriber.complete(), connection);
      this.conns.push(conn);
      subscriber.next({ kind: 'Open', connection });
      if (this.hello) conn.frame(10, { heartbeat_interval: this.interval });
      return () => {
        if (conn) conn.closed = true;
      };
    });

  private answer(conn: FakeGatewayConnection, op: number): void {
    if (op === 1 && this.ack) conn.frame(11, null);
    if (op === 2 && this.ready) conn.frame(0, FAKE_GATEWAY_READY, ++this.seq, 'READY');
    if (op === 6) {
      for (const [t, data] of this.replay) conn.frame(0, data, ++this.seq, t);
      this.replay = [];
      conn.frame(0, null, ++this.seq, 'RESUMED');
    }
  }
}
