/**
 * What every worker example shares: settings from the environment, and the
 * connection to NATS with the events stream made sure of.
 */
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** An environment setting (or its fallback); a missing one without fallback says which to set. */
export const env = (name: string, fallback?: string): string => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`set ${name}`);
  return v;
};

export interface Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly kvm: Kvm;
  /** Subject prefix (SUBJECT, default rxwire). */
  readonly prefix: string;
  /** Lease TTL in ms (LEASE_TTL, default 3000). */
  readonly ttl: number;
  /** This worker's name (OWNER, default pid-<pid>). */
  readonly owner: string;
}

/** Connects to NATS_URL (reconnecting forever) and creates the STREAM (default RXWIRE) for `<prefix>.>` if missing. */
export async function connectBus(): Promise<Bus> {
  const nc = await connect({ servers: env('NATS_URL', 'nats://127.0.0.1:4222'), maxReconnectAttempts: -1 });
  const prefix = env('SUBJECT', 'rxwire');
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: env('STREAM', 'RXWIRE'), subjects: [`${prefix}.>`], duplicate_window: 120_000_000_000 }).catch(() => undefined);
  return { nc, js: jetstream(nc), kvm: new Kvm(nc), prefix, ttl: Number(env('LEASE_TTL', '3000')), owner: env('OWNER', `pid-${process.pid}`) };
}
