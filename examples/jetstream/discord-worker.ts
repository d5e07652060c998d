/**
 * One Discord worker process: competes for shard leases in JetStream KV, runs
 * the shards it holds, publishes their events, and checkpoints each shard's
 * session so that another worker can RESUME it when this one dies.
 *
 *   NATS_URL=nats://127.0.0.1:4222 DISCORD_URL=wss://gateway.discord.gg DISCORD_TOKEN=… \
 *   SHARD_COUNT=2 OWNER=w1 npx tsx examples/jetstream/discord-worker.ts
 */
import { leasedShards } from '../../src/jetstream';
import { connectBus, env } from './bus';

export async function main(): Promise<void> {
  const { js, kvm, prefix, ttl, owner } = await connectBus();
  leasedShards({
    js,
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
