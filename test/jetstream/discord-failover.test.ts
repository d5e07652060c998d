/**
 * Discord shard failover across processes, against a real nats-server and
 * the local gateway of rxwire/testing: two worker processes compete for the
 * shard's lease; the holder is killed with SIGKILL while dispatches keep
 * coming; the other worker RESUMES the shard from the checkpoint (no second
 * IDENTIFY) and the consumer sees every dispatch exactly once, in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { DiscordEvent } from '../../src/gateway/discord';
import { fromJetStream, handled } from '../../src/jetstream';
import { discordMessageCreate, startDiscordGateway, type DiscordLocalGateway } from '../../src/testing';
import { eventually, startNatsServer, type NatsServer } from '../../src/testing/nats/server';

let nats: NatsServer;
let nc: NatsConnection;
let gateway: DiscordLocalGateway;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  gateway = await startDiscordGateway({ heartbeatInterval: 500, replayBuffer: 1000 });
}, 30_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await nc?.close();
  await nats?.stop();
  await gateway?.close();
});

function startWorker(owner: string, out: string[]): ChildProcess {
  const w = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'examples', 'jetstream', 'discord-worker.ts')], {
    env: { ...process.env, NATS_URL: nats.url, DISCORD_URL: gateway.url, DISCORD_TOKEN: gateway.token, SHARD_COUNT: '1', OWNER: owner, LEASE_TTL: '1500', STREAM: 'SHARDS', SUBJECT: 'sh' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  w.stdout?.setEncoding('utf8').on('data', (d: string) => out.push(...d.trim().split('\n')));
  w.stderr?.setEncoding('utf8').on('data', (d: string) => out.push(`stderr: ${d.trim()}`));
  workers.push(w);
  return w;
}

test('a killed shard owner is taken over by RESUME from its checkpoint: every dispatch exactly once, in order', async () => {
  const log: string[] = [];
  const w1 = startWorker('w1', log);
  await eventually('w1 Ready', () => log.includes('w1 Ready shard 0'), 30_000);
  startWorker('w2', log);

  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add('SHARDS', { durable_name: 'app', ack_policy: AckPolicy.Explicit, ack_wait: 2_000_000_000 });
  const contents: string[] = [];
  const sub = fromJetStream<DiscordEvent>(jetstream(nc), { stream: 'SHARDS', consumer: 'app' })
    .pipe(handled((e) => (e.type === 'MessageCreate' ? [(e as Extract<DiscordEvent, { type: 'MessageCreate' }>).data.content] : [])))
    .subscribe((cs) => contents.push(...cs));

  const TOTAL = 60;
  let sent = 0;
  const send = async (k: number) => {
    for (let i = 0; i < k; i++) {
      gateway.dispatch('MESSAGE_CREATE', discordMessageCreate(`m${++sent}`));
      await new Promise((r) => setTimeout(r, 15)); // dispatches keep coming over time
    }
  };
  await send(20);
  await eventually('the first dispatches on the bus', () => contents.length >= 10);
  w1.kill('SIGKILL');
  await send(TOTAL - 20);
  await eventually(`w2 to resume the shard (${log.join(' | ')})`, () => log.includes('w2 Resumed shard 0'), 30_000);
  await eventually(`all ${TOTAL} dispatches`, () => contents.length >= TOTAL, 30_000);
  sub.unsubscribe();
  expect(contents).toEqual(Array.from({ length: TOTAL }, (_, i) => `m${i + 1}`));
  expect(gateway.identifyCount).toBe(1); // the takeover resumed; it did not identify again
  expect(gateway.resumeCount).toBeGreaterThanOrEqual(1);
}, 90_000);
