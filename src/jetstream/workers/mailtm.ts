/**
 * Mail.tm accounts spread over worker processes: each account is a lease; its
 * holder polls it, publishes every event to JetStream and checkpoints the ids
 * of the messages the stream acked. A takeover reads the mailbox again
 * (backlog on) and skips what the checkpoint holds, so mail that arrived
 * while no one held the account is reported, and nothing twice (the message
 * id `mailtm:<id>` also makes a republish within the stream's duplicate
 * window a no-op). The first holder of an account reports the mail that was
 * already there once (there is no earlier checkpoint to tell it apart).
 */
import { defer, filter, mergeMap, tap, type Observable } from 'rxjs';
import type { MailtmEvent } from '../../mailtm/events';
import { Mailtm, type MailtmEventsOptions, type MailtmOptions } from '../../mailtm/mailtm';
import type { MailtmCredentials } from '../../mailtm/session';
import { checkpointStore, MailtmCheckpoint } from '../checkpoint';
import type { HoldLeaseOptions } from '../holdLease';
import { latestWriter } from '../latestWriter';
import { leasedWork } from '../leasedWork';
import type { JetStreamPublisher, KvLike } from '../ports';
import { subjectToken } from '../subject';
import { toJetStream, type Published } from '../toJetStream';

/** Options of `leasedAccounts`. */
export interface LeasedAccountsOptions {
  /** The JetStream client to publish with. */
  readonly js: JetStreamPublisher;
  /** KV bucket for leases (its TTL = `lease.ttl`). */
  readonly leases: KvLike;
  /** KV bucket for checkpoints (no TTL). */
  readonly checkpoints: KvLike;
  /** The accounts to spread over the workers. */
  readonly accounts: readonly MailtmCredentials[];
  /** Client options (baseUrl, rate limit, backoff) shared by the accounts. */
  readonly client?: Omit<MailtmOptions, 'credentials'>;
  /** Polling options for each account (backlog is always on: see above). */
  readonly events?: Omit<MailtmEventsOptions, 'backlog'>;
  /** Lease TTL and this worker's owner name. */
  readonly lease: HoldLeaseOptions;
  /** Subject prefix (default `rxwire`): events go to `<prefix>.mailtm.<address>.<type>`. */
  readonly subject?: string;
  /** How many acked ids a checkpoint keeps (oldest dropped first). Default 5000. */
  readonly maxSeen?: number;
}

/** Runs in every worker process: polls the accounts this process holds a lease on. */
export function leasedAccounts(options: LeasedAccountsOptions): Observable<Published<MailtmEvent>> {
  const store = checkpointStore(options.checkpoints, MailtmCheckpoint);
  const maxSeen = options.maxSeen ?? 5000;
  const keyOf = (address: string): string => `mailtm.${subjectToken(address.replace(/@/g, '_at_'))}`;
  const byKey = new Map(options.accounts.map((a) => [keyOf(a.address), a]));
  return leasedWork(options.leases, [...byKey.keys()], options.lease, (key) => {
    const credentials = byKey.get(key)!;
    return defer(async () => store.get(key)).pipe(
      mergeMap((cp) => {
        const seen = new Set(cp?.seen ?? []);
        const write = latestWriter((ids: string[]) => store.put(key, { seen: ids }));
        return new Mailtm({ ...options.client, credentials }).events({ ...options.events, backlog: true }).pipe(
          filter((e) => !(e.type === 'NewMessage' && seen.has(e.data.id))),
          toJetStream(options.js, { subject: options.subject, partition: () => credentials.address }),
          tap((p) => {
            const e = p.event;
            if (e.type !== 'NewMessage') return;
            seen.add(e.data.id);
            while (seen.size > maxSeen) seen.delete(seen.values().next().value as string);
            write([...seen]);
          }),
        );
      }),
    );
  });
}
