/**
 * JetStream demo: two IMAP worker processes share one mailbox through a lease
 * in JetStream KV; a consumer reads the events off the bus. The holder is
 * killed (SIGKILL) mid-stream; the other worker takes the mailbox over from
 * the checkpoint, and the consumer still sees every message once, in order.
 * Needs nats-server (apt-get install nats-server); says so and is passed over
 * otherwise. The mailbox is on rxwire/testing's in-process IMAP server
 * (RXWIRE_DEMO_DOVECOT=1: on a throwaway Dovecot).
 *
 *   npx tsx examples/jetstream-demo.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';
import type { ImapEvent } from '../src/imap/watch/events';
import { ImapClient } from '../src/imap/client';
import { fromJetStream, handled } from '../src/jetstream';
import { startNatsServer } from '../src/testing/nats/server';
import { startDemoImapServer } from './imap-demo';
import { runIfMain, type Demo } from './standalone';

const waitFor = async (what: string, check: () => boolean, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const demo: Demo = async (log) => {
  const dovecot = await startDemoImapServer(log);
  if (!dovecot) return;
  let nats;
  try {
    nats = await startNatsServer();
  } catch (e) {
    dovecot.stop();
    return log(`${e instanceof Error ? e.message : String(e)}: JetStream demo passed over`);
  }
  const workers: ChildProcess[] = [];
  const nc = await connect({ servers: nats.url });
  try {
    const caFile = join(require('node:os').tmpdir(), `rxwire-demo-ca-${process.pid}.pem`) as string;
    require('node:fs').writeFileSync(caFile, dovecot.ca);
    const lines: string[] = [];
    const start = (owner: string): ChildProcess => {
      const w = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'jetstream', 'imap-worker.ts')], {
        env: { ...process.env, NATS_URL: nats!.url, IMAP_HOST: dovecot.host, IMAP_PORT: String(dovecot.port), IMAP_CA: caFile, IMAP_USER: 'alice', IMAP_PASSWORD: dovecot.users.alice, MAILBOXES: 'INBOX', OWNER: owner, LEASE_TTL: '1500' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      w.stdout!.setEncoding('utf8').on('data', (d: string) => {
        for (const l of d.trim().split('\n')) {
          lines.push(l);
          log(`  [${owner}] ${l.replace(`${owner} `, '')}`);
        }
      });
      workers.push(w);
      return w;
    };
    const w1 = start('worker-1');
    await waitFor('worker-1 to hold INBOX', () => lines.includes('worker-1 holds INBOX'));
    const w2 = start('worker-2');
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add('RXWIRE', { durable_name: 'demo', ack_policy: AckPolicy.Explicit });
    const seen: number[] = [];
    const sub = fromJetStream<ImapEvent>(jetstream(nc), { stream: 'RXWIRE', consumer: 'demo' })
      .pipe(handled((e) => (e.type === 'NewMessages' ? e.data.messages : [])))
      .subscribe((ms) =>
        ms.forEach((m) => {
          seen.push(m.uid);
          log(`consumer: uid ${m.uid} "${m.envelope?.subject ?? ''}"`);
        }),
      );
    const appender = new ImapClient({ host: dovecot.host, port: dovecot.port, tlsOptions: { ca: dovecot.ca } });
    await lastValueFrom(appender.connect());
    await lastValueFrom(appender.login('alice', dovecot.users.alice));
    const append = async (i: number) =>
      lastValueFrom(appender.append('INBOX', `From: demo@example.org\r\nSubject: message ${i}\r\n\r\nhello ${i}\r\n`));
    for (let i = 1; i <= 4; i++) await append(i);
    await waitFor('4 messages at the consumer', () => seen.length >= 4);
    log('killing worker-1 (SIGKILL) while mail keeps arriving');
    w1.kill('SIGKILL');
    for (let i = 5; i <= 8; i++) await append(i);
    await waitFor('worker-2 to take over', () => lines.includes('worker-2 holds INBOX'));
    await waitFor('8 messages at the consumer', () => seen.length >= 8);
    log(`consumer saw uids ${seen.join(',')}: each once, in order, across the takeover`);
    sub.unsubscribe();
    await lastValueFrom(appender.logout());
    void w2;
  } finally {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await nc.close();
    await nats.stop();
    dovecot.stop();
  }
};

export default demo;
runIfMain(module, demo);
