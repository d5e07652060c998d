/**
 * A faithful local Bonfire (Stoat's events gateway) on 127.0.0.1 for tests,
 * the demo and the benchmark. It speaks EventV1 as stoatchat's bonfire does:
 * `?version=1&format=json|msgpack`, the token in the query or in an
 * Authenticate frame, then Authenticated and a Ready holding the fields the
 * `ready=` parameters select (the server's default set otherwise), Ping →
 * Pong with the same data, typing broadcasts, Bulk, `{type:"Error",
 * data:{type:"InvalidSession"}}` then a close for a refused token, close 1007
 * for a frame it cannot decode and 3000 for a message before authentication.
 * Test hooks emit any event, drop sockets, log the session out, or stop Pongs.
 */
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { ReadyData } from '../../gateway/stoat/codecs/events';
import { STOAT_IDS, stoatReady } from './fixtures';

/** Options of `startStoatServer`. */
export interface StoatServerOptions {
  /** Valid tokens → user id. Default `{ 'stoat-test-token': STOAT_IDS.me }`. */
  readonly tokens?: Readonly<Record<string, string>>;
  /** The full Ready payload the `ready=` fields select from. Default: `stoatReadyFixture()`. */
  readonly ready?: ReadyData;
  /** Answer Pings (default true). */
  readonly pong?: boolean;
  /** Active slowmodes sent as `UserSlowmodes` right after Ready (as Bonfire does when there are any). */
  readonly slowmodes?: ReadonlyArray<{ readonly channel_id: string; readonly duration: number; readonly retry_after: number }>;
  /** Port to listen on; default 0 (ephemeral). */
  readonly port?: number;
  /** Largest HTTP request body accepted (bytes) before answering 413; default 64 KiB (Bonfire takes none). */
  readonly maxBodyBytes?: number;
}

type Format = 'json' | 'msgpack';

interface Client {
  readonly socket: WebSocket;
  readonly format: Format;
  readonly readyFields: readonly string[] | undefined;
  readonly sessionId: string;
  userId: string | undefined;
}

/** One message the server received, as decoded (an Authenticate's token is replaced by `***`). */
export interface StoatReceived {
  /** The connection it came on: `session-1`, `session-2`, ... in the order connections were accepted (as in `sessionIds`). */
  readonly sessionId: string;
  /** The client frame decoded from JSON or MessagePack: an object with a string `type` and the frame's other fields. */
  readonly message: Readonly<Record<string, unknown>>;
}

const DEFAULT_FIELDS = ['users', 'servers', 'channels', 'members', 'emojis', 'voice_states', 'policy_changes'];
const LIST_FIELDS = new Set(['users', 'servers', 'channels', 'members', 'emojis', 'voice_states', 'channel_unreads', 'policy_changes']);

/**
 * A running local Bonfire: its `url`, what it `received`, and hooks to emit
 * events, drop or close sockets, log sessions out, stop Pongs. Start one with
 * `startStoatServer()`; `close()` it after the test.
 */
export class StoatTestServer {
  /** Base URL, e.g. `ws://127.0.0.1:40123/`. */
  readonly url: string;
  /** Every message the server received, in order. */
  readonly received: StoatReceived[] = [];
  private readonly clients = new Set<Client>();
  private readonly waiters: Array<{ n: number; resolve: () => void }> = [];
  private tokens: Map<string, string>;
  private readyData: ReadyData;
  private pong: boolean;
  private readonly slowmodes: ReadonlyArray<Readonly<Record<string, unknown>>>;
  private sessions = 0;
  /** Connections accepted so far (authenticated or not). */
  connections = 0;

  constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    options: StoatServerOptions,
  ) {
    const port = (http.address() as AddressInfo).port;
    this.url = `ws://127.0.0.1:${port}/`;
    this.tokens = new Map(Object.entries(options.tokens ?? { 'stoat-test-token': STOAT_IDS.me }));
    this.readyData = options.ready ?? stoatReady();
    this.pong = options.pong ?? true;
    this.slowmodes = options.slowmodes ?? [];
    wss.on('connection', (socket, req) => this.accept(socket, req.url ?? '/'));
    const maxBody = options.maxBodyBytes ?? 64 * 1024;
    // Plain HTTP: a bad target is 400, a body over the limit 413 (read no further), anything else 426.
    http.on('request', (req, res) => {
      const answer = (status: number, text: string): void => {
        if (res.headersSent) return;
        res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
        res.end(text);
      };
      if (requestQuery(req) === undefined) return answer(400, 'bad request target');
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBody) {
        answer(413, 'request body too large');
        req.destroy();
        return;
      }
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) {
          answer(413, 'request body too large');
          req.destroy();
        }
      });
      req.on('error', () => undefined);
      req.on('end', () => answer(426, 'this is a WebSocket endpoint: connect with ?version=1&format=json|msgpack'));
    });
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.on('error', () => undefined);
      if (requestQuery(req) === undefined) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
    http.on('clientError', (_err, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Clients past Ready. */
  get readyClients(): number {
    let n = 0;
    for (const c of this.clients) if (c.userId !== undefined) n++;
    return n;
  }

  /** Resolves once at least `n` clients are past Ready (no polling: checked on each Ready sent). */
  waitForClients(n: number): Promise<void> {
    if (this.readyClients >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** Replaces the Ready payload the next connections get. */
  setReady(data: ReadyData): void {
    this.readyData = data;
  }

  /** Turns Pong answers on or off (off: clients see a dead connection). */
  setPong(on: boolean): void {
    this.pong = on;
  }

  /** Refuses `token` from now on (the next Authenticate gets InvalidSession). */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** Sends an EventV1 object (with its wire `type`) to every client past Ready. Returns how many got it. */
  emit(event: Readonly<Record<string, unknown>>): number {
    let n = 0;
    for (const c of this.clients) {
      if (c.userId === undefined) continue;
      this.send(c, event);
      n++;
    }
    return n;
  }

  /** Sends several events in one `{type:"Bulk", v}` frame. */
  emitBulk(events: ReadonlyArray<Readonly<Record<string, unknown>>>): number {
    return this.emit({ type: 'Bulk', v: events });
  }

  /**
   * Sends `count` copies of one event to every client past Ready as fast as
   * the sockets take them (in batches, waiting for each batch to be written),
   * for load tests. Resolves when everything is written.
   */
  async emitMany(event: Readonly<Record<string, unknown>>, count: number, batch = 256): Promise<void> {
    const targets = [...this.clients].filter((c) => c.userId !== undefined);
    await Promise.all(
      targets.map(async (c) => {
        const data = c.format === 'msgpack' ? msgpackEncode(event) : JSON.stringify(event);
        for (let sent = 0; sent < count; ) {
          const n = Math.min(batch, count - sent);
          await new Promise<void>((resolve, reject) => {
            for (let i = 0; i < n; i++) c.socket.send(data, { binary: c.format === 'msgpack' }, i === n - 1 ? (err) => (err ? reject(err) : resolve()) : undefined);
          });
          sent += n;
        }
      }),
    );
  }

  /** Sends raw bytes/text (malformed frames, hand-made payloads) to every client past Ready. */
  sendRaw(data: string | Buffer): number {
    let n = 0;
    for (const c of this.clients) {
      if (c.userId === undefined) continue;
      c.socket.send(data, { binary: typeof data !== 'string' });
      n++;
    }
    return n;
  }

  /** Drops every socket without a closing handshake (as a crashed node would). */
  drop(): void {
    for (const c of this.clients) c.socket.terminate();
  }

  /** Closes every socket with a code. */
  closeAll(code = 1000, reason = ''): void {
    for (const c of this.clients) c.socket.close(code, reason);
  }

  /** Deletes the clients' sessions: Bonfire sends Logout to the current session, then closes. */
  logout(): void {
    for (const c of this.clients) {
      if (c.userId === undefined) continue;
      this.send(c, { type: 'Logout' });
      c.socket.close(1000);
    }
  }

  /** Session ids of the clients past Ready, oldest first (one session per connection here). */
  get sessionIds(): string[] {
    return [...this.clients].filter((c) => c.userId !== undefined).map((c) => c.sessionId);
  }

  /**
   * Deletes one session as Bonfire relays it: the client on that session gets
   * Logout and is closed; the user's other clients get `DeleteSession`.
   */
  deleteSession(sessionId: string): void {
    for (const c of [...this.clients]) {
      if (c.userId === undefined) continue;
      if (c.sessionId === sessionId) {
        this.send(c, { type: 'Logout' });
        c.socket.close(1000);
      } else {
        this.send(c, { type: 'DeleteSession', user_id: c.userId, session_id: sessionId });
      }
    }
  }

  /** Deletes every session but `exclude`: those clients get Logout and are closed; the excluded one gets `DeleteAllSessions`. */
  deleteAllSessions(exclude?: string): void {
    for (const c of [...this.clients]) {
      if (c.userId === undefined) continue;
      if (exclude !== undefined && c.sessionId === exclude) {
        this.send(c, { type: 'DeleteAllSessions', user_id: c.userId, exclude_session_id: exclude });
      } else {
        this.send(c, { type: 'Logout' });
        c.socket.close(1000);
      }
    }
  }

  /** Drops every socket and stops listening. */
  close(): Promise<void> {
    for (const c of this.clients) c.socket.terminate();
    return new Promise((resolve) => this.wss.close(() => {
      this.http.closeAllConnections();
      this.http.close(() => resolve());
    }));
  }

  private accept(socket: WebSocket, path: string): void {
    this.connections++;
    const query = parseQuery(path) ?? new URLSearchParams();
    const format: Format = query.get('format') === 'msgpack' ? 'msgpack' : 'json';
    const ready = query.getAll('ready');
    const client: Client = { socket, format, readyFields: ready.length > 0 ? ready : undefined, sessionId: `session-${++this.sessions}`, userId: undefined };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => undefined);
    let authenticated = false;
    const queryToken = query.get('token');
    if (queryToken !== null) authenticated = this.authenticate(client, queryToken);

    socket.on('message', (data: RawData, isBinary: boolean) => {
      const message = decodeClientFrame(data, isBinary, format);
      if (message === undefined) {
        socket.close(1007, 'invalid payload');
        return;
      }
      this.received.push({ sessionId: client.sessionId, message: message.type === 'Authenticate' ? { ...message, token: '***' } : message });
      if (!authenticated) {
        if (message.type !== 'Authenticate' || typeof message.token !== 'string') {
          socket.close(3000, 'not authenticated');
          return;
        }
        authenticated = this.authenticate(client, message.token);
        return;
      }
      switch (message.type) {
        case 'Ping':
          if (this.pong) this.send(client, { type: 'Pong', data: message.data });
          return;
        case 'BeginTyping':
        case 'EndTyping':
          if (typeof message.channel === 'string')
            this.emit({ type: message.type === 'BeginTyping' ? 'ChannelStartTyping' : 'ChannelStopTyping', id: message.channel, user: client.userId });
          return;
        default:
          return; // Subscribe, a second Authenticate, Pong: nothing to answer
      }
    });
  }

  private authenticate(client: Client, token: string): boolean {
    const user = this.tokens.get(token);
    if (user === undefined) {
      this.send(client, { type: 'Error', data: { type: 'InvalidSession', location: 'crates/core/database/src/models/users/model.rs:0:0' } });
      client.socket.close(1000);
      return false;
    }
    this.send(client, { type: 'Authenticated' });
    this.send(client, { type: 'Ready', ...this.selectReady(client.readyFields) });
    if (this.slowmodes.length > 0) this.send(client, { type: 'UserSlowmodes', slowmodes: this.slowmodes });
    client.userId = user;
    const ready = this.readyClients;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (ready >= this.waiters[i].n) {
        this.waiters[i].resolve();
        this.waiters.splice(i, 1);
      }
    }
    return true;
  }

  private selectReady(fields: readonly string[] | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const data: Record<string, unknown> = this.readyData;
    const settingsKeys: string[] = [];
    for (const f of fields ?? DEFAULT_FIELDS) {
      const m = /^user_settings\[(.+)\]$/.exec(f);
      if (m) settingsKeys.push(m[1]);
      else if (LIST_FIELDS.has(f)) out[f] = data[f] ?? [];
    }
    if (settingsKeys.length > 0) {
      const all = this.readyData.user_settings ?? {};
      const picked: Record<string, unknown> = {};
      for (const k of settingsKeys) if (k in all) picked[k] = all[k];
      out.user_settings = picked;
    }
    return out;
  }

  private send(client: Client, event: Readonly<Record<string, unknown>>): void {
    if (client.socket.readyState !== client.socket.OPEN) return;
    if (client.format === 'msgpack') client.socket.send(msgpackEncode(event), { binary: true });
    else client.socket.send(JSON.stringify(event));
  }
}

function decodeClientFrame(data: RawData, isBinary: boolean, format: Format): Record<string, unknown> | undefined {
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  try {
    const v: unknown = isBinary && format === 'msgpack' ? msgpackDecode(buf) : JSON.parse(buf.toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    return typeof o.type === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

function parseQuery(target: string): URLSearchParams | undefined {
  try {
    return new URL(target, 'http://localhost').searchParams;
  } catch {
    return undefined;
  }
}

function requestQuery(req: IncomingMessage): URLSearchParams | undefined {
  return parseQuery(req.url ?? '/');
}

/** Starts a local Bonfire on 127.0.0.1 (an ephemeral port unless given). */
export function startStoatServer(options: StoatServerOptions = {}): Promise<StoatTestServer> {
  return new Promise((resolve, reject) => {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve(new StoatTestServer(http, wss, options)));
  });
}
