/**
 * One Discord worker process: competes for shard leases in JetStream KV, runs
 * the shards it holds, publishes their events, and checkpoints each shard's
 * session so that another worker can RESUME it when this one dies.
 *
 *   NATS_URL=nats://127.0.0.1:4222 DISCORD_URL=wss://gateway.discord.gg DISCORD_TOKEN=… \
 *   SHARD_COUNT=2 OWNER=w1 npx tsx examples/jetstream/discord-worker.ts
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { leasedShards } from '../../src/jetstream';

const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`set ${name}`);
  return v;
};

export async function main(): Promise<void> {
  const nc = await connect({ servers: env('NATS_URL', 'nats://127.0.0.1:4222'), maxReconnectAttempts: -1 });
  const prefix = env('SUBJECT', 'rxwire');
  const ttl = Number(env('LEASE_TTL', '3000'));
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: env('STREAM', 'RXWIRE'), subjects: [`${prefix}.>`], duplicate_window: 120_000_000_000 }).catch(() => undefined);
  const kvm = new Kvm(nc);
  const owner = env('OWNER', `pid-${process.pid}`);
  leasedShards({
    js: jetstream(nc),
    leases: await kvm.create(env('LEASE_BUCKET', 'rxwire-shard-leases'), { ttl }),
    sessions: await kvm.create(env('SESSION_BUCKET', 'rxwire-shard-sessions')),
    identify: await kvm.create(env('IDENTIFY_BUCKET', 'rxwire-identify'), { ttl: 5500 }),
    subject: prefix,
    lease: { ttl, owner },
    discord: {
      token: env('DISCORD_TOKEN'),
      intents: Number(env('DISCORD_INTENTS', String(1 | 512 | 32768))),
      url: env('DISCORD_URL', 'wss://gateway.discord.gg'),
      shardCount: Number(env('SHARD_COUNT', '1')),
      backoff: { initialDelay: 100, maxDelay: 1000 },
    },
  }).subscribe({
    next: (p) => {
      const e = p.event;
      if (e.type === 'Ready' || e.type === 'Resumed') console.log(`${owner} ${e.type} shard ${e.shard}`);
      if (e.type === 'MessageCreate') console.log(`${owner} published seq ${e.seq}${p.ack?.duplicate ? ' (duplicate)' : ''}`);
    },
    error: (err: unknown) => {
      console.error(`${owner} failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  });
}

if (require.main === module) void main();
