/**
 * A faithful local Mail.tm server (the documented API subset) on a loopback
 * ephemeral port, in-process, with hooks for tests and demos: deliver mail,
 * change domains, expire tokens, inject faults, and read request statistics.
 *
 * Faithful means: Hydra collections (30 per page, newest first), HS256 JWT
 * bearer tokens, the documented error statuses with API Platform / LexikJWT
 * bodies (400, 401, 404, 405, 415, 422, 429), more than 8 requests per second
 * per client IP refused with 429 and the documented text, merge-patch
 * required on PATCH answered `{"seen": true}` as docs.mail.tm shows (or the
 * full message, `patchAnswer: 'message'`), cc/bcc as address strings, 204 on
 * DELETE, raw sources, and a Mercure-style SSE hub.
 *
 * Hostile clients cannot take it down: an unparseable request target is a
 * 400, a request body over `maxRequestBytes` a 413 (never buffered), and it
 * keeps serving.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { signMailtmToken, verifyMailtmToken, type MailtmTokenClaims } from './jwt';
import { MailtmRequestLog } from './requestLog';

/** Options of the local Mail.tm server. */
export interface MailtmServerOptions {
  /** Domains available at start. Default: ['rxwire.test']. */
  readonly domains?: readonly string[];
  /** Requests per second per client IP before 429. Default 8; `false` turns the limit off. */
  readonly rateLimit?: number | false;
  /** Send a `Retry-After: 1` header with 429s. The real service's body asks for one second. Default false. */
  readonly retryAfterHeader?: boolean;
  /** Token lifetime in seconds. Default 3600. */
  readonly tokenTtlSeconds?: number;
  /** Items per collection page. Default 30 (Mail.tm's). */
  readonly pageSize?: number;
  /** What PATCH /messages/{id} answers: 'documented' (`{"seen": true}`, the default) or 'message' (the full message). */
  readonly patchAnswer?: 'documented' | 'message';
  /** The largest request body accepted; a larger one is answered 413 without being buffered. Default 1 MiB. */
  readonly maxRequestBytes?: number;
}

/** A message to deliver with `deliver()`. */
export interface MailtmDeliverInput {
  /** The sender (default `sender@example.org`, name empty). */
  readonly from?: { readonly name?: string; readonly address: string };
  /** The subject (default empty). */
  readonly subject?: string;
  /** The plain-text body (default empty); also the body of the generated source. */
  readonly text?: string;
  /** An HTML body (the message's `html` is `[html]`, or empty without one). */
  readonly html?: string;
  /** Cc addresses (listed as strings, as the docs show). */
  readonly cc?: readonly string[];
}

/**
 * A fault applied to the next `count` matching requests (default 1; `path` is a prefix):
 * - `status`: answer that HTTP status with a Hydra error;
 * - `delay`: answer `ms` late; `drop`: close the connection unanswered;
 * - `rateLimit`: the documented 429;
 * - `respond`: answer `body` (raw text, e.g. malformed JSON) with `status` (default 200);
 * - `echo`: answer `status` with a Hydra error whose description echoes the request body
 *   and Authorization header (a server that leaks what it was sent);
 * - `redirect`: answer `status` (default 302) with `Location: location`;
 * - `huge`: answer 200 with a body of `bytes` bytes, streamed (never held in memory).
 */
export type MailtmFault = (
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'rateLimit' }
  | { readonly kind: 'respond'; readonly body: string; readonly status?: number }
  | { readonly kind: 'echo'; readonly status: number }
  | { readonly kind: 'redirect'; readonly location: string; readonly status?: number }
  | { readonly kind: 'huge'; readonly bytes: number; readonly declareLength?: boolean }
) & { readonly count?: number; readonly path?: string; readonly method?: string };

interface StoredDomain {
  id: string;
  domain: string;
  isActive: boolean;
  isPrivate: boolean;
  createdAt: string;
  updatedAt: string;
}
interface StoredAccount {
  id: string;
  address: string;
  password: string;
  quota: number;
  isDisabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Oldest first. */
  messages: StoredMessage[];
}
interface StoredMessage {
  id: string;
  accountId: string;
  msgid: string;
  from: { name: string; address: string };
  to: { name: string; address: string }[];
  subject: string;
  text: string;
  html: string[];
  cc: string[];
  seen: boolean;
  flagged: boolean;
  source: string;
  createdAt: string;
  updatedAt: string;
}

type Json = Record<string, unknown>;

/** The body of Mail.tm's 429 answer. */
export const MAILTM_RATE_LIMIT_TEXT = 'You exceeded the limit of 8 requests per second! Try delaying the request by one second!';

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const MERGE_PATCH = 'application/merge-patch+json';

/** The local Mail.tm server (see the module comment); start it with `startMailtmServer()`. */
export class MailtmTestServer {
  private readonly http: Server;
  private readonly secret = hex(32);
  private readonly domains = new Map<string, StoredDomain>();
  private readonly accounts = new Map<string, StoredAccount>();
  private readonly byAddress = new Map<string, string>();
  private readonly faults: Array<MailtmFault & { left: number }> = [];
  private readonly perClient = new Map<string, MailtmRequestLog>();
  private readonly hubClients = new Map<string, Set<ServerResponse>>();
  private readonly sockets = new Set<Socket>();
  private readonly log = new MailtmRequestLog();
  private readonly pageSize: number;
  private readonly ttl: number;
  private readonly maxRequestBytes: number;
  private tokenEpoch = 0;
  private hubEnabled = true;
  private lastStamp = 0;
  private port = 0;

  constructor(private readonly options: MailtmServerOptions = {}) {
    this.pageSize = options.pageSize ?? 30;
    this.ttl = options.tokenTtlSeconds ?? 3600;
    for (const d of options.domains ?? ['rxwire.test']) this.addDomain(d);
    this.maxRequestBytes = options.maxRequestBytes ?? 1024 * 1024;
    this.http = createServer((req, res) => {
      try {
        this.onRequest(req, res);
      } catch (e) {
        if (!res.headersSent) this.send(res, 500, this.error(e instanceof Error ? e.message : 'Internal Server Error'));
        else res.destroy();
      }
    });
    // A request line or header the HTTP parser refuses: 400, and the server goes on.
    this.http.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.http.keepAliveTimeout = 5000;
    this.http.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** Starts listening on 127.0.0.1 and an ephemeral port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  /** The API base URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Mercure hub URL (without the topic). */
  get mercureUrl(): string {
    return `${this.url}/.well-known/mercure`;
  }

  /** Stops the server and closes every connection. */
  async close(): Promise<void> {
    for (const set of this.hubClients.values()) for (const res of set) res.destroy();
    this.hubClients.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---- test hooks -------------------------------------------------------------------------

  /** Delivers a message to `address` (which must be an account here). Returns the message id. */
  deliver(address: string, input: MailtmDeliverInput = {}): string {
    const account = this.accountByAddress(address);
    if (!account) throw new Error(`no account ${address} on the local Mail.tm server`);
    const id = hex(12);
    const now = this.stamp();
    const domain = address.split('@')[1];
    const from = { name: input.from?.name ?? '', address: input.from?.address ?? 'sender@example.org' };
    const subject = input.subject ?? '';
    const text = input.text ?? '';
    const msgid = `<${hex(8)}@${domain}>`;
    const source = [
      `From: ${from.name ? `"${from.name}" ` : ''}<${from.address}>`,
      `To: <${address}>`,
      `Subject: ${subject}`,
      `Date: ${new Date(now).toUTCString()}`,
      `Message-ID: ${msgid}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
    ].join('\r\n');
    const iso = new Date(now).toISOString();
    const msg: StoredMessage = {
      id,
      accountId: `/accounts/${account.id}`,
      msgid,
      from,
      to: [{ name: '', address }],
      subject,
      text,
      html: input.html !== undefined ? [input.html] : [],
      cc: [...(input.cc ?? [])],
      seen: false,
      flagged: false,
      source,
      createdAt: iso,
      updatedAt: iso,
    };
    account.messages.push(msg);
    this.publish(account, this.summary(msg));
    this.publish(account, this.accountJson(account, false));
    return id;
  }

  /** Deletes a message as if through another client (the hub is told). */
  removeMessage(id: string): boolean {
    for (const account of this.accounts.values()) {
      const i = account.messages.findIndex((m) => m.id === id);
      if (i >= 0) {
        const [m] = account.messages.splice(i, 1);
        this.publish(account, { ...this.summary(m), isDeleted: true });
        return true;
      }
    }
    return false;
  }

  /** Adds a domain; returns its id. */
  addDomain(domain: string, options: { isPrivate?: boolean; isActive?: boolean } = {}): string {
    const id = hex(12);
    const iso = new Date().toISOString();
    this.domains.set(id, { id, domain, isActive: options.isActive ?? true, isPrivate: options.isPrivate ?? false, createdAt: iso, updatedAt: iso });
    return id;
  }

  /** Removes a domain by name. */
  removeDomain(domain: string): boolean {
    for (const [id, d] of this.domains) if (d.domain === domain) return this.domains.delete(id);
    return false;
  }

  /** Activates or deactivates a domain. */
  setDomainActive(domain: string, isActive: boolean): boolean {
    for (const d of this.domains.values())
      if (d.domain === domain) {
        d.isActive = isActive;
        d.updatedAt = new Date().toISOString();
        return true;
      }
    return false;
  }

  /** Makes every token issued so far invalid (clients must fetch a new one). */
  expireTokens(): void {
    this.tokenEpoch++;
  }

  /** Queues a fault for the next matching requests. */
  inject(fault: MailtmFault): void {
    this.faults.push({ ...fault, left: fault.count ?? 1 });
  }

  /** Drops every queued fault. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Sends a bare number frame (the real hub's glitch) to every hub subscriber of `address`. */
  hubBareNumber(address: string, n = 2): void {
    const account = this.accountByAddress(address);
    if (account) this.publishRaw(account.id, String(n));
  }

  /** Drops every hub connection; with `refuse`, new ones get 503 until `restoreHub()`. */
  dropHub(refuse = false): void {
    this.hubEnabled = !refuse;
    for (const set of this.hubClients.values()) for (const res of set) res.destroy();
    this.hubClients.clear();
  }

  /** Lets hub connections in again after `dropHub(true)`. */
  restoreHub(): void {
    this.hubEnabled = true;
  }

  /** Open hub connections (all accounts). */
  get hubConnections(): number {
    let n = 0;
    for (const set of this.hubClients.values()) n += set.size;
    return n;
  }

  /** Requests seen so far (every request, including refused ones). */
  get requestCount(): number {
    return this.log.total;
  }

  /** The most requests seen within any one-second window so far. */
  maxRequestsPerSecond(): number {
    return this.log.maxInWindow(1000);
  }

  /** Forgets the request statistics. */
  resetStats(): void {
    this.log.clear();
  }

  /** The message ids of an account, newest first (as the API lists them). */
  messageIds(address: string): string[] {
    return [...(this.accountByAddress(address)?.messages ?? [])].reverse().map((m) => m.id);
  }

  /** The id of the account with this address, if it exists. */
  accountId(address: string): string | undefined {
    return this.byAddress.get(address.toLowerCase());
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const now = performance.now();
    this.log.record(now);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      res.setHeader('connection', 'close');
      this.send(res, 400, this.error('Invalid request target.'));
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > this.maxRequestBytes) {
      this.tooLarge(req, res);
      return;
    }
    const fault = this.takeFault(url.pathname, req.method ?? 'GET');
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      this.send(res, fault.status, this.error(fault.status === 500 ? 'Internal Server Error' : 'Injected fault'));
      return;
    }
    if (fault?.kind === 'redirect') {
      res.writeHead(fault.status ?? 302, { location: fault.location, 'content-length': '0' });
      res.end();
      return;
    }
    if (fault?.kind === 'huge') {
      this.huge(res, fault.bytes, fault.declareLength ?? false);
      return;
    }
    if (fault?.kind === 'rateLimit' || this.overLimit(req, now)) {
      this.tooMany(res);
      return;
    }
    const go = (): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      req.on('data', (c: Buffer) => {
        if (refused) return;
        size += c.length;
        if (size > this.maxRequestBytes) {
          refused = true;
          chunks.length = 0;
          this.tooLarge(req, res);
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => {
        if (refused) return;
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          if (fault?.kind === 'respond') {
            res.writeHead(fault.status ?? 200, { 'content-type': 'application/ld+json; charset=utf-8' });
            res.end(fault.body);
          } else if (fault?.kind === 'echo') {
            this.send(res, fault.status, this.error(`could not handle ${req.method ?? ''} ${url.pathname} with ${body} (authorization: ${req.headers.authorization ?? 'none'})`));
          } else this.route(req, res, url, body);
        } catch (e) {
          this.send(res, 500, this.error(e instanceof Error ? e.message : 'Internal Server Error'));
        }
      });
    };
    if (fault?.kind === 'delay') setTimeout(go, fault.ms);
    else go();
  }

  /** 413 and close: the rest of the body is discarded unread, never buffered. */
  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    if (!res.headersSent) {
      res.setHeader('connection', 'close');
      this.send(res, 413, this.error(`The request body is larger than ${this.maxRequestBytes} bytes.`));
    }
    req.removeAllListeners('data');
    req.resume();
    res.on('finish', () => req.socket.destroy());
  }

  /** A 200 whose body is `bytes` long, written in chunks as the client reads (backpressure), never built whole. */
  private huge(res: ServerResponse, bytes: number, declareLength: boolean): void {
    res.writeHead(200, { 'content-type': 'application/ld+json', ...(declareLength ? { 'content-length': String(bytes) } : {}) });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let left = bytes;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => {
      left = 0;
    });
    pump();
  }

  private takeFault(path: string, method: string): MailtmFault | undefined {
    const i = this.faults.findIndex((f) => (f.path === undefined || path.startsWith(f.path)) && (f.method === undefined || f.method === method));
    if (i < 0) return undefined;
    const f = this.faults[i];
    if (--f.left <= 0) this.faults.splice(i, 1);
    return f;
  }

  private overLimit(req: IncomingMessage, now: number): boolean {
    const limit = this.options.rateLimit ?? 8;
    if (limit === false) return false;
    const ip = req.socket.remoteAddress ?? '?';
    let log = this.perClient.get(ip);
    if (!log) this.perClient.set(ip, (log = new MailtmRequestLog()));
    log.prune(now, 1000);
    if (log.countSince(now, 1000) >= limit) return true;
    log.record(now);
    return false;
  }

  private tooMany(res: ServerResponse): void {
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (this.options.retryAfterHeader) headers['retry-after'] = '1';
    res.writeHead(429, headers);
    res.end(MAILTM_RATE_LIMIT_TEXT);
  }

  private route(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const [collection, id, sub] = parts;
    const allow = (methods: string[]): boolean => {
      if (methods.includes(method)) return true;
      res.setHeader('allow', methods.join(', '));
      this.send(res, 405, this.error(`No route found for "${method} ${url.pathname}": Method Not Allowed (Allow: ${methods.join(', ')})`));
      return false;
    };
    if (parts.length === 2 && collection === '.well-known' && id === 'mercure') {
      if (allow(['GET'])) this.hub(req, res, url);
      return;
    }
    if (collection === 'domains' && parts.length === 1) {
      if (allow(['GET'])) this.page(res, url, '/domains', [...this.domains.values()].reverse().map((d) => this.domainJson(d, false)));
      return;
    }
    if (collection === 'domains' && parts.length === 2) {
      if (!allow(['GET'])) return;
      const d = this.domains.get(id);
      if (d) this.send(res, 200, this.domainJson(d, true));
      else this.notFound(res);
      return;
    }
    if (collection === 'token' && parts.length === 1) {
      if (allow(['POST'])) this.token(res, body);
      return;
    }
    if (collection === 'accounts' && parts.length === 1) {
      if (allow(['POST'])) this.createAccount(res, body);
      return;
    }
    // Everything else needs a token.
    if (!['me', 'accounts', 'messages', 'sources'].includes(collection ?? '')) {
      this.notFound(res);
      return;
    }
    const account = this.authenticate(req, res);
    if (!account) return;
    if (collection === 'me' && parts.length === 1) {
      if (allow(['GET'])) this.send(res, 200, this.accountJson(account, true));
      return;
    }
    if (collection === 'accounts' && parts.length === 2) {
      if (!allow(['GET', 'DELETE'])) return;
      if (id !== account.id) {
        this.send(res, 403, this.error('Access Denied.'));
        return;
      }
      if (method === 'GET') this.send(res, 200, this.accountJson(account, true));
      else {
        this.accounts.delete(account.id);
        this.byAddress.delete(account.address.toLowerCase());
        this.send(res, 204, undefined);
      }
      return;
    }
    if (collection === 'messages' && parts.length === 1) {
      if (allow(['GET'])) this.page(res, url, '/messages', [...account.messages].reverse().map((m) => this.summary(m)));
      return;
    }
    const msg = id === undefined ? undefined : account.messages.find((m) => m.id === id);
    if (collection === 'sources' && parts.length === 2) {
      if (!allow(['GET'])) return;
      if (!msg) return this.notFound(res);
      this.send(res, 200, {
        '@context': '/contexts/Source',
        '@id': `/sources/${msg.id}`,
        '@type': 'Source',
        id: msg.id,
        downloadUrl: `/messages/${msg.id}/download`,
        data: msg.source,
      });
      return;
    }
    if (collection === 'messages' && parts.length === 3 && sub === 'download') {
      if (!allow(['GET'])) return;
      if (!msg) return this.notFound(res);
      res.writeHead(200, { 'content-type': 'message/rfc822' });
      res.end(msg.source);
      return;
    }
    if (collection === 'messages' && parts.length === 2) {
      if (!allow(['GET', 'PATCH', 'DELETE'])) return;
      if (!msg) return this.notFound(res);
      if (method === 'GET') {
        this.send(res, 200, this.full(msg));
      } else if (method === 'DELETE') {
        account.messages.splice(account.messages.indexOf(msg), 1);
        this.publish(account, { ...this.summary(msg), isDeleted: true });
        this.send(res, 204, undefined);
      } else {
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (type !== MERGE_PATCH) {
          this.send(res, 415, this.error(`The content-type "${type}" is not supported. Supported MIME types are "${MERGE_PATCH}".`));
          return;
        }
        const patch = this.json(res, body);
        if (patch === undefined) return;
        if ('seen' in patch) {
          if (typeof patch.seen !== 'boolean') return this.violation(res, 'seen', 'This value should be of type bool.');
          msg.seen = patch.seen;
        }
        if ('flagged' in patch) {
          if (typeof patch.flagged !== 'boolean') return this.violation(res, 'flagged', 'This value should be of type bool.');
          msg.flagged = patch.flagged;
        }
        msg.updatedAt = new Date(this.stamp()).toISOString();
        this.publish(account, this.summary(msg));
        if (this.options.patchAnswer === 'message') this.send(res, 200, this.full(msg));
        else this.send(res, 200, { seen: msg.seen });
      }
      return;
    }
    this.notFound(res);
  }

  private token(res: ServerResponse, body: string): void {
    const input = this.json(res, body);
    if (input === undefined) return;
    const address = typeof input.address === 'string' ? input.address : '';
    const account = this.accountByAddress(address);
    if (!account || typeof input.password !== 'string' || input.password !== account.password) {
      this.send(res, 401, { code: 401, message: 'Invalid credentials.' });
      return;
    }
    const iat = Math.floor(Date.now() / 1000);
    const claims: MailtmTokenClaims = {
      iat,
      exp: iat + this.ttl,
      roles: ['ROLE_USER'],
      username: account.address,
      id: account.id,
      epoch: this.tokenEpoch,
    };
    this.send(res, 200, { token: signMailtmToken(claims, this.secret), id: account.id });
  }

  private createAccount(res: ServerResponse, body: string): void {
    const input = this.json(res, body);
    if (input === undefined) return;
    const address = typeof input.address === 'string' ? input.address.trim() : '';
    const password = typeof input.password === 'string' ? input.password : '';
    if (!address) return this.violation(res, 'address', 'This value should not be blank.');
    if (!password) return this.violation(res, 'password', 'This value should not be blank.');
    const m = /^([^@\s]+)@([^@\s]+)$/.exec(address);
    if (!m) return this.violation(res, 'address', 'This value is not a valid email address.');
    if (m[1].length < 3) return this.violation(res, 'address', 'This value is too short. It should have 3 characters or more.');
    const domain = [...this.domains.values()].find((d) => d.domain.toLowerCase() === m[2].toLowerCase());
    if (!domain || !domain.isActive) return this.violation(res, 'address', 'This value is not valid.');
    if (this.byAddress.has(address.toLowerCase())) return this.violation(res, 'address', 'This value is already used.');
    const id = hex(12);
    const iso = new Date().toISOString();
    const account: StoredAccount = { id, address, password, quota: 40_000_000, isDisabled: false, createdAt: iso, updatedAt: iso, messages: [] };
    this.accounts.set(id, account);
    this.byAddress.set(address.toLowerCase(), id);
    this.send(res, 201, this.accountJson(account, true));
  }

  private authenticate(req: IncomingMessage, res: ServerResponse): StoredAccount | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      this.send(res, 401, { code: 401, message: 'JWT Token not found' });
      return undefined;
    }
    const check = verifyMailtmToken(m[1], this.secret, Math.floor(Date.now() / 1000));
    if (!check.ok) {
      this.send(res, 401, { code: 401, message: check.message });
      return undefined;
    }
    const epoch = check.claims.epoch;
    const account = this.accounts.get(check.claims.id);
    if (epoch !== this.tokenEpoch) {
      this.send(res, 401, { code: 401, message: 'Expired JWT Token' });
      return undefined;
    }
    if (!account) {
      this.send(res, 401, { code: 401, message: 'Invalid JWT Token' });
      return undefined;
    }
    return account;
  }

  private hub(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!this.hubEnabled) {
      this.send(res, 503, this.error('Service Unavailable'));
      return;
    }
    const account = this.authenticate(req, res);
    if (!account) return;
    const topic = url.searchParams.get('topic');
    if (topic !== `/accounts/${account.id}`) {
      this.send(res, 403, this.error('Access Denied.'));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(':\n\n');
    let set = this.hubClients.get(account.id);
    if (!set) this.hubClients.set(account.id, (set = new Set()));
    set.add(res);
    res.on('close', () => set?.delete(res));
  }

  private publish(account: StoredAccount, json: Json): void {
    this.publishRaw(account.id, JSON.stringify(json));
  }

  private publishRaw(accountId: string, data: string): void {
    const set = this.hubClients.get(accountId);
    if (!set) return;
    const frame = `id: urn:uuid:${hex(16)}\ndata: ${data}\n\n`;
    for (const res of set) res.write(frame);
  }

  private page(res: ServerResponse, url: URL, path: string, items: Json[]): void {
    const raw = url.searchParams.get('page') ?? '1';
    const page = Number(raw);
    if (!Number.isInteger(page)) {
      this.send(res, 400, this.error('Page should be an integer.'));
      return;
    }
    if (page < 1) {
      this.send(res, 400, this.error('Page should not be less than 1'));
      return;
    }
    const last = Math.max(1, Math.ceil(items.length / this.pageSize));
    const member = items.slice((page - 1) * this.pageSize, page * this.pageSize);
    const view: Json = { '@id': `${path}?page=${page}`, '@type': 'hydra:PartialCollectionView' };
    if (items.length > this.pageSize) {
      view['hydra:first'] = `${path}?page=1`;
      view['hydra:last'] = `${path}?page=${last}`;
      if (page > 1) view['hydra:previous'] = `${path}?page=${page - 1}`;
      if (page < last) view['hydra:next'] = `${path}?page=${page + 1}`;
    }
    const name = path.slice(1, 2).toUpperCase() + path.slice(2, -1);
    this.send(res, 200, {
      '@context': `/contexts/${name}`,
      '@id': path,
      '@type': 'hydra:Collection',
      'hydra:member': member,
      'hydra:totalItems': items.length,
      'hydra:view': view,
    });
  }

  private domainJson(d: StoredDomain, withContext: boolean): Json {
    return {
      ...(withContext ? { '@context': '/contexts/Domain' } : {}),
      '@id': `/domains/${d.id}`,
      '@type': 'Domain',
      id: d.id,
      domain: d.domain,
      isActive: d.isActive,
      isPrivate: d.isPrivate,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  }

  private accountJson(a: StoredAccount, withContext: boolean): Json {
    return {
      ...(withContext ? { '@context': '/contexts/Account' } : {}),
      '@id': `/accounts/${a.id}`,
      '@type': 'Account',
      id: a.id,
      address: a.address,
      quota: a.quota,
      used: a.messages.reduce((n, m) => n + Buffer.byteLength(m.source), 0),
      isDisabled: a.isDisabled,
      isDeleted: false,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    };
  }

  private summary(m: StoredMessage): Json {
    return {
      '@id': `/messages/${m.id}`,
      '@type': 'Message',
      id: m.id,
      accountId: m.accountId,
      msgid: m.msgid,
      from: m.from,
      to: m.to,
      subject: m.subject,
      intro: m.text.replace(/\s+/g, ' ').trim().slice(0, 120),
      seen: m.seen,
      isDeleted: false,
      hasAttachments: false,
      size: Buffer.byteLength(m.source),
      downloadUrl: `/messages/${m.id}/download`,
      sourceUrl: `/sources/${m.id}`,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
    };
  }

  private full(m: StoredMessage): Json {
    const { intro: _intro, ...rest } = this.summary(m);
    void _intro;
    return {
      '@context': '/contexts/Message',
      ...rest,
      cc: m.cc,
      bcc: [],
      flagged: m.flagged,
      verifications: [],
      retention: true,
      retentionDate: new Date(Date.parse(m.createdAt) + 7 * 86_400_000).toISOString(),
      text: m.text,
      html: m.html,
      attachments: [],
    };
  }

  private json(res: ServerResponse, body: string): Json | undefined {
    try {
      const v: unknown = JSON.parse(body);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Json;
    } catch {
      // fall through
    }
    this.send(res, 400, this.error('Syntax error'));
    return undefined;
  }

  private violation(res: ServerResponse, propertyPath: string, message: string): void {
    this.send(res, 422, {
      '@context': '/contexts/ConstraintViolationList',
      '@type': 'ConstraintViolationList',
      'hydra:title': 'An error occurred',
      'hydra:description': `${propertyPath}: ${message}`,
      violations: [{ propertyPath, message }],
    });
  }

  private notFound(res: ServerResponse): void {
    this.send(res, 404, this.error('Not Found'));
  }

  private error(description: string): Json {
    return { '@context': '/contexts/Error', '@type': 'hydra:Error', 'hydra:title': 'An error occurred', 'hydra:description': description };
  }

  private send(res: ServerResponse, status: number, body: Json | undefined): void {
    if (body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/ld+json; charset=utf-8' });
    res.end(text);
  }

  private accountByAddress(address: string): StoredAccount | undefined {
    const id = this.byAddress.get(address.toLowerCase());
    return id === undefined ? undefined : this.accounts.get(id);
  }

  /** A strictly increasing millisecond stamp, so newest-first order is total. */
  private stamp(): number {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return this.lastStamp;
  }
}

/** Starts a local Mail.tm server on 127.0.0.1 and a free port. */
export function startMailtmServer(options: MailtmServerOptions = {}): Promise<MailtmTestServer> {
  return new MailtmTestServer(options).listen();
}
