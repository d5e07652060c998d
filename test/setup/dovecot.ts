/**
 * Starts and stops the project's throwaway Dovecot (scripts/dovecot.sh) for the
 * IMAP integration tests, and publishes where it listens through environment
 * variables that the test workers inherit:
 *   RXWIRE_IMAP_HOST, RXWIRE_IMAP_PORT (plain + STARTTLS), RXWIRE_IMAPS_PORT (implicit TLS),
 *   RXWIRE_IMAP_CA (PEM path of the self-signed certificate), RXWIRE_DOVECOT_CONF,
 *   RXWIRE_IMAP_USERS ("user:password ...").
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const script = path.join(root, 'scripts', 'dovecot.sh');

export function dovecotEnv(): Record<string, string> {
  const port = process.env.RXWIRE_IMAP_PORT ?? '1143';
  const dir = process.env.RXWIRE_DOVECOT_DIR ?? path.join(process.env.TMPDIR ?? '/tmp', `rxwire-dovecot-${port}`);
  return {
    RXWIRE_IMAP_HOST: '127.0.0.1',
    RXWIRE_IMAP_PORT: port,
    RXWIRE_IMAPS_PORT: process.env.RXWIRE_IMAPS_PORT ?? '1993',
    RXWIRE_DOVECOT_DIR: dir,
    RXWIRE_IMAP_CA: path.join(dir, 'tls', 'cert.pem'),
    RXWIRE_DOVECOT_CONF: path.join(dir, 'dovecot.conf'),
    RXWIRE_IMAP_USERS: process.env.RXWIRE_IMAP_USERS ?? 'alice:alicepw bob:bobpw bench:benchpw',
  };
}

export function startDovecot(): void {
  const env = dovecotEnv();
  try {
    execFileSync('bash', [script, 'start'], { env: { ...process.env, ...env, RXWIRE_DOVECOT_FRESH: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(
      `Could not start Dovecot for the IMAP integration tests (install it with: apt-get install -y dovecot-imapd openssl).\n` +
        `${err.stdout?.toString() ?? ''}${err.stderr?.toString() ?? err.message}`,
    );
  }
  Object.assign(process.env, env);
}

export function stopDovecot(): void {
  execFileSync('bash', [script, 'stop'], { env: { ...process.env, ...dovecotEnv() }, stdio: 'ignore' });
}

/** True when this jest run includes IMAP tests (no path filter, or a filter naming imap). */
export function runNeedsDovecot(globalConfig: unknown): boolean {
  const g = globalConfig as { testPathPatterns?: { patterns?: string[] } | string[]; testPathPattern?: string } | undefined;
  let patterns: string[] = [];
  const tpp = g?.testPathPatterns;
  if (Array.isArray(tpp)) patterns = tpp;
  else if (tpp && Array.isArray(tpp.patterns)) patterns = tpp.patterns;
  else if (typeof g?.testPathPattern === 'string' && g.testPathPattern !== '') patterns = [g.testPathPattern];
  if (patterns.length === 0) return true;
  return patterns.some((p) => /imap/i.test(p));
}
