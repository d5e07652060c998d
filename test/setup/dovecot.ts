/**
 * Starts and stops a throwaway Dovecot (scripts/dovecot.sh) for the IMAP
 * integration tests. Each jest run gets its own Dovecot on free loopback ports
 * and its own directory, so concurrent runs never stop each other's server.
 * Where it listens is published through environment variables that the test
 * workers inherit:
 *   RXWIRE_IMAP_HOST, RXWIRE_IMAP_PORT (plain + STARTTLS), RXWIRE_IMAPS_PORT (implicit TLS),
 *   RXWIRE_IMAP_CA (PEM of the self-signed certificate), RXWIRE_DOVECOT_CONF, RXWIRE_DOVECOT_DIR,
 *   RXWIRE_IMAP_USERS ("user:password ...").
 * Set RXWIRE_IMAP_PORT yourself to use a Dovecot you started with scripts/dovecot.sh.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScript } from './run-script';
import { pathPatterns } from './run-filter';

const root = path.resolve(__dirname, '..', '..');
const script = path.join(root, 'scripts', 'dovecot.sh');
const STARTED = 'RXWIRE_DOVECOT_STARTED_BY_JEST';

/**
 * The test users of both servers. interop, regress and watcher belong to the interop
 * suites (test/imap-interop): nothing else touches their mailboxes or kills their sessions.
 */
export const defaultUsers = 'alice:alicepw bob:bobpw carol:carolpw bench:benchpw interop:interoppw regress:regresspw watcher:watcherpw';

/** A TCP port nothing listens on right now (loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function envFor(port: string, tlsPort: string, dir: string): Record<string, string> {
  return {
    RXWIRE_IMAP_HOST: '127.0.0.1',
    RXWIRE_IMAP_PORT: port,
    RXWIRE_IMAPS_PORT: tlsPort,
    RXWIRE_DOVECOT_DIR: dir,
    RXWIRE_IMAP_CA: path.join(dir, 'tls', 'cert.pem'),
    RXWIRE_DOVECOT_CONF: path.join(dir, 'dovecot.conf'),
    RXWIRE_IMAP_USERS: process.env.RXWIRE_IMAP_USERS ?? defaultUsers,
  };
}

export async function startDovecot(): Promise<void> {
  if (process.env.RXWIRE_IMAP_PORT) {
    // a Dovecot the developer runs: only fill in the defaults
    const port = process.env.RXWIRE_IMAP_PORT;
    const dir = process.env.RXWIRE_DOVECOT_DIR ?? path.join(os.tmpdir(), `rxwire-dovecot-${port}`);
    Object.assign(process.env, envFor(port, process.env.RXWIRE_IMAPS_PORT ?? '1993', dir), process.env);
    return;
  }
  const port = String(await freePort());
  let tlsPort = String(await freePort());
  while (tlsPort === port) tlsPort = String(await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxwire-dovecot-jest-'));
  const env = envFor(port, tlsPort, dir);
  try {
    await runScript(script, ['start'], { ...process.env, ...env, RXWIRE_DOVECOT_FRESH: '1' });
  } catch (e) {
    throw new Error(
      `Could not start Dovecot for the IMAP integration tests (install it with: apt-get install -y dovecot-imapd openssl).\n` +
        (e as Error).message,
    );
  }
  Object.assign(process.env, env, { [STARTED]: '1' });
}

export async function stopDovecot(): Promise<void> {
  if (process.env[STARTED] !== '1') return;
  const dir = process.env.RXWIRE_DOVECOT_DIR;
  await runScript(script, ['stop'], process.env);
  if (dir && path.basename(dir).startsWith('rxwire-dovecot-jest-')) fs.rmSync(dir, { recursive: true, force: true });
}

/** True when this jest run includes IMAP tests (no path filter, or a filter naming imap). */
export function runNeedsDovecot(globalConfig: unknown): boolean {
  const patterns = pathPatterns(globalConfig);
  if (patterns.length === 0) return true;
  return patterns.some((p) => /imap|jetstream/i.test(p)); // the JetStream failover tests watch Dovecot mailboxes too
}
