/**
 * One IMAP worker process: competes for the mailboxes' leases in JetStream KV
 * and publishes the events of the mailboxes it holds. Run two (or more) of
 * these; kill one and another takes its mailboxes over from the checkpoint.
 *
 *   NATS_URL=nats://127.0.0.1:4222 IMAP_HOST=127.0.0.1 IMAP_PORT=143 IMAP_USER=alice IMAP_PASSWORD=… \
 *   MAILBOXES=INBOX OWNER=w1 npx tsx examples/jetstream/imap-worker.ts
 */
import { readFileSync } from 'node:fs';
import { leasedMailboxes } from '../../src/jetstream';
import { connectBus, env } from './bus';

export async function main(): Promise<void> {
  const { js, kvm, prefix, ttl, owner } = await connectBus();
  const leases = await kvm.create(env('LEASE_BUCKET', 'rxwire-leases'), { ttl });
  const checkpoints = await kvm.create(env('CHECKPOINT_BUCKET', 'rxwire-checkpoints'));
  const ca = process.env.IMAP_CA ? readFileSync(process.env.IMAP_CA) : undefined;
  leasedMailboxes({
    js,
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
