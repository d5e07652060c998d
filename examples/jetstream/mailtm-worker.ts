/**
 * One Mail.tm worker process: competes for account leases in JetStream KV,
 * polls the accounts it holds and publishes their events; another worker
 * takes an account over from its checkpoint when this one dies.
 *
 *   NATS_URL=nats://127.0.0.1:4222 MAILTM_URL=https://api.mail.tm \
 *   MAILTM_ADDRESS=me@example.org MAILTM_PASSWORD=… OWNER=w1 npx tsx examples/jetstream/mailtm-worker.ts
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { leasedAccounts } from '../../src/jetstream';

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
  leasedAccounts({
    js: jetstream(nc),
    leases: await kvm.create(env('LEASE_BUCKET', 'rxwire-account-leases'), { ttl }),
    checkpoints: await kvm.create(env('CHECKPOINT_BUCKET', 'rxwire-account-checkpoints')),
    subject: prefix,
    lease: { ttl, owner },
    accounts: [{ address: env('MAILTM_ADDRESS'), password: env('MAILTM_PASSWORD') }],
    client: { baseUrl: env('MAILTM_URL', 'https://api.mail.tm') },
    events: { pollInterval: Number(env('POLL_MS', '1000')) },
  }).subscribe({
    next: (p) => {
      if (p.event.type === 'AccountSwitched') console.log(`${owner} holds ${p.event.data.to}`);
      if (p.event.type === 'NewMessage') console.log(`${owner} published ${p.event.data.id}${p.ack?.duplicate ? ' (duplicate)' : ''}`);
    },
    error: (err: unknown) => {
      console.error(`${owner} failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  });
}

if (require.main === module) void main();
