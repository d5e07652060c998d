/**
 * IMAP demo: watch a mailbox and print the subjects of new messages as they
 * arrive. Starts rxwire/testing's in-process IMAP server (or, with
 * RXWIRE_DEMO_DOVECOT=1, its own throwaway Dovecot: scripts/dovecot.sh, own temp dir
 * and free ports), watches alice's INBOX with `imap(...).events$`, appends a few
 * messages from a second connection, and stops the server again.
 *
 *   npx tsx examples/imap-demo.ts
 *
 * Against your own server: imap({ host, port: 993, auth: { user, password }, mailbox: 'INBOX' }).events$.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { filter, firstValueFrom, lastValueFrom, scan, timeout } from 'rxjs';
import { imap, withImapSession } from '../src/imap';
import { startImapServer } from '../src/testing/imap';
import { runIfMain } from './standalone';

const script = path.resolve(__dirname, '..', 'scripts', 'dovecot.sh');

export interface PrivateDovecot {
  readonly host: string;
  readonly port: number;
  readonly ca: Buffer;
  readonly users: Readonly<Record<string, string>>;
  stop(): void;
}

function hasDovecot(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v dovecot'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts a Dovecot of its own (temp dir, free ports); null when Dovecot is not installed. */
export async function startPrivateDovecot(): Promise<PrivateDovecot | null> {
  if (!hasDovecot()) return null;
  const port = await freePort();
  let tlsPort = await freePort();
  while (tlsPort === port) tlsPort = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxwire-dovecot-demo-'));
  const users = { alice: 'alicepw', bob: 'bobpw' };
  const env = {
    ...process.env,
    RXWIRE_IMAP_PORT: String(port),
    RXWIRE_IMAPS_PORT: String(tlsPort),
    RXWIRE_DOVECOT_DIR: dir,
    RXWIRE_IMAP_USERS: Object.entries(users)
      .map(([u, p]) => `${u}:${p}`)
      .join(' '),
    RXWIRE_DOVECOT_FRESH: '1',
  };
  execFileSync('bash', [script, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    host: '127.0.0.1',
    port,
    ca: fs.readFileSync(path.join(dir, 'tls', 'cert.pem')),
    users,
    stop: () => {
      try {
        execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function message(subject: string): string {
  return `From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: ${subject}\r\nDate: ${new Date().toUTCString()}\r\n\r\nhello\r\n`;
}

/** An IMAP server for a demo: a throwaway Dovecot when asked (RXWIRE_DEMO_DOVECOT=1), else rxwire/testing's in-process one. */
export async function startDemoImapServer(log: (line: string) => void): Promise<PrivateDovecot | null> {
  if (process.env.RXWIRE_DEMO_DOVECOT === '1') {
    const d = await startPrivateDovecot();
    if (!d) log('RXWIRE_DEMO_DOVECOT=1 but Dovecot is not installed (apt-get install -y dovecot-imapd openssl)');
    else log(`started a throwaway Dovecot on ${d.host}:${d.port}`);
    return d;
  }
  const users = { alice: 'alicepw', bob: 'bobpw' };
  const s = await startImapServer({ users });
  log(`started rxwire/testing's in-process IMAP server on ${s.host}:${s.port} (RXWIRE_DEMO_DOVECOT=1 uses Dovecot instead)`);
  return { host: s.host, port: s.port, ca: Buffer.from(s.ca), users, stop: () => void s.close() };
}

export default async function demo(log: (line: string) => void): Promise<void> {
  const dovecot = await startDemoImapServer(log);
  if (!dovecot) return;
  try {
    const connection = { host: dovecot.host, port: dovecot.port, tlsOptions: { ca: dovecot.ca } };
    const alice = { ...connection, auth: { user: 'alice', password: dovecot.users.alice } };
    const subjects = ['Lunch on Friday?', 'Build #1024 passed', 'Your invoice'];

    const source = imap({ ...alice, mailbox: 'INBOX', backoff: { initialDelay: 200, maxDelay: 2000, maxAttempts: 3 } });
    const events$ = source.events$;
    const done = firstValueFrom(
      events$.pipe(
        scan((seen, e) => {
          if (e.type === 'NewMessages') {
            for (const m of e.data.messages) log(`NewMessages: uid ${m.uid} "${m.envelope?.subject ?? ''}" (${e.data.previous} → ${e.data.count} messages)`);
            return seen + e.data.messages.length;
          }
          if (e.type === 'Ready') {
            log(`Ready (${e.data.method}) on ${e.data.mailbox}: appending ${subjects.length} messages from a second connection`);
            appendAll().catch((err: unknown) => log(`append failed: ${err instanceof Error ? err.message : String(err)}`));
          } else log(e.type);
          return seen;
        }, 0),
        filter((n) => n >= subjects.length),
        timeout(7_000),
      ),
    );
    // A second connection (the same user: Dovecot keeps mailboxes per user) appends while the first one IDLEs.
    const appendAll = async (): Promise<void> => {
      await lastValueFrom(
        withImapSession(alice, async (client) => {
          for (const s of subjects) await lastValueFrom(client.append('INBOX', message(s)));
        }),
        { defaultValue: undefined },
      );
    };
    await done;
    log('all messages reported; unsubscribing (DONE, LOGOUT, socket closed)');
  } finally {
    dovecot.stop();
    log('IMAP server stopped');
  }
}

runIfMain(module, demo);
