/**
 * A scripted Discord gateway for marble tests: an in-memory transport whose
 * connections answer on the TestScheduler's virtual clock (never
 * synchronously, like a real socket). It says Hello on open, answers Identify
 * with READY, Resume with the configured replay then RESUMED, and heartbeats
 * with ACKs unless told not to. Tests push frames and closes at virtual times.
 */
import { Observable, type SchedulerLike } from 'rxjs';
import type { WsConnection, WsInbound } from '../../src/gateway/transport';

export interface Sent {
  readonly t: number;
  readonly conn: number;
  readonly op: number;
  readonly d: unknown;
}

export class FakeConn {
  closed = false;
  constructor(
    readonly id: number,
    readonly url: string,
    private readonly scheduler: SchedulerLike,
    private readonly emit: (item: WsInbound) => void,
    private readonly end: () => void,
    readonly connection: WsConnection,
  ) {}

  /** Sends a frame to the client (after the current virtual instant). */
  frame(op: number, d: unknown, s: number | null = null, t: string | null = null, delay = 0): void {
    this.scheduler.schedule(() => {
      if (!this.closed) this.emit({ kind: 'Text', connection: this.connection, data: JSON.stringify({ op, d, s, t }) });
    }, delay);
  }

  raw(text: string): void {
    this.scheduler.schedule(() => {
      if (!this.closed) this.emit({ kind: 'Text', connection: this.connection, data: text });
    }, 0);
  }

  /** The server closes the connection with `code`. */
  serverClose(code: number, reason = ''): void {
    this.finish(code, reason, false);
  }

  finish(code: number, reason: string, byClient: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.emit({ kind: 'Close', connection: this.connection, code, reason, initiatedByClient: byClient });
    this.end();
  }
}

export interface FakeOptions {
  readonly interval?: number;
  readonly ack?: boolean;
  readonly hello?: boolean;
}

export class FakeGateway {
  readonly conns: FakeConn[] = [];
  readonly sent: Sent[] = [];
  ack: boolean;
  hello: boolean;
  /** Answer Identify with READY (false: ignore it). */
  ready = true;
  interval: number;
  seq = 0;
  /** Frames (t, d) the server replays on the next Resume, before RESUMED. */
  replay: Array<[string, unknown]> = [];

  constructor(
    private readonly scheduler: SchedulerLike,
    options: FakeOptions = {},
  ) {
    this.ack = options.ack ?? true;
    this.hello = options.hello ?? true;
    this.interval = options.interval ?? 1000;
  }

  get current(): FakeConn {
    return this.conns[this.conns.length - 1];
  }

  ops(conn?: number): Array<[number, number]> {
    return this.sent.filter((s) => conn === undefined || s.conn === conn).map((s) => [s.t, s.op]);
  }

  dispatch(t: string, d: unknown, delay = 0): void {
    this.current.frame(0, d, ++this.seq, t, delay);
  }

  readonly transport = (url: string): Observable<WsInbound> =>
    new Observable<WsInbound>((subscriber) => {
      const id = this.conns.length + 1;
      let conn: FakeConn | undefined;
      const connection: WsConnection = {
        id,
        url,
        send: (data) => {
          if (!conn || conn.closed) return false;
          const p = JSON.parse(String(data)) as { op: number; d: unknown };
          this.sent.push({ t: this.scheduler.now(), conn: id, op: p.op, d: p.d });
          this.answer(conn, p.op, p.d);
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
      conn = new FakeConn(id, url, this.scheduler, (i) => subscriber.next(i), () => subscriber.complete(), connection);
      this.conns.push(conn);
      subscriber.next({ kind: 'Open', connection });
      if (this.hello) conn.frame(10, { heartbeat_interval: this.interval });
      return () => {
        if (conn) conn.closed = true;
      };
    });

  private answer(conn: FakeConn, op: number, d: unknown): void {
    if (op === 1 && this.ack) conn.frame(11, null);
    if (op === 2 && this.ready) {
      conn.frame(0, { v: 10, user: { id: '1', username: 'bot', discriminator: '0', global_name: null, avatar: null }, guilds: [], session_id: 'S1', resume_gateway_url: 'wss://resume.example', application: { id: '1', flags: 0 } }, ++this.seq, 'READY');
    }
    if (op === 6) {
      for (const [t, data] of this.replay) conn.frame(0, data, ++this.seq, t);
      this.replay = [];
      conn.frame(0, null, ++this.seq, 'RESUMED');
    }
  }
}
