/**
 * One Mail.tm worker process: competes for account leases in JetStream KV,
 * polls the accounts it holds and publishes their events; another worker
 * takes an account over from its checkpoint when this one dies.
 *
 *   NATS_URL=nats://127.0.0.1:4222 MAILTM_URL=https://api.mail.tm \
 *   MAILTM_ADDRESS=me@example.org MAILTM_PASSWORD=… OWNER=w1 npx tsx examples/jetstream/mailtm-worker.ts
 */
import { leasedAccounts } from '../../src/jetstream';
import { connectBus, env } from './bus';

export async function main(): Promise<void> {
  const { js, kvm, prefix, ttl, owner } = await connectBus();
  leasedAccounts({
    js,
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
