/**
 * Mail.tm account failover across processes, against a real nats-server and
 * the local Mail.tm server of rxwire/testing: two worker processes compete for
 * the account's lease; the holder is killed with SIGKILL while mail keeps
 * arriving; the other takes the account over from the checkpoint. The
 * consumer must see every message exactly once, in arrival order through the
 * takeover; then the bus itself restarts and nothing may be lost or doubled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { firstValueFrom } from 'rxjs';
import { fromJetStream, handled } from '../../src/jetstream';
import { MailtmClient } from '../../src/mailtm/client';
import type { MailtmEvent } from '../../src/mailtm/events';
import { startMailtmServer, type MailtmTestServer } from '../../src/testing/mailtm';
import { eventually, startNatsServer, type NatsServer } from '../../src/testing/nats/server';

let nats: NatsServer;
let nc: NatsConnection;
let mailtm: MailtmTestServer;
const workers: ChildProcess[] = [];
const address = 'failover@rxwire.test';
const password = 'failover-secret';

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  mailtm = await startMailtmServer({ rateLimit: false });
  await firstValueFrom(new MailtmClient({ baseUrl: mailtm.url }).createAccount({ address, password }));
}, 30_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await nc?.close();
  await nats?.stop();
  await mailtm?.close();
});

function startWorker(owner: string, out: string[]): ChildProcess {
  const w = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'examples', 'jetstream', 'mailtm-worker.ts')], {
    env: { ...process.env, NATS_URL: nats.url, MAILTM_URL: mailtm.url, MAILTM_ADDRESS: address, MAILTM_PASSWORD: password, OWNER: owner, LEASE_TTL: '1500', POLL_MS: '100', STREAM: 'MAIL', SUBJECT: 'ml' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  w.stdout?.setEncoding('utf8').on('data', (d: string) => out.push(...d.trim().split('\n')));
  w.stderr?.setEncoding('utf8').on('data', (d: string) => out.push(`stderr: ${d.trim()}`));
  workers.push(w);
  return w;
}

test('a killed account owner is taken over from its checkpoint, and the bus restarts: every message exactly once (in order up to the bus restart)', async () => {
  const log: string[] = [];
  const w1 = startWorker('w1', log);
  await eventually(`w1 to hold the account (${log.join(' | ')})`, () => log.includes(`w1 holds ${address}`), 30_000);
  startWorker('w2', log);
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add('MAIL', { durable_name: 'app', ack_policy: AckPolicy.Explicit, ack_wait: 2_000_000_000 });
  const ids: string[] = [];
  const times: number[] = [];
  const sub = fromJetStream<MailtmEvent>(jetstream(nc), { stream: 'MAIL', consumer: 'app' })
    .pipe(handled((e) => (e.type === 'NewMessage' ? [(e as Extract<MailtmEvent, { type: 'NewMessage' }>).data] : [])))
    .subscribe((ms) =>
      ms.forEach((m) => {
        ids.push(m.id);
        times.push(Date.parse(m.createdAt));
      }),
    );

  const delivered: string[] = [];
  const deliver = async (k: number) => {
    for (let i = 0; i < k; i++) {
      delivered.push(mailtm.deliver(address, { subject: `m${delivered.length + 1}` }));
      await new Promise((r) => setTimeout(r, 40)); // mail keeps arriving over time
    }
  };
  await deliver(8);
  await eventually('the first messages on the bus', () => ids.length >= 4);
  w1.kill('SIGKILL');
  await deliver(12);
  await eventually(`w2 to take over (${log.join(' | ')})`, () => log.includes(`w2 holds ${address}`), 30_000);
  await eventually(`the first ${delivered.length} messages`, () => ids.length >= delivered.length, 30_000);
  // The bus itself restarts while mail keeps arriving: nothing is lost either.
  await nats.restart();
  await deliver(10);
  await eventually(`all ${delivered.length} messages after the bus restart`, () => ids.length >= delivered.length, 45_000);
  sub.unsubscribe();
  // Exactly once: the same ids, none twice.
  expect([...ids].sort()).toEqual([...delivered].sort());
  expect(new Set(ids).size).toBe(ids.length);
  // In order through the worker's death and the takeover. Across the bus restart itself only "nothing lost,
  // nothing twice" holds: JetStream redelivers what was in flight after the ack wait, after newer messages.
  expect(ids.slice(0, 20)).toEqual(delivered.slice(0, 20));
  expect(times.length).toBe(ids.length);
}, 90_000);
