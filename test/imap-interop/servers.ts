/**
 * The two real servers the interop suites run against (`describe.each(servers)`):
 * the Dovecot of test/setup/dovecot.ts and the Cyrus IMAP of test/setup/cyrus.ts,
 * both started by the jest global setup on free loopback ports. Each server
 * knows how to kill its own sessions (the server-side kick of the watcher tests).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lastValueFrom } from 'rxjs';
import { ImapClient, type ImapClientOptions, type SessionOptions } from '../../src/imap';

export type ServerName = 'dovecot' | 'cyrus';

export interface Server {
  readonly name: ServerName;
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (imaps) port. */
  readonly tlsPort: number;
  /** PEM of the server's self-signed certificate (the client upgrades with STARTTLS). */
  ca(): Buffer;
  /**
   * SIGKILLs the server processes serving `user` that have `mailbox` selected
   * (Cyrus) / that are in IDLE (Dovecot): a client appending without selecting
   * is left alone. Returns how many were killed.
   */
  killWatchers(user: string, mailbox: string): number;
}

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: the jest global setup (test/setup) starts the interop servers and sets it`);
  return v;
}

function killPid(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false; // already gone (a stale record)
  }
}

const dovecot: Server = {
  name: 'dovecot',
  get host() {
    return process.env.RXWIRE_IMAP_HOST ?? '127.0.0.1';
  },
  get port() {
    return Number(env('RXWIRE_IMAP_PORT'));
  },
  get tlsPort() {
    return Number(env('RXWIRE_IMAPS_PORT'));
  },
  ca: () => fs.readFileSync(env('RXWIRE_IMAP_CA')),
  killWatchers(user) {
    // verbose_proctitle: ".../imap [user 127.0.0.1 IDLE]"
    const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
    let n = 0;
    for (const line of out.split('\n')) {
      if (!line.includes(`-${this.port}/imap [${user} `) || !/ IDLE\]/.test(line)) continue;
      if (killPid(Number(line.trim().split(/\s+/)[0]))) n++;
    }
    return n;
  },
};

const cyrus: Server = {
  name: 'cyrus',
  get host() {
    return process.env.RXWIRE_CYRUS_HOST ?? '127.0.0.1';
  },
  get port() {
    return Number(env('RXWIRE_CYRUS_PORT'));
  },
  get tlsPort() {
    return Number(env('RXWIRE_CYRUSS_PORT'));
  },
  ca: () => fs.readFileSync(env('RXWIRE_CYRUS_CA')),
  killWatchers(user, mailbox) {
    // Cyrus keeps one file per serving process in <configdirectory>/proc/<pid>:
    // "imap\t<host [ip]>\t<user>\t<internal mailbox name>\t..." (the name as user.<user>.<box>)
    const dir = path.join(env('RXWIRE_CYRUS_DIR'), 'conf', 'proc');
    let n = 0;
    for (const f of fs.readdirSync(dir)) {
      let fields: string[];
      try {
        fields = fs.readFileSync(path.join(dir, f), 'utf8').split('\t');
      } catch {
        continue; // the process ended meanwhile
      }
      if (fields[2] !== user || !(fields[3] ?? '').endsWith(`.${mailbox}`)) continue;
      if (killPid(Number(f))) n++;
    }
    return n;
  },
};

/** Both servers, for `describe.each(servers)('... on %s', ...)` (printed by name). */
export const servers: ReadonlyArray<[ServerName, Server]> = [
  ['dovecot', dovecot],
  ['cyrus', cyrus],
];

export function password(user: string): string {
  for (const e of (process.env.RXWIRE_IMAP_USERS ?? '').split(/\s+/)) {
    const i = e.indexOf(':');
    if (i > 0 && e.slice(0, i) === user) return e.slice(i + 1);
  }
  throw new Error(`no password for ${user} in RXWIRE_IMAP_USERS: the interop users come from test/setup/dovecot.ts`);
}

/** Client options for `server` (STARTTLS with its certificate). */
export function clientOptions(server: Server, options: Partial<ImapClientOptions> = {}): ImapClientOptions {
  return { host: server.host, port: server.port, tlsOptions: { ca: server.ca() }, commandTimeout: 15_000, ...options };
}

/** Session options (with credentials) for `imapSession` / `watchMailbox`. */
export function sessionOptions(server: Server, user: string, pass = password(user)): SessionOptions {
  return { ...clientOptions(server), auth: { user, password: pass } };
}

/** A connected client logged in as `user`. */
export async function loggedIn(server: Server, user: string, options: Partial<ImapClientOptions> = {}): Promise<ImapClient> {
  const c = new ImapClient(clientOptions(server, options));
  await lastValueFrom(c.connect());
  await lastValueFrom(c.login(user, password(user)));
  return c;
}

/** Logs out, ignoring a connection that is already gone. */
export async function logout(c: ImapClient | undefined): Promise<void> {
  if (!c) return;
  await lastValueFrom(c.logout()).catch(() => c.close());
}

let n = 0;
/** A mailbox name unique to this run (letters, digits and dashes only: valid on both servers). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++n}`;
}

/** A small RFC 5322 message. */
export function message(subject: string, body = 'hello\r\n', extraHeaders = ''): string {
  return (
    `From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: ${subject}\r\n` +
    `Message-ID: <${uniqueName('m')}@example.org>\r\n${extraHeaders}Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n` +
    `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`
  );
}

/** Flags without \Recent (which one server may set and another not, RFC 3501 §2.3.2). */
export function sansRecent(flags: readonly string[] | undefined): string[] {
  return (flags ?? []).filter((f) => f.toLowerCase() !== '\\recent').sort();
}
