/**
 * Discord shards spread over worker processes: each shard is a lease; its
 * holder runs the shard, publishes every event to JetStream, and checkpoints
 * the session (id, the sequence of the last event the stream ACKED, resume
 * URL) in KV. When the holder dies, another process takes the lease after its
 * TTL and RESUMES the shard from the checkpoint (no new IDENTIFY): Discord
 * replays what was missed; the events the old holder had already published
 * come again with the same message id (`discord:<session>:<seq>`) and
 * JetStream drops them, so the consumer sees every dispatch once, in order.
 * Identifies across processes go through `jetStreamIdentifyThrottler` when an
 * identify bucket is given. A shard whose lease is lost is closed with 4200
 * (the session stays resumable for the next holder).
 */
import { defer, mergeMap, tap, type Observable } from 'rxjs';
import { discord, type DiscordGatewayOptions } from '../../gateway/discord/gateway';
import type { DiscordEvent } from '../../gateway/discord/events';
import type { DiscordSessionInfo } from '../../gateway/discord/shard';
import { checkpointStore, DiscordSessionCheckpoint } from '../checkpoint';
import type { HoldLeaseOptions } from '../holdLease';
import { jetStreamIdentifyThrottler } from '../identifyThrottle';
import { latestWriter } from '../latestWriter';
import { leasedWork } from '../leasedWork';
import type { JetStreamPublisher, KvLike } from '../ports';
import { toJetStream, type Published } from '../toJetStream';

/** Options of `leasedShards`. */
export interface LeasedShardsOptions {
  /** The JetStream client to publish with. */
  readonly js: JetStreamPublisher;
  /** KV bucket for leases (its TTL = `lease.ttl`). */
  readonly leases: KvLike;
  /** KV bucket for session checkpoints (no TTL). */
  readonly sessions: KvLike;
  /** KV bucket for identify slots (TTL ≥ 5.5 s); omit to throttle per process only. */
  readonly identify?: KvLike;
  /** The Discord options every shard shares; `shardCount` must be a number (the same in every process). */
  readonly discord: Omit<DiscordGatewayOptions, 'shardIds' | 'shardCount' | 'retrieveSessionInfo' | 'updateSessionInfo' | 'closeSession' | 'identifyThrottler'> & {
    readonly shardCount: number;
  };
  /** The shard ids to spread (default all of 0 .. shardCount-1). */
  readonly shardIds?: readonly number[];
  /** Lease TTL and this worker's owner name. */
  readonly lease: HoldLeaseOptions;
  /** Subject prefix (default `rxwire`): events go to `<prefix>.discord.<shard>.<type>`. */
  readonly subject?: string;
}

/** Runs in every worker process: runs the shards this process holds a lease on. */
export function leasedShards(options: LeasedShardsOptions): Observable<Published<DiscordEvent>> {
  const store = checkpointStore(options.sessions, DiscordSessionCheckpoint);
  const count = options.discord.shardCount;
  const ids = options.shardIds ?? Array.from({ length: count }, (_, i) => i);
  const throttler = options.identify
    ? jetStreamIdentifyThrottler(options.identify, { owner: options.lease.owner, maxConcurrency: options.discord.maxConcurrency })
    : undefined;
  const keyOf = (id: number): string => `discord.${count}.${id}`;
  const byKey = new Map(ids.map((id) => [keyOf(id), id]));
  return leasedWork(options.leases, [...byKey.keys()], options.lease, (key) => {
    const shardId = byKey.get(key)!;
    return defer(async () => store.get(key)).pipe(
      mergeMap((cp) => {
        const stored: DiscordSessionInfo | undefined =
          cp && cp.shardCount === count ? { shardId, shardCount: count, sessionId: cp.sessionId, sequence: cp.sequence, ...(cp.resumeUrl ? { resumeURL: cp.resumeUrl } : {}) } : undefined;
        let session = stored ? { id: stored.sessionId, resumeUrl: stored.resumeURL ?? '' } : undefined;
        const write = latestWriter((c: DiscordSessionCheckpoint) => store.put(key, c));
        const gateway = discord({
          ...options.discord,
          shardCount: count,
          shardIds: [shardId],
          closeSession: 'keep',
          ...(throttler ? { identifyThrottler: throttler } : {}),
          retrieveSessionInfo: () => stored,
          // The hook sees the session as the shard does (its seq runs ahead of the bus): keep only id and URL from it.
          updateSessionInfo: (_id, info) => {
            session = info ? { id: info.sessionId, resumeUrl: info.resumeURL ?? '' } : undefined;
          },
        });
        return gateway.events$.pipe(
          tap((e) => {
            if (e.type === 'Ready') session = { id: e.data.session_id, resumeUrl: session?.resumeUrl ?? '' };
          }),
          toJetStream(options.js, {
            subject: options.subject,
            messageId: (e) => (typeof e.seq === 'number' && session ? `discord:${session.id}:${e.seq}` : undefined),
          }),
          tap((p) => {
            // Only after the stream acked: the next holder resumes from here and loses nothing.
            if (typeof p.event.seq === 'number' && session) write({ sessionId: session.id, sequence: p.event.seq, resumeUrl: session.resumeUrl, shardId, shardCount: count });
          }),
        );
      }),
    );
  });
}
