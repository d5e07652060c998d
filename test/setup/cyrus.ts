/**
 * Starts and stops a throwaway Cyrus IMAP (scripts/cyrus.sh), the second real
 * server of the IMAP interop tests (test/imap-interop). Like the Dovecot of
 * ./dovecot.ts, each jest run gets its own Cyrus on free loopback ports in its
 * own directory. Where it listens reaches the test workers through:
 *   RXWIRE_CYRUS_HOST, RXWIRE_CYRUS_PORT (plain + STARTTLS), RXWIRE_CYRUSS_PORT (implicit TLS),
 *   RXWIRE_CYRUS_CA (PEM of its self-signed certificate), RXWIRE_CYRUS_DIR,
 *   RXWIRE_IMAP_USERS ("user:password ...", the same users as the Dovecot).
 * Set RXWIRE_CYRUS_PORT yourself to use a Cyrus you started with scripts/cyrus.sh.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScript } from './run-script';
import { defaultUsers, freePort } from './dovecot';
import { runIncludesDir } from './run-filter';

const root = path.resolve(__dirname, '..', '..');
const script = path.join(root, 'scripts', 'cyrus.sh');
const STARTED = 'RXWIRE_CYRUS_STARTED_BY_JEST';

function envFor(port: string, tlsPort: string, dir: string): Record<string, string> {
  return {
    RXWIRE_CYRUS_HOST: '127.0.0.1',
    RXWIRE_CYRUS_PORT: port,
    RXWIRE_CYRUSS_PORT: tlsPort,
    RXWIRE_CYRUS_DIR: dir,
    RXWIRE_CYRUS_CA: path.join(dir, 'tls', 'cert.pem'),
    RXWIRE_IMAP_USERS: process.env.RXWIRE_IMAP_USERS ?? defaultUsers,
  };
}

export async function startCyrus(): Promise<void> {
  if (process.env.RXWIRE_CYRUS_PORT) {
    // a Cyrus the developer runs: only fill in the defaults
    const port = process.env.RXWIRE_CYRUS_PORT;
    const dir = process.env.RXWIRE_CYRUS_DIR ?? path.join(os.tmpdir(), `rxwire-cyrus-${port}`);
    Object.assign(process.env, envFor(port, process.env.RXWIRE_CYRUSS_PORT ?? '2993', dir), process.env);
    return;
  }
  const port = String(await freePort());
  let tlsPort = String(await freePort());
  while (tlsPort === port) tlsPort = String(await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxwire-cyrus-jest-'));
  const env = envFor(port, tlsPort, dir);
  try {
    await runScript(script, ['start'], { ...process.env, ...env, RXWIRE_CYRUS_FRESH: '1' });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `Could not start Cyrus IMAP for the IMAP interop tests (test/imap-interop). scripts/cyrus.sh unpacks it ` +
        `from Debian's cyrus-imapd/cyrus-common/sasl2-bin packages (as root after apt-get update: bash scripts/cyrus.sh install).\n` +
        (e as Error).message,
    );
  }
  Object.assign(process.env, env, { [STARTED]: '1' });
}

export async function stopCyrus(): Promise<void> {
  if (process.env[STARTED] !== '1') return;
  const dir = process.env.RXWIRE_CYRUS_DIR;
  await runScript(script, ['stop'], process.env);
  if (dir && path.basename(dir).startsWith('rxwire-cyrus-jest-')) fs.rmSync(dir, { recursive: true, force: true });
}

/** True when this jest run includes the interop tests, the only ones that need Cyrus. */
export function runNeedsCyrus(globalConfig: unknown): boolean {
  return runIncludesDir(globalConfig, path.join(root, 'test', 'imap-interop'));
}
