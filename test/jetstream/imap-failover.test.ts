/**
 * IMAP mailbox failover across processes, against a real nats-server and the
 * real Dovecot of the jest global setup: two worker processes compete for the
 * mailbox lease; the holder is killed with SIGKILL while mail keeps arriving;
 * the other takes over from the checkpoint. The consumer must see every
 * message exactly once, in UID order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { lastValueFrom } from 'rxjs';
import { fromJetStream, handled } from '../../src/jetstream';
import type { ImapEvent } from '../../src/imap/watch/events';
import { caPath, host, loggedIn, message, port, uniqueName, users } from '../imap/helpers';
import { eventually, startNatsServer, type NatsServer } from '../../src/testing/nats/server';

const USER = 'carol';
const TTL = 1500;
let nats: NatsServer;
let nc: NatsConnection;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
}, 30_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await nc?.close();
  await nats?.stop();
});

function startWorker(owner: string, mailbox: string, out: string[]): ChildProcess {
  // node --import tsx (not the tsx CLI, which runs the script in a child process SIGKILL would not reach)
  const w = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'examples', 'jetstream', 'imap-worker.ts')], {
    env: {
      ...process.env,
      NATS_URL: nats.url,
      IMAP_HOST: host,
      IMAP_PORT: String(port),
      IMAP_CA: caPath,
      IMAP_USER: USER,
      IMAP_PASSWORD: users()[USER],
      MAILBOXES: mailbox,
      OWNER: owner,
      LEASE_TTL: String(TTL),
      STREAM: 'FAILOVER',
      SUBJECT: 'fo',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  w.stdout?.setEncoding('utf8').on('data', (d: string) => out.push(...d.trim().split('\n')));
  w.stderr?.setEncoding('utf8').on('data', (d: string) => out.push(`stderr: ${d.trim()}`));
  workers.push(w);
  return w;
}

test('a killed mailbox owner is taken over from its checkpoint: every message exactly once, in order', async () => {
  const mailbox = uniqueName('failover');
  const appender = await loggedIn(USER);
  await lastValueFrom(appender.create(mailbox));
  const log: string[] = [];
  const w1 = startWorker('w1', mailbox, log);
  await eventually('w1 to hold the mailbox', () => log.some((l) => l === `w1 holds ${mailbox}`), 30_000);
  const w2 = startWorker('w2', mailbox, log);

  const jsm = await jetstreamManager(nc);
  await eventually('the stream', async () => (await jsm.streams.names().next()).includes('FAILOVER'));
  await jsm.consumers.add('FAILOVER', { durable_name: 'app', ack_policy: AckPolicy.Explicit, ack_wait: 2_000_000_000 });
  const uids: number[] = [];
  const sub = fromJetStream<ImapEvent>(nc && jetstream(nc), { stream: 'FAILOVER', consumer: 'app' })
    .pipe(handled((e) => (e.type === 'NewMessages' ? e.data.messages.map((m) => m.uid) : [])))
    .subscribe((us) => uids.push(...us));

  const TOTAL = 30;
  let appended = 0;
  const append = async (k: number) => {
    for (let i = 0; i < k; i++) {
      await lastValueFrom(appender.append(mailbox, message(`m${++appended}`)));
      await new Promise((r) => setTimeout(r, 30)); // mail keeps arriving over time
    }
  };
  await append(10);
  await eventually('the first messages on the bus', () => uids.length >= 5);
  // Kill the holder mid-stream while mail keeps arriving.
  const holder = log.some((l) => l === `w2 holds ${mailbox}`) ? w2 : w1;
  const survivor = holder === w1 ? 'w2' : 'w1';
  holder.kill('SIGKILL');
  await append(TOTAL - 10);
  await eventually(`${survivor} to take over (log: ${log.join(" | ")})`, () => log.some((l) => l === `${survivor} holds ${mailbox}`), 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${log.join("\n")}`);
  });
  await eventually(`all ${TOTAL} messages`, () => uids.length >= TOTAL, 30_000);
  sub.unsubscribe();
  expect(uids).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  await lastValueFrom(appender.logout());
}, 90_000);
