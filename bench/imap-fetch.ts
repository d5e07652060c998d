/**
 * Fetching all envelopes of a 10,000-message mailbox from a real Dovecot:
 * rxwire (`client.fetch('1:*', ['UID', 'ENVELOPE'])`) against imapflow
 * (`for await (const m of client.fetch('1:*', { uid: true, envelope: true }))`),
 * alternating, median of 3, both over plain TCP on loopback (so TLS cost
 * does not hide the client's own work).
 *
 * Uses the Dovecot of scripts/dovecot.sh (started here when not running, and
 * stopped again afterwards). The mailbox is populated by writing Maildir files
 * directly, once.
 *
 *   npx tsx bench/imap-fetch.ts [messages=10000] [runs=3]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { count, lastValueFrom } from 'rxjs';
import { ImapFlow } from 'imapflow';
import { ImapClient } from '../src/imap';

const MESSAGES = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 3);
const PORT = Number(process.env.RXWIRE_IMAP_PORT ?? 1143);
const DIR = process.env.RXWIRE_DOVECOT_DIR ?? path.join(process.env.TMPDIR ?? '/tmp', `rxwire-dovecot-${PORT}`);
const USER = 'bench';
const PASS = 'benchpw';
const BOX = `Envelopes${MESSAGES}`;
const script = path.join(__dirname, '..', 'scripts', 'dovecot.sh');

function dovecot(cmd: 'start' | 'status' | 'stop'): boolean {
  try {
    execFileSync('bash', [script, cmd], { stdio: 'ignore', env: { ...process.env, RXWIRE_IMAP_PORT: String(PORT), RXWIRE_DOVECOT_DIR: DIR } });
    return true;
  } catch {
    return false;
  }
}

function populate(): void {
  const box = path.join(DIR, 'mail', USER, 'Maildir', `.${BOX}`);
  const cur = path.join(box, 'cur');
  if (fs.existsSync(cur) && fs.readdirSync(cur).length >= MESSAGES) return;
  fs.rmSync(box, { recursive: true, force: true });
  for (const d of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(box, d), { recursive: true });
  fs.writeFileSync(path.join(box, 'maildirfolder'), '');
  const t = Math.floor(Date.now() / 1000);
  for (let i = 1; i <= MESSAGES; i++) {
    const msg =
      `Return-Path: <sender${i}@example.com>\r\nFrom: "Sender \\"${i}\\"" <sender${i}@example.com>\r\nTo: Bench <bench@example.org>, other${i % 17}@example.net\r\n` +
      `Cc: "List ${i % 9}" <list@example.org>\r\nSubject: [list-${i % 23}] message number ${i} ${i % 3 ? 'plain' : 'with ünïcödé'}\r\n` +
      `Date: Mon, 04 Nov 2024 10:${String(i % 60).padStart(2, '0')}:00 +0000\r\nMessage-ID: <bench-${i}@example.com>\r\n${i % 2 ? `In-Reply-To: <bench-${i - 1}@example.com>\r\n` : ''}` +
      `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody of message ${i}.\r\n`;
    fs.writeFileSync(path.join(box, 'cur', `${t + i}.M${i}P1.bench,S=${Buffer.byteLength(msg)}:2,${i % 4 ? 'S' : ''}`), msg);
  }
  // Dovecot runs as the owner of its directory
  const st = fs.statSync(DIR);
  execFileSync('chown', ['-R', `${st.uid}:${st.gid}`, path.join(DIR, 'mail', USER)]);
}

async function rxwire(): Promise<number> {
  const c = new ImapClient({ host: '127.0.0.1', port: PORT, tls: 'none', allowCleartextLogin: true, commandTimeout: 120_000 });
  await lastValueFrom(c.connect());
  await lastValueFrom(c.login(USER, PASS));
  await lastValueFrom(c.examine(BOX));
  const t0 = performance.now();
  const n = await lastValueFrom(c.fetch('1:*', ['UID', 'ENVELOPE']).pipe(count()));
  const ms = performance.now() - t0;
  await lastValueFrom(c.logout());
  if (n !== MESSAGES) throw new Error(`rxwire fetched ${n}`);
  return ms;
}

async function imapflow(): Promise<number> {
  const c = new ImapFlow({ host: '127.0.0.1', port: PORT, secure: false, doSTARTTLS: false, auth: { user: USER, pass: PASS }, logger: false });
  await c.connect();
  const lock = await c.getMailboxLock(BOX, { readOnly: true });
  const t0 = performance.now();
  let n = 0;
  for await (const m of c.fetch('1:*', { uid: true, envelope: true })) if (m.envelope) n++;
  const ms = performance.now() - t0;
  lock.release();
  await c.logout();
  if (n !== MESSAGES) throw new Error(`imapflow fetched ${n}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const wasRunning = dovecot('status');
  if (!wasRunning && !dovecot('start')) throw new Error('could not start Dovecot (apt-get install -y dovecot-imapd)');
  try {
    populate();
    await rxwire(); // warm-up: Dovecot indexes the mailbox once
    await imapflow();
    const rx: number[] = [];
    const ifl: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      rx.push(await rxwire());
      ifl.push(await imapflow());
    }
    const row = (name: string, ms: number) => console.log(`  ${name.padEnd(10)} ${ms.toFixed(0).padStart(6)} ms  ${Math.round(MESSAGES / (ms / 1000)).toLocaleString('en-US').padStart(9)} messages/s`);
    console.log(`IMAP fetch: ENVELOPE of all ${MESSAGES} messages from Dovecot on 127.0.0.1:${PORT}, median of ${RUNS}`);
    row('imapflow', median(ifl));
    row('rxwire', median(rx));
    console.log(`  ratio rxwire / imapflow: ${(median(ifl) / median(rx)).toFixed(2)}x faster`);
  } finally {
    if (!wasRunning) dovecot('stop');
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
