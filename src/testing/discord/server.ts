/**
 * A faithful local Discord gateway on `ws` (127.0.0.1, an ephemeral port) for
 * tests, the demo and benchmarks. It speaks gateway v10 JSON, optionally with
 * `compress=zlib-stream` (one deflate context per connection, every message
 * ending in a sync flush):
 *
 * Hello → Identify (token, intents, shard checked; max_concurrency buckets
 * per 5 s, over → op 9 false) → READY (session_id, resume_gateway_url) and a
 * GUILD_CREATE per guild; heartbeat ACKs; Resume with replay of the missed
 * dispatches from a per-session buffer then RESUMED (unknown session or a seq
 * older than the buffer → op 9 false); op 3/4/8 recorded, op 8 answered with
 * GUILD_MEMBERS_CHUNK (or RATE_LIMITED on demand). Limits enforced with their
 * close codes: payload > 4096 bytes or not JSON → 4002, more than 120 sends
 * per 60 s → 4008, unknown op → 4001, anything but heartbeat before identify
 * → 4003, second identify → 4005, bad token → 4004, bad shard → 4010,
 * sharding required → 4011, bad intents → 4013, disallowed intents → 4014.
 *
 * HTTP on the same port: GET /api/v10/gateway/bot (Authorization `Bot
 * <token>`) answers `{url, shards, session_start_limit}`, counting every
 * identify against `remaining` (an identify with none left gets op 9 false).
 * A request target that does not parse answers 400, a body over 64 KiB 413,
 * anything else 404; the server keeps serving.
 *
 * Test hooks: dispatch events, drop ACKs (zombie), kill sockets, send op 7 /
 * op 9 / op 1, close with any code, send raw text, count identifies and
 * resumes, flood N dispatches for benchmarks.
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';

/** A guild the local gateway sends a GUILD_CREATE for. */
export interface DiscordGuildSeed {
  /** The guild's snowflake id; it also decides the guild's shard (`(id >> 22) % shardCount`). */
  readonly id: string;
  /** The guild's `name` in its GUILD_CREATE. */
  readonly name: string;
}

/** Options of `startDiscordGateway`. */
export interface DiscordLocalGatewayOptions {
  /** The bot token the server accepts. Default 'local-test-token'. */
  readonly token?: string;
  /** Hello `heartbeat_interval`, ms. Default 41 250. */
  readonly heartbeatInterval?: number;
  /** The guilds sent to the shards they belong to. Default one guild, `81384788765712384` "Local Guild". */
  readonly guilds?: readonly DiscordGuildSeed[];
  /** Shard count the "bot" needs (identify with fewer → 4011). Default 1. */
  readonly requiredShards?: number;
  /** `session_start_limit.max_concurrency` of GET /gateway/bot: identify buckets per 5 s (`shard_id % maxConcurrency`). Default 1 (values below 1 count as 1). */
  readonly maxConcurrency?: number;
  /** Intent bits the application may not use (→ 4014). Default none. */
  readonly disallowedIntents?: number;
  /** Dispatches kept per session for resume. Default 10 000. */
  readonly replayBuffer?: number;
  /** Client sends per window (`sendWindowMs`, every frame counted: heartbeats, identify and resume too) before 4008. Default 120. */
  readonly sendLimit?: number;
  /** The send-limit window, ms. Default 60 000 (Discord's minute); tests with a scaled client clock shorten it. */
  readonly sendWindowMs?: number;
  /** Enforce max_concurrency identifies per 5 s (over → op 9 false). Default true; benchmarks turn it off. */
  readonly identifyRateLimit?: boolean;
  /** session_start_limit served by GET /gateway/bot. Default total 1000, remaining 1000, reset_after 86 400 000. */
  readonly sessionStartLimit?: { readonly total?: number; readonly remaining?: number; readonly resetAfter?: number };
  /** The `url` GET /gateway/bot answers and READY's `resume_gateway_url` (default: this server's ws:// URL). */
  readonly resumeGatewayUrl?: string;
  /** `shards` GET /gateway/bot recommends. Default `requiredShards`. */
  readonly recommendedShards?: number;
}

interface Session {
  readonly id: string;
  readonly shard: readonly [number, number];
  seq: number;
  /** Serialized dispatches after the oldest resumable seq, with their seq. */
  readonly buffer: Array<{ seq: number; text: string }>;
  conn: Conn | undefined;
  valid: boolean;
}

interface Conn {
  readonly ws: WebSocket;
  readonly deflate: zlib.Deflate | undefined;
  /** Pending compressed sends, in order. */
  chain: Promise<void>;
  session: Session | undefined;
  sends: number[];
  closed: boolean;
  readonly id: number;
}

/** A payload (op 3, 4 or 8) a client sent. */
export interface DiscordReceived {
  /** The opcode: 3, 4 or 8. */
  readonly op: number;
  /** The payload's `d` as sent. */
  readonly d: unknown;
  /** Id of the session that sent it (a payload before Identify closes the connection with 4003 and is not recorded). */
  readonly session: string | undefined;
}

/** One frame a client sent, as the server received it (the send-limit log). */
export interface DiscordReceivedFrame {
  /** The opcode, or -1 when the frame was not a JSON object with a numeric `op`. */
  readonly op: number;
  /** Server time (Date.now()) it arrived: the clock the send limit is enforced on. */
  readonly at: number;
  /** Which connection sent it (counts from 1, in connection order). */
  readonly connection: number;
}

/** A running local gateway (see `startDiscordGateway`). */
export interface DiscordLocalGateway {
  /** `ws://127.0.0.1:PORT` — what GET /gateway/bot returns as `url`. */
  readonly url: string;
  /** REST base serving GET /gateway/bot: `http://127.0.0.1:PORT/api/v10`. */
  readonly apiUrl: string;
  /** The port. */
  readonly port: number;
  /** The token the server accepts. */
  readonly token: string;
  /** Identifies accepted. */
  readonly identifyCount: number;
  /** Resumes accepted. */
  readonly resumeCount: number;
  /** Heartbeats received. */
  readonly heartbeatCount: number;
  /** session_start_limit.remaining now. */
  readonly sessionStartsRemaining: number;
  /** Server-side times (Date.now()) of every accepted identify, per bucket order. */
  readonly identifyTimes: readonly number[];
  /** Live connections. */
  readonly connectionCount: number;
  /** Payloads of op 3, 4 and 8 the clients sent. */
  readonly received: readonly DiscordReceived[];
  /** Every frame the clients sent (heartbeats, identify, resume included), with its arrival time. */
  readonly receivedFrames: readonly DiscordReceivedFrame[];
  /** 'identify', 'resume', 'heartbeat', 'connection', 'close' (code) events for tests to await. */
  readonly events: EventEmitter;
  /** Dispatches an event to every valid session (buffered for disconnected ones). Returns how many sessions got it. */
  dispatch(t: string, d: unknown): number;
  /** Stop (true) or resume (false) answering heartbeats: makes zombie connections. */
  dropAcks(drop: boolean): void;
  /** Drops every live TCP connection without a close frame. */
  killSockets(): void;
  /** Sends op 7 Reconnect to every live connection. */
  sendReconnect(): void;
  /** Sends op 9 to every live connection (d = resumable); with false the sessions are forgotten. */
  invalidateSessions(resumable: boolean): void;
  /** Asks every live connection for a heartbeat (op 1). */
  requestHeartbeat(): void;
  /** Closes every live connection with `code`. */
  closeWith(code: number, reason?: string): void;
  /** Sends raw text to every live, identified connection (malformed-frame tests). */
  sendRaw(text: string): void;
  /** Answer the next op 8 requests with RATE_LIMITED (retry_after seconds) instead of members. */
  rateLimitGuildMembers(retryAfter: number | undefined): void;
  /** Drops the next `count` connections at once, before Hello (resume-URL fallback tests). */
  refuseHello(count: number): void;
  /**
   * Benchmarks: sends `count` dispatches to every identified connection as
   * fast as they read (backpressure on bufferedAmount), without buffering for
   * resume. `text(seq)` builds each frame. Resolves when all are written.
   */
  flood(count: number, text: (seq: number) => string): Promise<void>;
  /** Stops the server and drops every connection. */
  close(): Promise<void>;
}

const SUFFIX = Buffer.from([0, 0, 0xff, 0xff]);

/** Starts a local Discord gateway on 127.0.0.1 (an ephemeral port). */
export async function startDiscordGateway(options: DiscordLocalGatewayOptions = {}): Promise<DiscordLocalGateway> {
  const token = options.token ?? 'local-test-token';
  const interval = options.heartbeatInterval ?? 41_250;
  const guilds = options.guilds ?? [{ id: '81384788765712384', name: 'Local Guild' }];
  const requiredShards = options.requiredShards ?? 1;
  const maxConcurrency = Math.max(1, options.maxConcurrency ?? 1);
  const replayLimit = options.replayBuffer ?? 10_000;
  const sendLimit = options.sendLimit ?? 120;
  const sendWindowMs = options.sendWindowMs ?? 60_000;
  const receivedFrames: DiscordReceivedFrame[] = [];
  let nextConnection = 1;
  const events = new EventEmitter();
  const sessions = new Map<string, Session>();
  const conns = new Set<Conn>();
  const lastIdentify = new Map<number, number>();
  const received: DiscordReceived[] = [];
  let identifyCount = 0;
  let resumeCount = 0;
  let heartbeatCount = 0;
  let dropAcks = false;
  let guildMembersRateLimit: number | undefined;
  let nextSession = 1;
  const ssl = options.sessionStartLimit ?? {};
  const startLimit = { total: ssl.total ?? 1000, remaining: ssl.remaining ?? ssl.total ?? 1000, resetAfter: ssl.resetAfter ?? 86_400_000 };
  const identifyTimes: number[] = [];
  let refuseHello = 0;

  const httpServer = http.createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(body));
    };
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    } catch {
      answer(400, { message: 'Bad request target', code: 0 });
      req.resume();
      return;
    }
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024 && !tooBig) {
        tooBig = true;
        answer(413, { message: 'Request entity too large', code: 0 });
        req.destroy();
      }
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (tooBig) return;
      if (req.method === 'GET' && path.replace(/\/+$/, '').endsWith('/gateway/bot')) {
        if (req.headers.authorization !== `Bot ${token}`) return answer(401, { message: '401: Unauthorized', code: 0 });
        return answer(200, {
          url: options.resumeGatewayUrl ?? url,
          shards: options.recommendedShards ?? requiredShards,
          session_start_limit: { total: startLimit.total, remaining: startLimit.remaining, reset_after: startLimit.resetAfter, max_concurrency: maxConcurrency },
        });
      }
      answer(404, { message: '404: Not Found', code: 0 });
    });
  });
  httpServer.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ server: httpServer, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  wss.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `ws://127.0.0.1:${port}`;
  const apiUrl = `http://127.0.0.1:${port}/api/v10`;

  const sendText = (c: Conn, text: string): void => {
    if (c.closed) return;
    if (!c.deflate) {
      c.ws.send(text);
      return;
    }
    const d = c.deflate;
    c.chain = c.chain.then(
      () =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const onData = (b: Buffer) => chunks.push(b);
          d.on('data', onData);
          d.write(text);
          d.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            d.off('data', onData);
            let out = Buffer.concat(chunks);
            if (!out.subarray(-4).equals(SUFFIX)) out = Buffer.concat([out, SUFFIX]);
            if (!c.closed) c.ws.send(out);
            resolve();
          });
        }),
    );
  };
  const send = (c: Conn, payload: { op: number; d: unknown; s?: number | null; t?: string | null }) =>
    sendText(c, JSON.stringify({ op: payload.op, d: payload.d, s: payload.s ?? null, t: payload.t ?? null }));
  /** Closes after everything queued before it is sent. */
  const closeConn = (c: Conn, code: number, reason = '') => {
    if (c.closed) return;
    void c.chain.then(() => {
      if (!c.closed) c.ws.close(code, reason);
    });
  };

  const dispatchTo = (s: Session, t: string, d: unknown): void => {
    s.seq += 1;
    const text = JSON.stringify({ op: 0, d, s: s.seq, t });
    s.buffer.push({ seq: s.seq, text });
    if (s.buffer.length > replayLimit) s.buffer.shift();
    if (s.conn && !s.conn.closed) sendText(s.conn, text);
  };

  const fail = (c: Conn, code: number, reason: string) => closeConn(c, code, reason);

  const onIdentify = (c: Conn, d: unknown) => {
    if (c.session) return fail(c, 4005, 'Already authenticated.');
    const id = d as { token?: unknown; intents?: unknown; shard?: unknown; properties?: unknown } | null;
    if (!id || typeof id !== 'object' || id.token !== token) return fail(c, 4004, 'Authentication failed.');
    if (typeof id.intents !== 'number' || !Number.isInteger(id.intents) || id.intents < 0) return fail(c, 4013, 'Invalid intent(s).');
    if (options.disallowedIntents && (id.intents & options.disallowedIntents) !== 0) return fail(c, 4014, 'Disallowed intent(s).');
    let shard: readonly [number, number] = [0, 1];
    if (id.shard !== undefined) {
      const sh = id.shard;
      if (!Array.isArray(sh) || sh.length !== 2 || !Number.isInteger(sh[0]) || !Number.isInteger(sh[1]) || sh[1] < 1 || sh[0] < 0 || sh[0] >= sh[1]) {
        return fail(c, 4010, 'Invalid shard.');
      }
      shard = [sh[0] as number, sh[1] as number];
    }
    if (shard[1] < requiredShards) return fail(c, 4011, 'Sharding required.');
    const bucket = shard[0] % maxConcurrency;
    const now = Date.now();
    const last = lastIdentify.get(bucket);
    if (options.identifyRateLimit !== false && last !== undefined && now - last < 5000) {
      send(c, { op: 9, d: false });
      return;
    }
    if (startLimit.remaining <= 0) {
      send(c, { op: 9, d: false });
      return;
    }
    startLimit.remaining--;
    lastIdentify.set(bucket, now);
    identifyTimes.push(now);
    identifyCount++;
    const s: Session = { id: `local-session-${nextSession++}`, shard, seq: 0, buffer: [], conn: c, valid: true };
    sessions.set(s.id, s);
    c.session = s;
    events.emit('identify', { shard, sessionId: s.id });
    const myGuilds = guilds.filter((g) => Number((BigInt(g.id) >> 22n) % BigInt(shard[1])) === shard[0]);
    dispatchTo(s, 'READY', {
      v: 10,
      user: { id: '1000000000000000001', username: 'local-bot', discriminator: '0', global_name: null, avatar: null, bot: true },
      guilds: myGuilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: s.id,
      resume_gateway_url: options.resumeGatewayUrl ?? url,
      shard: [shard[0], shard[1]],
      application: { id: '1000000000000000001', flags: 0 },
    });
    for (const g of myGuilds) dispatchTo(s, 'GUILD_CREATE', guildPayload(g));
  };

  const onResume = (c: Conn, d: unknown) => {
    if (c.session) return fail(c, 4005, 'Already authenticated.');
    const r = d as { token?: unknown; session_id?: unknown; seq?: unknown } | null;
    if (!r || typeof r !== 'object' || r.token !== token) return fail(c, 4004, 'Authentication failed.');
    const s = typeof r.session_id === 'string' ? sessions.get(r.session_id) : undefined;
    const seq = typeof r.seq === 'number' ? r.seq : 0;
    const oldest = s && s.buffer.length > 0 ? s.buffer[0].seq : s ? s.seq + 1 : 0;
    if (!s || !s.valid || seq > s.seq || seq + 1 < oldest) {
      send(c, { op: 9, d: false });
      return;
    }
    if (s.conn && s.conn !== c) {
      s.conn.session = undefined;
      closeConn(s.conn, 4000, 'Session resumed elsewhere.');
    }
    s.conn = c;
    c.session = s;
    resumeCount++;
    events.emit('resume', { sessionId: s.id, seq });
    for (const b of s.buffer) if (b.seq > seq) sendText(c, b.text);
    dispatchTo(s, 'RESUMED', null);
  };

  wss.on('connection', (ws, req) => {
    let q: URLSearchParams;
    try {
      q = new URL(req.url ?? '/', url).searchParams;
    } catch {
      ws.on('error', () => undefined);
      ws.close(4002, 'Bad request target.');
      return;
    }
    if (refuseHello > 0) {
      refuseHello--;
      ws.on('error', () => undefined);
      ws.terminate();
      return;
    }
    const compressed = q.get('compress') === 'zlib-stream';
    const c: Conn = { ws, deflate: compressed ? zlib.createDeflate() : undefined, chain: Promise.resolve(), session: undefined, sends: [], closed: false, id: nextConnection++ };
    conns.add(c);
    events.emit('connection', { compressed, url: req.url });
    if (q.getAll('v').length > 1 || (q.get('v') !== null && q.get('v') !== '10')) {
      closeConn(c, 4012, 'Invalid API version.');
      return;
    }

    send(c, { op: 10, d: { heartbeat_interval: interval, _trace: ['rxwire-local-gateway'] } });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (c.closed) return;
      // Every frame counts against the limit, as at Discord: heartbeats, identify and resume too.
      const now = Date.now();
      c.sends.push(now);
      while (c.sends.length > 0 && c.sends[0] <= now - sendWindowMs) c.sends.shift();
      let msg: { op?: unknown; d?: unknown } | undefined;
      try {
        msg = data.length > 4096 ? undefined : (JSON.parse(isBinary ? data.toString('utf8') : data.toString('utf8')) as { op?: unknown; d?: unknown });
      } catch {
        msg = undefined;
      }
      receivedFrames.push({ op: typeof msg === 'object' && msg !== null && typeof msg.op === 'number' ? msg.op : -1, at: now, connection: c.id });
      if (c.sends.length > sendLimit) return fail(c, 4008, 'Rate limited.');
      if (data.length > 4096) return fail(c, 4002, 'Payload too large.');
      if (msg === undefined) return fail(c, 4002, 'Error while decoding payload.');
      if (typeof msg !== 'object' || msg === null || typeof msg.op !== 'number') return fail(c, 4002, 'Error while decoding payload.');
      switch (msg.op) {
        case 1:
          heartbeatCount++;
          events.emit('heartbeat', msg.d);
          if (!dropAcks) send(c, { op: 11, d: null });
          return;
        case 2:
          return onIdentify(c, msg.d);
        case 6:
          return onResume(c, msg.d);
        case 3:
        case 4:
        case 8: {
          if (!c.session) return fail(c, 4003, 'Not authenticated.');
          received.push({ op: msg.op, d: msg.d, session: c.session.id });
          events.emit('received', msg.op, msg.d);
          if (msg.op === 8) answerMembers(c.session, msg.d);
          return;
        }
        default:
          if (!c.session) return fail(c, 4003, 'Not authenticated.');
          return fail(c, 4001, 'Unknown opcode.');
      }
    });
    ws.on('close', (code: number) => {
      c.closed = true;
      conns.delete(c);
      c.deflate?.destroy();
      const s = c.session;
      if (s && s.conn === c) {
        s.conn = undefined;
        if (code === 1000 || code === 1001) s.valid = false; // a normal close invalidates the session
      }
      events.emit('close', code);
    });
    ws.on('error', () => undefined);
  });

  const answerMembers = (s: Session, d: unknown) => {
    const r = d as { guild_id?: unknown; nonce?: unknown; user_ids?: unknown } | null;
    const nonce = r && typeof r.nonce === 'string' ? r.nonce : undefined;
    const guildId = r && typeof r.guild_id === 'string' ? r.guild_id : guilds[0]?.id ?? '0';
    if (guildMembersRateLimit !== undefined) {
      dispatchTo(s, 'RATE_LIMITED', { opcode: 8, retry_after: guildMembersRateLimit, meta: { guild_id: guildId, nonce } });
      return;
    }
    const member = (i: number) => ({ user: { id: `20000000000000000${i}`, username: `member${i}`, discriminator: '0', global_name: null, avatar: null }, roles: [], joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 });
    dispatchTo(s, 'GUILD_MEMBERS_CHUNK', { guild_id: guildId, members: [member(1), member(2)], chunk_index: 0, chunk_count: 2, nonce });
    dispatchTo(s, 'GUILD_MEMBERS_CHUNK', { guild_id: guildId, members: [member(3)], chunk_index: 1, chunk_count: 2, nonce });
  };

  const live = () => [...conns].filter((c) => !c.closed);

  return {
    url,
    apiUrl,
    port,
    token,
    get sessionStartsRemaining() {
      return startLimit.remaining;
    },
    identifyTimes,
    refuseHello(count) {
      refuseHello = count;
    },
    get identifyCount() {
      return identifyCount;
    },
    get resumeCount() {
      return resumeCount;
    },
    get heartbeatCount() {
      return heartbeatCount;
    },
    get connectionCount() {
      return live().length;
    },
    received,
    receivedFrames,
    events,
    dispatch(t, d) {
      let n = 0;
      for (const s of sessions.values()) {
        if (!s.valid) continue;
        dispatchTo(s, t, d);
        n++;
      }
      return n;
    },
    dropAcks(drop) {
      dropAcks = drop;
    },
    killSockets() {
      for (const c of live()) c.ws.terminate();
    },
    sendReconnect() {
      for (const c of live()) send(c, { op: 7, d: null });
    },
    invalidateSessions(resumable) {
      for (const c of live()) {
        if (!resumable && c.session) {
          c.session.valid = false;
          c.session = undefined;
        }
        send(c, { op: 9, d: resumable });
      }
    },
    requestHeartbeat() {
      for (const c of live()) send(c, { op: 1, d: null });
    },
    closeWith(code, reason = '') {
      for (const c of live()) closeConn(c, code, reason);
    },
    sendRaw(text) {
      for (const c of live()) if (c.session) sendText(c, text);
    },
    rateLimitGuildMembers(retryAfter) {
      guildMembersRateLimit = retryAfter;
    },
    async flood(count, text) {
      const targets = live().filter((c) => c.session);
      const drained = async (c: Conn) => {
        while (!c.closed && c.ws.bufferedAmount > 1024 * 1024) await new Promise((r) => setImmediate(r));
      };
      await Promise.all(
        targets.map(async (c) => {
          const s = c.session as Session;
          if (c.deflate) {
            // Compress everything through this connection's context first, so the
            // measured part is the client reading, not the server deflating. The
            // whole flood sits in the connection's send chain: anything else sent
            // meanwhile (an ACK) is compressed and sent after it, keeping the
            // context's order equal to the wire's.
            const d = c.deflate;
            let release: () => void = () => undefined;
            const prev = c.chain;
            c.chain = new Promise<void>((r) => (release = r));
            await prev;
            try {
            const frames: Buffer[] = [];
            for (let i = 0; i < count; i++) {
              s.seq += 1;
              frames.push(
                await new Promise<Buffer>((resolve) => {
                  const chunks: Buffer[] = [];
                  const onData = (b: Buffer) => chunks.push(b);
                  d.on('data', onData);
                  d.write(text(s.seq));
                  d.flush(zlib.constants.Z_SYNC_FLUSH, () => {
                    d.off('data', onData);
                    resolve(Buffer.concat(chunks));
                  });
                }),
              );
            }
            for (let i = 0; i < count && !c.closed; i++) {
              c.ws.send(frames[i]);
              if ((i & 255) === 255) await drained(c);
            }
            } finally {
              release();
            }
            return;
          }
          for (let i = 0; i < count && !c.closed; i++) {
            s.seq += 1;
            c.ws.send(text(s.seq));
            if ((i & 255) === 255) await drained(c);
          }
        }),
      );
    },
    async close() {
      for (const c of conns) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections?.();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

function guildPayload(g: DiscordGuildSeed): unknown {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    owner_id: '1000000000000000002',
    roles: [{ id: g.id, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '0', managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    features: [],
    unavailable: false,
    member_count: 1,
    large: false,
    joined_at: '2024-01-01T00:00:00.000Z',
    members: [],
    channels: [{ id: '81384788765712385', type: 0, guild_id: g.id, name: 'general', position: 0 }],
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
