/**
 * `startImapServer()`: an in-process IMAP4rev1 server on 127.0.0.1 for tests
 * and demos, so IMAP code can be exercised with no Dovecot and no system
 * packages. Sessions share one store and see each other's changes; STARTTLS
 * uses a certificate generated at start (`server.ca` is its PEM, to trust).
 *
 *   const server = await startImapServer({ users: { alice: 'pw' } });
 *   const client = new ImapClient({ host: server.host, port: server.port, tlsOptions: { ca: server.ca } });
 *   server.deliver('alice', 'INBOX', 'Subject: hi\r\n\r\nhello\r\n'); // pushed to idling sessions
 *   await server.close();
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { selfSignedCertificate } from './cert';
import { ImapServerSession, type SessionHost } from './session';
import { MailStore } from './store';

/** Options of `startImapServer`. */
export interface ImapServerOptions {
  /** user → password. Default `{ alice: 'alicepw', bob: 'bobpw' }`. */
  readonly users?: Readonly<Record<string, string>>;
  /** Port to listen on (default: a free one). */
  readonly port?: number;
  /** Offer STARTTLS with a generated self-signed certificate (default true). */
  readonly starttls?: boolean;
  /** Allow LOGIN / AUTHENTICATE before STARTTLS (default true; false advertises LOGINDISABLED). */
  readonly allowPlaintextLogin?: boolean;
  /** Longest command line in bytes (default 65536). */
  readonly maxLineLength?: number;
  /** Biggest literal in bytes (default 32 MiB); a bigger APPEND gets `NO [TOOBIG]`. */
  readonly maxLiteralSize?: number;
}

/** A running in-process IMAP server and its test hooks. */
export interface ImapTestServer {
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The port it listens on (plain IMAP; STARTTLS upgrades). */
  readonly port: number;
  /** `imap://127.0.0.1:<port>`. */
  readonly url: string;
  /** PEM of the self-signed STARTTLS certificate (trust it as `ca`); '' without STARTTLS. */
  readonly ca: string;
  /** Number of open connections. */
  readonly connections: number;
  /** Adds (or resets the password of) a user. */
  addUser(user: string, password: string): void;
  /** Appends a message to a user's mailbox (created if missing) and notifies every session; returns its UID. */
  deliver(user: string, mailbox: string, rfc822: string | Buffer, flags?: readonly string[]): number;
  /** Sends `* BYE` to every session of `user` (all sessions if omitted) and closes them; returns how many. */
  kick(user?: string): number;
  /** Writes a raw response line (CRLF added) to every session of `user`; returns how many got it. */
  inject(user: string, rawLine: string): number;
  /** Waits `ms` before handling each command from now on, of `user`'s sessions or of all (0 turns it off). */
  delay(ms: number, user?: string): void;
  /** Stops listening and closes every session. */
  close(): Promise<void>;
}

/** Starts an in-process IMAP server on 127.0.0.1. */
export async function startImapServer(options: ImapServerOptions = {}): Promise<ImapTestServer> {
  const store = new MailStore();
  for (const [u, p] of Object.entries(options.users ?? { alice: 'alicepw', bob: 'bobpw' })) store.addUser(u, p);
  const cert = options.starttls === false ? undefined : selfSignedCertificate();
  const secureContext = cert ? tls.createSecureContext({ cert: cert.cert, key: cert.key }) : undefined;
  const sessions = new Set<ImapServerSession>();
  let delayMs = 0;
  const userDelay = new Map<string, number>();
  const host: SessionHost = {
    store,
    limits: { maxLine: options.maxLineLength ?? 65536, maxLiteral: options.maxLiteralSize ?? 32 * 1024 * 1024, maxCommand: (options.maxLiteralSize ?? 32 * 1024 * 1024) + 1024 * 1024 },
    secureContext,
    allowPlaintextLogin: options.allowPlaintextLogin ?? true,
    delayMs: (s) => (s.account && userDelay.has(s.account.user) ? (userDelay.get(s.account.user) as number) : delayMs),
    onLogin: () => undefined,
    onClose: (s) => sessions.delete(s),
  };
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sessions.add(new ImapServerSession(socket, host));
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const of = (user?: string): ImapServerSession[] => [...sessions].filter((s) => user === undefined || s.account?.user === user);
  return {
    host: '127.0.0.1',
    port,
    url: `imap://127.0.0.1:${port}`,
    ca: cert?.cert ?? '',
    get connections() {
      return sessions.size;
    },
    addUser(user, password) {
      const a = store.account(user);
      if (a) a.password = password;
      else store.addUser(user, password);
    },
    deliver(user, mailbox, rfc822, flags = []) {
      const account = store.account(user);
      if (!account) throw new Error(`deliver: no user ${JSON.stringify(user)}: pass it in startImapServer({ users })`);
      const box = account.get(mailbox) ?? account.create(mailbox);
      const raw = typeof rfc822 === 'string' ? Buffer.from(rfc822, 'utf8').toString('latin1') : rfc822.toString('latin1');
      return box.append(raw, flags, new Date()).uid;
    },
    kick(user) {
      const list = of(user);
      for (const s of list) s.kick();
      return list.length;
    },
    inject(user, rawLine) {
      const list = of(user);
      for (const s of list) s.write(Buffer.from(rawLine, 'utf8').toString('latin1'));
      return list.length;
    },
    delay(ms, user) {
      if (user === undefined) delayMs = Math.max(0, ms);
      else userDelay.set(user, Math.max(0, ms));
    },
    close() {
      for (const s of [...sessions]) s.end();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
