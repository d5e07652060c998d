import * as fs from 'node:fs';
import { lastValueFrom } from 'rxjs';
import { ImapClient, type ImapClientOptions } from '../../src/imap';

export const host = process.env.RXWIRE_IMAP_HOST ?? '127.0.0.1';
export const port = Number(process.env.RXWIRE_IMAP_PORT ?? 1143);
export const tlsPort = Number(process.env.RXWIRE_IMAPS_PORT ?? 1993);
export const caPath = process.env.RXWIRE_IMAP_CA ?? '';
export const dovecotConf = process.env.RXWIRE_DOVECOT_CONF ?? '';

export function ca(): Buffer {
  if (!caPath) throw new Error('RXWIRE_IMAP_CA is not set: the jest global setup starts Dovecot and sets it');
  return fs.readFileSync(caPath);
}

export function users(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of (process.env.RXWIRE_IMAP_USERS ?? 'alice:alicepw bob:bobpw carol:carolpw bench:benchpw').split(/\s+/)) {
    const i = e.indexOf(':');
    if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
  }
  return out;
}

/** A client for the test Dovecot (STARTTLS with its CA unless overridden). */
export function client(options: Partial<ImapClientOptions> = {}): ImapClient {
  return new ImapClient({ host, port, tlsOptions: { ca: ca() }, commandTimeout: 20_000, ...options });
}

/** Connected and logged in as `user`. */
export async function loggedIn(user = 'alice', options: Partial<ImapClientOptions> = {}): Promise<ImapClient> {
  const c = client(options);
  await lastValueFrom(c.connect());
  await lastValueFrom(c.login(user, users()[user]));
  return c;
}

/** A mailbox name unique to this test run. */
let n = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${++n}`;
}

export function message(subject: string, body = 'hello\r\n', extraHeaders = ''): string {
  return `From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: ${subject}\r\nMessage-ID: <${uniqueName('m')}@example.org>\r\n${extraHeaders}Date: Mon, 23 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`;
}

/**
 * Kills the Dovecot imap processes serving `user` (server-side disconnect).
 * Dovecot runs with verbose_proctitle, so each session's process is titled
 * `dovecot-rxwire-dovecot-<port>/imap [user ip state]`. Returns the pids killed.
 */
export function killSessions(user: string): number[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  const needle = `rxwire-dovecot-${port}/imap [${user} `;
  const pids: number[] = [];
  for (const line of out.split('\n')) {
    if (!line.includes(needle)) continue;
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (pid > 0) {
      process.kill(pid, 'SIGKILL');
      pids.push(pid);
    }
  }
  return pids;
}
