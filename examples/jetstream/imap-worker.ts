/**
 * One IMAP worker process: competes for the mailboxes' leases in JetStream KV
 * and publishes the events of the mailboxes it holds. Run two (or more) of
 * these; kill one and another takes its mailboxes over from the checkpoint.
 *
 *   NATS_URL=nats://127.0.0.1:4222 IMAP_HOST=127.0.0.1 IMAP_PORT=143 IMAP_USER=alice IMAP_PASSWORD=… \
 *   MAILBOXES=INBOX OWNER=w1 npx tsx examples/jetstream/imap-worker.ts
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { leasedMailboxes } from '../../src/jetstream';

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
  const leases = await kvm.create(env('LEASE_BUCKET', 'rxwire-leases'), { ttl });
  const checkpoints = await kvm.create(env('CHECKPOINT_BUCKET', 'rxwire-checkpoints'));
  const ca = process.env.IMAP_CA ? readFileSync(process.env.IMAP_CA) : undefined;
  const owner = env('OWNER', `pid-${process.pid}`);
  leasedMailboxes({
    js: jetstream(nc),
    leases,
    checkpoints,
    subject: prefix,
    mailboxes: env('MAILBOXES', 'INBOX').split(','),
    lease: { ttl, owner },
    connection: {
      host: env('IMAP_HOST', '127.0.0.1'),
      port: Number(env('IMAP_PORT', '143')),
      tlsOptions: ca ? { ca } : undefined,
      auth: { user: env('IMAP_USER'), password: env('IMAP_PASSWORD') },
    },
    watch: { backoff: { initialDelay: 100, maxDelay: 1000, jitter: 'none' } },
  }).subscribe({
    next: (p) => {
      if (p.event.type === 'MailboxSelected') console.log(`${owner} holds ${p.event.data.mailbox}`);
      if (p.event.type === 'NewMessages') console.log(`${owner} published uid ${p.event.data.messages.map((m) => m.uid).join(',')}${p.ack?.duplicate ? ' (duplicate)' : ''}`);
    },
    error: (e: unknown) => {
      console.error(`${owner} failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  });
}

if (require.main === module) void main();
