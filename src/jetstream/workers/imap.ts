/**
 * IMAP mailboxes spread over worker processes: each mailbox is a lease; its
 * holder watches it (IDLE) from the mailbox's checkpoint, publishes every
 * event to JetStream and moves the checkpoint only after the stream acked.
 * When a holder dies, another process takes the lease after its TTL and
 * catches up from the checkpoint: the messages the old holder had published
 * but not checkpointed are published again with the same message ids
 * (`imap:<mailbox>:<uidvalidity>:new:<uid>`), which JetStream drops as
 * duplicates, so the consumer sees every message exactly once, in UID order.
 *
 * NewMessages events are split into one event per message before publishing,
 * so that a catch-up that batches messages differently still produces the
 * same ids.
 */
import { concatMap, defer, from, mergeMap, type Observable } from 'rxjs';
import type { ImapEvent } from '../../imap/watch/events';
import { watchMailbox, type WatchOptions } from '../../imap/watch/watchMailbox';
import type { SessionOptions } from '../../imap/session';
import { checkpointStore, ImapCheckpoint } from '../checkpoint';
import type { HoldLeaseOptions } from '../holdLease';
import { leasedWork } from '../leasedWork';
import type { JetStreamPublisher, KvLike } from '../ports';
import { subjectToken } from '../subject';
import { toJetStream, type Published } from '../toJetStream';

/** Options of `leasedMailboxes`. */
export interface LeasedMailboxesOptions {
  /** The JetStream client to publish with. */
  readonly js: JetStreamPublisher;
  /** KV bucket for leases (its TTL = `lease.ttl`). */
  readonly leases: KvLike;
  /** KV bucket for checkpoints (no TTL). */
  readonly checkpoints: KvLike;
  /** How to reach and log in to the IMAP server. */
  readonly connection: SessionOptions;
  /** The mailboxes to spread over the workers. */
  readonly mailboxes: readonly string[];
  /** Lease TTL and this worker's owner name. */
  readonly lease: HoldLeaseOptions;
  /** Subject prefix (default `rxwire`): events go to `<prefix>.imap.<mailbox>.<type>`. */
  readonly subject?: string;
  /** Options for each mailbox's watcher. */
  readonly watch?: WatchOptions;
}

/** One NewMessages event per message, so message ids do not depend on how a catch-up batched them. */
function perMessage(e: ImapEvent): ImapEvent[] {
  if (e.type !== 'NewMessages' || e.data.messages.length <= 1) return [e];
  const { count, previous, messages } = e.data;
  const last = messages.length - 1;
  return messages.map((m, i) => ({ ...e, data: { count: i === last ? count : previous + i + 1, previous: previous + i, messages: [m] } }));
}

/** Runs in every worker process: watches the mailboxes this process holds a lease on. */
export function leasedMailboxes(options: LeasedMailboxesOptions): Observable<Published<ImapEvent>> {
  const store = checkpointStore(options.checkpoints, ImapCheckpoint);
  const user = 'auth' in options.connection && options.connection.auth && 'user' in options.connection.auth ? options.connection.auth.user : 'user';
  const keyOf = (mailbox: string): string => `imap.${subjectToken(options.connection.host)}.${subjectToken(user)}.${subjectToken(mailbox)}`;
  const byKey = new Map(options.mailboxes.map((m) => [keyOf(m), m]));
  return leasedWork(options.leases, [...byKey.keys()], options.lease, (key) => {
    const mailbox = byKey.get(key)!;
    return defer(async () => store.get(key)).pipe(
      mergeMap((checkpoint) => {
        let cp = checkpoint;
        return watchMailbox(options.connection, mailbox, { ...options.watch, sinceUid: cp?.lastUid ?? null }).pipe(
          concatMap((e) => from(perMessage(e))),
          toJetStream(options.js, { subject: options.subject, partition: () => mailbox }),
          concatMap(async (p) => {
            const e = p.event;
            let next = cp;
            if (e.type === 'MailboxSelected') {
              if (!cp || cp.uidValidity !== e.data.uidValidity) {
                next = { uidValidity: e.data.uidValidity, lastUid: Math.max(0, (e.data.uidNext ?? 1) - 1), highestModSeq: e.data.highestModSeq };
              }
            } else if (e.type === 'NewMessages' && cp) {
              const top = Math.max(cp.lastUid, ...e.data.messages.map((m) => m.uid));
              next = { ...cp, lastUid: top, highestModSeq: e.data.messages.reduce<number | null>((h, m) => (m.modseq !== null && (h === null || m.modseq > h) ? m.modseq : h), cp.highestModSeq) };
            }
            if (next !== cp && next !== undefined) {
              await store.put(key, next);
              cp = next;
            }
            return p;
          }),
        );
      }),
    );
  });
}
