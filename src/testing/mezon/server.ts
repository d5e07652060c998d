/**
 * A faithful local Mezon server on 127.0.0.1 and an ephemeral port: the token
 * endpoint and the realtime socket, in-process, for tests and the demo.
 *
 * - `POST /v2/apps/authenticate/token` with Basic `clientId:apiKey` (the older
 *   SDK's `apiKey:` + `{account:{token}}` is accepted too) → a Session (JSON,
 *   or protobuf with `Accept: application/x-protobuf`); bad credentials → 401.
 * - `GET /ws?lang=en&status=...&token=...&format=protobuf|json`: an unknown
 *   token is refused at the upgrade with 401. `format=protobuf` (or the
 *   `protobuf` subprotocol) → binary Envelopes; otherwise JSON text frames
 *   (protobuf JSON mapping). It speaks the current schema generation
 *   (int32 cid, mezonai/mezon-protocol as generated into rxwire); a request
 *   whose cid came as a string (the previous generation, e.g. mezon-sdk
 *   2.8.33) is answered with a string cid. Pushes carry no cid (the same in
 *   both generations).
 * - Hostile requests: an unparseable request target gets 400, a body over
 *   `maxBodyBytes` (default 1 MiB) 413 without being buffered; the server
 *   keeps serving.
 * - Requests are answered with their cid: ping → pong, clan_join (member
 *   clans and "0" only), channel_join (after its clan), channel_message_send
 *   (after its channel: "Must join channel before sending messages"; the
 *   message is then pushed to every socket in the clan), message_reaction_event,
 *   message_typing_event; anything else → an `error` reply.
 * - Hooks: push any event or raw frame, send raw API-response chunks, stop
 *   answering pings, drop sockets, and read what clients sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import {
  MEZON_FIELD_OF,
  decodeEnvelopeBinaryParts,
  decodeEnvelopeJsonParts,
  encodeApiChunk,
  encodeBinary,
  encodeEnvelopeBinary,
  encodeEnvelopeJson,
  wireMessage,
  type EnvelopeObject,
  type EnvelopeParts,
  type MezonEventType,
} from '../../gateway/mezon';

/** Options of the local Mezon server. */
export interface MezonServerOptions {
  /** Accepted bot id. Default 'rxwire-bot'. */
  readonly clientId?: string;
  /** Accepted API key. Default 'rxwire-test-key'. */
  readonly apiKey?: string;
  /** The bot's user id. */
  readonly userId?: string;
  /** Clans the bot is a member of (clan "0" always). Default ['1840651530236071936']. */
  readonly clans?: readonly string[];
  /** Answer pings. Default true. */
  readonly autoPong?: boolean;
  /** The largest HTTP request body accepted, bytes (larger: 413). Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Makes each session token. Default: a JWT-shaped token with the bot's user id. */
  readonly issueToken?: () => string;
}

/** A frame a client sent, decoded. */
export interface MezonReceived {
  /** Which socket sent it (1-based, in accept order). */
  readonly socket: number;
  /** That socket's framing. */
  readonly format: 'protobuf' | 'json';
  /** `{ cid, [field]: payload }`, payload decoded with every default filled. */
  readonly envelope: EnvelopeObject;
  /** The populated Envelope field. */
  readonly field: string | undefined;
  /** The request id (0 for none). */
  readonly cid: number;
  /** True when the client wrote its cid as a string (the previous schema generation). */
  readonly cidString: boolean;
}

interface Conn {
  readonly id: number;
  readonly ws: WebSocket;
  readonly format: 'protobuf' | 'json';
  readonly clans: Set<string>;
  readonly channels: Set<string>;
}

const BAD_INPUT = 3;

/** Typed event data (as decoded by rxwire) → the wire payload of its Envelope field. */
export function mezonWirePayload(type: MezonEventType, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (type !== 'ChannelMessage') return { ...data };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const bytes = (message: string, key: string, v: unknown): Uint8Array => (v instanceof Uint8Array ? v : encodeBinary(wireMessage(message), { [key]: list(v) }));
  const content = data.content;
  return {
    ...data,
    content: typeof content === 'string' ? content : JSON.stringify(content ?? {}),
    reactions: bytes('mezon.api.MessageReactionList', 'reactions', data.reactions),
    mentions: bytes('mezon.api.MessageMentionList', 'mentions', data.mentions),
    attachments: bytes('mezon.api.MessageAttachmentList', 'attachments', data.attachments),
    references: bytes('mezon.api.MessageRefList', 'refs', data.references),
  };
}

function fakeJwt(userId: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ uid: userId, exp: now + 3600, vrs: {}, tid: randomBytes(8).toString('hex') })}.${randomBytes(16).toString('base64url')}`;
}

/** The local Mezon server (token endpoint and realtime socket). */
export class MezonTestServer {
  /** The accepted bot id. */
  readonly clientId: string;
  /** The accepted API key; change it (`rotateApiKey`) to make the bot's credentials invalid. */
  apiKey: string;
  /** The bot's user id (in sessions and echoes). */
  readonly userId: string;
  /** Every client frame, in arrival order. */
  readonly received: MezonReceived[] = [];
  /** How many sockets were accepted in total. */
  socketsAccepted = 0;
  /** Whether pings are answered (set false to simulate a dead connection). */
  autoPong: boolean;
  /** The largest HTTP request body accepted, bytes. */
  readonly maxBodyBytes: number;
  /** Request fields the server reads but never answers (to test requests a disconnect drops). */
  readonly unanswered = new Set<string>();
  /** The session token issued last ('' before any). */
  lastToken = '';

  private readonly issueToken: (() => string) | undefined;
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (protocols) => (protocols.has('protobuf') ? 'protobuf' : false) });
  private readonly memberClans: Set<string>;
  private readonly tokens = new Set<string>();
  private readonly conns = new Map<number, Conn>();
  private readonly sockets = new Set<Socket>();
  private readonly waiters: Array<() => void> = [];
  private readonly apiResponses = new Map<string, { code: number; data: Uint8Array; chunkSize: number }>();
  private nextConn = 1;
  private nextMessageId = 1840800000000000000n;

  /** A server with these options (not yet listening: call `listen()`, or use `startMezonServer`). */
  constructor(options: MezonServerOptions = {}) {
    this.clientId = options.clientId ?? 'rxwire-bot';
    this.apiKey = options.apiKey ?? 'rxwire-test-key';
    this.userId = options.userId ?? '1831510401300041729';
    this.memberClans = new Set(['0', ...(options.clans ?? ['1840651530236071936'])]);
    this.autoPong = options.autoPong ?? true;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.issueToken = options.issueToken;
    this.http = createServer((req, res) => this.onHttp(req, res));
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Starts listening on 127.0.0.1 and an ephemeral port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }
  /** HTTP API base, e.g. http://127.0.0.1:PORT. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** Open sockets. */
  get connections(): number {
    return this.conns.size;
  }

  /** Resolves when at least `n` sockets are open (and have joined clan "0", i.e. are ready for pushes when `joined`). */
  waitForConnections(n = 1, joined = true): Promise<void> {
    const ok = () => [...this.conns.values()].filter((c) => !joined || c.clans.has('0')).length >= n;
    if (ok()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const check = () => {
        if (ok()) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  /** Pushes one event (typed data as rxwire decodes it) to every open socket, each in its framing. */
  pushEvent(type: MezonEventType, data: Readonly<Record<string, unknown>>): void {
    this.push({ [MEZON_FIELD_OF[type]]: mezonWirePayload(type, data) });
  }

  /** Pushes an Envelope (fields in wire form) to every open socket. */
  push(envelope: EnvelopeObject): void {
    for (const c of this.conns.values()) this.send(c, envelope);
  }

  /** Sends a raw frame (binary or text) to every open socket, e.g. malformed protobuf. */
  pushRaw(data: Uint8Array | string): void {
    for (const c of this.conns.values()) c.ws.send(data);
  }

  /** Sends a raw API response for `cid`, split into chunks, to every open socket. */
  pushApiResponse(cid: number, code: number, data: Uint8Array, chunkSize = 1024): void {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
    if (chunks.length === 0) chunks.push(new Uint8Array(0));
    chunks.forEach((chunk, i) => this.pushRaw(encodeApiChunk(cid, code, i === chunks.length - 1, chunk)));
  }

  /**
   * How to answer a `list_data_socket` request for `apiName`: a raw API
   * response (0xFF frames) with this code and body, in chunks. Unknown names
   * are answered with code 404 and an empty body.
   */
  setApiResponse(apiName: string, code: number, data: Uint8Array, chunkSize = 1024): void {
    this.apiResponses.set(apiName, { code, data, chunkSize });
  }

  /** Forgets every session token issued so far: sockets opened with them are refused (401 at the upgrade). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Replaces the accepted API key (the old one then fails with 401). */
  rotateApiKey(apiKey: string): void {
    this.apiKey = apiKey;
  }

  /** Drops every socket without a close frame (as a network failure would). */
  dropAll(): void {
    for (const c of this.conns.values()) c.ws.terminate();
  }

  /** Closes every socket with a close frame. */
  closeAll(code = 1001, reason = 'server going away'): void {
    for (const c of this.conns.values()) c.ws.close(code, reason);
  }

  /** Drops every socket and stops the server. */
  async close(): Promise<void> {
    for (const c of this.conns.values()) c.ws.terminate();
    this.wss.close();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- HTTP ----

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    let target: URL;
    try {
      target = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      req.resume();
      return json(res, 400, { code: 3, message: 'Bad request target' });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > this.maxBodyBytes) return tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > this.maxBodyBytes) {
        refused = true;
        chunks.length = 0;
        tooLarge(req, res);
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (refused) return;
      const path = target.pathname;
      if (path !== '/v2/apps/authenticate/token') return json(res, 404, { code: 5, message: 'Not Found' });
      if (req.method !== 'POST') return json(res, 405, { code: 12, message: 'Method Not Allowed' });
      let bodyToken: unknown;
      try {
        const body: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        bodyToken = typeof body === 'object' && body !== null ? (body as { account?: { token?: unknown } }).account?.token : undefined;
      } catch {
        return json(res, 400, { code: 3, message: 'Unable to unmarshal request body' });
      }
      const auth = req.headers.authorization ?? '';
      const m = /^Basic\s+(.+)$/i.exec(auth);
      const [user, ...rest] = m ? Buffer.from(m[1], 'base64').toString('utf8').split(':') : [''];
      const pass = rest.join(':');
      const ok = (user === this.clientId && pass === this.apiKey) || (user === this.apiKey && bodyToken === this.apiKey);
      if (!ok) return json(res, 401, { code: 16, message: 'Invalid bot credentials', error: 'Unauthorized' });
      const token = this.issueToken ? this.issueToken() : fakeJwt(this.userId);
      this.tokens.add(token);
      this.lastToken = token;
      const session = { created: false, token, refresh_token: fakeJwt(this.userId), user_id: this.userId, api_url: `127.0.0.1:${this.port}`, ws_url: `127.0.0.1:${this.port}` };
      if ((req.headers.accept ?? '').includes('application/x-protobuf')) {
        const bytes = encodeBinary(wireMessage('mezon.api.Session'), session);
        res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': bytes.length });
        res.end(Buffer.from(bytes));
        return;
      }
      json(res, 200, session);
    });
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => undefined);
    let u: URL;
    try {
      u = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request');
      return;
    }
    const token = u.searchParams.get('token') ?? '';
    if (u.pathname !== '/ws' || !this.tokens.has(token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nUnauthorized');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const protobuf = u.searchParams.get('format') === 'protobuf' || ws.protocol === 'protobuf';
      const conn: Conn = { id: this.nextConn++, ws, format: protobuf ? 'protobuf' : 'json', clans: new Set(), channels: new Set() };
      this.conns.set(conn.id, conn);
      this.socketsAccepted++;
      ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(conn, data, isBinary));
      ws.on('close', () => this.conns.delete(conn.id));
      ws.on('error', () => undefined);
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }

  // ---- socket ----

  private send(c: Conn, envelope: EnvelopeObject, cidString = false): void {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    c.ws.send(c.format === 'protobuf' ? encodeEnvelopeBinary(envelope, { cidString }) : encodeEnvelopeJson(envelope, { cidString }));
  }

  private onFrame(c: Conn, data: Buffer, isBinary: boolean): void {
    let parts: EnvelopeParts;
    try {
      parts = isBinary ? decodeEnvelopeBinaryParts(data) : decodeEnvelopeJsonParts(data.toString('utf8'));
    } catch {
      c.ws.close(1007, 'malformed envelope');
      return;
    }
    const { field, cid, cidString } = parts;
    const env: EnvelopeObject = field === undefined ? { cid } : { cid, [field]: parts.payload };
    this.received.push({ socket: c.id, format: c.format, envelope: env, field, cid, cidString });
    const body = (field ? parts.payload : undefined) as Record<string, unknown> | undefined;
    const reply = (envelope: Record<string, unknown>): void => this.send(c, { cid, ...envelope }, cidString);
    const fail = (message: string, code = BAD_INPUT): void => reply({ error: { code, message, context: {} } });
    if (field !== undefined && this.unanswered.has(field)) return;
    const str = (k: string): string => {
      const v = body?.[k];
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '0';
    };
    switch (field) {
      case 'ping':
        if (this.autoPong) reply({ pong: {} });
        return;
      case 'clan_join': {
        const clan = str('clan_id');
        if (!this.memberClans.has(clan)) return fail(`You are not a member of clan ${clan}`);
        c.clans.add(clan);
        reply({ clan_join: { clan_id: clan } });
        this.wake();
        return;
      }
      case 'channel_join': {
        const clan = str('clan_id');
        const channel = str('channel_id');
        if (!c.clans.has(clan)) return fail('Must join clan before joining channel');
        c.channels.add(channel);
        reply({ channel: { id: channel, presences: [], self: { user_id: this.userId, session_id: c.id, username: 'rxwire-bot' } } });
        return;
      }
      case 'channel_message_send': {
        const clan = str('clan_id');
        const channel = str('channel_id');
        if (!c.channels.has(channel)) return fail('Must join channel before sending messages');
        const messageId = String(this.nextMessageId++);
        const now = Math.floor(Date.now() / 1000);
        reply({ channel_message_ack: { channel_id: channel, message_id: messageId, code: 0, username: 'rxwire-bot', create_time_seconds: now, update_time_seconds: now, persistent: true } });
        const message = { ...body, clan_id: clan, channel_id: channel, message_id: messageId, sender_id: this.userId, username: 'rxwire-bot', create_time_seconds: now, update_time_seconds: now };
        const wire = mezonWirePayload('ChannelMessage', {
          ...message,
          content: typeof body?.content === 'string' ? body.content : '{}',
          mentions: body?.mentions,
          attachments: body?.attachments,
          references: body?.references,
        });
        for (const other of this.conns.values()) if (other.clans.has(clan)) this.send(other, { channel_message: wire });
        return;
      }
      case 'message_reaction_event': {
        if (!c.clans.has(str('clan_id'))) return fail('Must join clan before reacting');
        const reaction = { ...body, id: str('id') === '0' ? String(this.nextMessageId++) : str('id'), sender_id: this.userId, sender_name: 'rxwire-bot' };
        reply({ message_reaction_event: reaction });
        return;
      }
      case 'list_data_socket': {
        const name = typeof body?.api_name === 'string' ? body.api_name : '';
        const r = this.apiResponses.get(name) ?? { code: 404, data: new Uint8Array(0), chunkSize: 1024 };
        const n = cid & 0xffff;
        const parts: Uint8Array[] = [];
        for (let i = 0; i < r.data.length; i += r.chunkSize) parts.push(r.data.subarray(i, i + r.chunkSize));
        if (parts.length === 0) parts.push(new Uint8Array(0));
        parts.forEach((chunk, i) => c.ws.send(encodeApiChunk(n, r.code, i === parts.length - 1, chunk)));
        return;
      }
      case 'message_typing_event':
        reply({ message_typing_event: { ...body, sender_id: this.userId } });
        return;
      default:
        if (cid !== 0) fail(`unsupported request ${field ?? '(empty envelope)'}`, 1);
    }
  }
}

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return;
  const text = JSON.stringify({ code: 3, message: 'Request body too large' });
  res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
  res.end(text, () => req.socket.destroy());
  req.resume();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Starts a MezonTestServer on 127.0.0.1 and an ephemeral port. */
export function startMezonServer(options: MezonServerOptions = {}): Promise<MezonTestServer> {
  return new MezonTestServer(options).listen();
}
