/**
 * `discordGateway(options)`: N shards as one merged stream (each event tagged
 * with its shard id), sharing one identify throttler, plus the actions
 * (presence update, voice state update, request guild members) as cold
 * Observables that send on the right shard's live connection.
 *
 * `events$` is shared with refCount: the first subscriber connects, the last
 * unsubscribe closes every shard. Actions subscribe to it too, so they work
 * while an app listens and wait for the shard to be Ready otherwise.
 */
import { defer, filter, merge, Observable, share, take, takeWhile, throwError } from 'rxjs';
import { ProtocolViolationError, RateLimitedError } from '../../core';
import type { DiscordEvent } from './events';
import { Op } from './frame';
import { createIdentifyThrottler, type IdentifyThrottler } from './identifyThrottle';
import type { GatewayPayload } from './session';
import { shardEvents, type ShardHandle, type ShardOptions } from './shard';
import { shardFor } from './shardFor';

/**
 * Everything a shard takes (token, intents, url, compression, timeouts, backoff, scheduler, ...),
 * minus what the gateway decides per shard, plus how to shard.
 */
export interface DiscordGatewayOptions extends Omit<ShardOptions, 'shard' | 'throttler'> {
  /** Total shard count. Default 1. */
  readonly shardCount?: number;
  /** Which shard ids this process runs. Default: all of 0 .. shardCount-1. */
  readonly shardIds?: readonly number[];
  /** `session_start_limit.max_concurrency`. Default 1. */
  readonly maxConcurrency?: number;
  /** Shares identify slots with shards in other gateways/processes. Default: a throttler of this gateway's own. */
  readonly identifyThrottler?: IdentifyThrottler;
}

export interface PresenceUpdate {
  readonly since: number | null;
  readonly activities: readonly unknown[];
  readonly status: 'online' | 'dnd' | 'idle' | 'invisible' | 'offline';
  readonly afk: boolean;
}

export interface VoiceStateUpdate {
  readonly guild_id: string;
  readonly channel_id: string | null;
  readonly self_mute: boolean;
  readonly self_deaf: boolean;
}

export interface RequestGuildMembers {
  readonly guild_id: string;
  readonly query?: string;
  readonly limit?: number;
  readonly presences?: boolean;
  readonly user_ids?: string | readonly string[];
}

export type GuildMembersChunkEvent = Extract<DiscordEvent, { type: 'GuildMembersChunk' }>;

export interface DiscordGateway {
  readonly events$: Observable<DiscordEvent>;
  /** Op 3 on every shard this process runs. Completes once sent. */
  updatePresence(presence: PresenceUpdate): Observable<void>;
  /** Op 4 on the guild's shard. Completes once sent. */
  updateVoiceState(state: VoiceStateUpdate): Observable<void>;
  /**
   * Op 8 on the guild's shard; emits each GUILD_MEMBERS_CHUNK answering it and
   * completes after the last. A RATE_LIMITED dispatch for it errors with a
   * RateLimitedError carrying Discord's retry_after.
   */
  requestGuildMembers(request: RequestGuildMembers): Observable<GuildMembersChunkEvent>;
}

const MAX_PAYLOAD = 4096;

export function discordGateway(options: DiscordGatewayOptions): DiscordGateway {
  const shardCount = options.shardCount ?? 1;
  const shardIds = options.shardIds ?? Array.from({ length: shardCount }, (_, i) => i);
  const handles = new Map<number, ShardHandle>();
  let nonceSeq = 0;

  const events$ = defer(() => {
    const throttler = options.identifyThrottler ?? createIdentifyThrottler({ maxConcurrency: options.maxConcurrency, scheduler: options.scheduler });
    return merge(
      ...shardIds.map((id) =>
        shardEvents({ ...options, shard: [id, shardCount], throttler }, (h) => {
          if (h) handles.set(id, h);
          else handles.delete(id);
        }),
      ),
    );
  }).pipe(share({ resetOnRefCountZero: true }));

  /** Sends `payload` on `shardId` once it is ready (waiting for its Ready/Resumed), then completes. */
  const sendOn = (shardId: number, payload: GatewayPayload): Observable<void> =>
    new Observable<void>((subscriber) => {
      const text = JSON.stringify(payload);
      const bytes = Buffer.byteLength(text);
      if (bytes > MAX_PAYLOAD) {
        subscriber.error(new ProtocolViolationError(`payload of ${bytes} bytes exceeds Discord's limit of ${MAX_PAYLOAD}; make it smaller`));
        return;
      }
      const trySend = () => {
        const h = handles.get(shardId);
        if (h?.ready && h.send(payload)) {
          subscriber.next();
          subscriber.complete();
          return true;
        }
        return false;
      };
      if (trySend()) return;
      const sub = events$.pipe(filter((e) => e.shard === shardId && (e.type === 'Ready' || e.type === 'Resumed'))).subscribe(() => {
        if (trySend()) sub.unsubscribe();
      });
      return () => sub.unsubscribe();
    });

  return {
    events$,
    updatePresence(presence) {
      return merge(...shardIds.map((id) => sendOn(id, { op: Op.PresenceUpdate, d: presence }))).pipe(
        filter((_, i) => i === shardIds.length - 1),
        take(1),
      );
    },
    updateVoiceState(state) {
      return sendOn(shardFor(state.guild_id, shardCount), { op: Op.VoiceStateUpdate, d: state });
    },
    requestGuildMembers(request) {
      return defer(() => {
        const nonce = `rxwire-${Date.now().toString(36)}-${++nonceSeq}`;
        if (request.query === undefined && request.user_ids === undefined) {
          return throwError(() => new ProtocolViolationError('request guild members needs query or user_ids'));
        }
        const shardId = shardFor(request.guild_id, shardCount);
        const d = { limit: 0, ...request, nonce };
        const answers = new Observable<GuildMembersChunkEvent>((subscriber) => {
          const sub = events$.subscribe({
            next: (e) => {
              if (e.shard !== shardId) return;
              if (e.type === 'GuildMembersChunk' && e.data.nonce === nonce) subscriber.next(e);
              else if (e.type === 'Dispatch' && e.data.name === 'RATE_LIMITED') {
                const rl = e.data.data as { opcode?: unknown; retry_after?: unknown; meta?: { nonce?: unknown } } | null;
                if (rl && rl.opcode === Op.RequestGuildMembers && (rl.meta?.nonce === undefined || rl.meta.nonce === nonce)) {
                  const seconds = typeof rl.retry_after === 'number' ? rl.retry_after : 0;
                  subscriber.error(new RateLimitedError(Math.ceil(seconds * 1000), 'request guild members'));
                }
              }
            },
            error: (err: unknown) => subscriber.error(err),
            complete: () => subscriber.complete(),
          });
          sub.add(sendOn(shardId, { op: Op.RequestGuildMembers, d }).subscribe({ error: (err: unknown) => subscriber.error(err) }));
          return sub;
        });
        return answers.pipe(takeWhile((e) => e.data.chunk_index + 1 < e.data.chunk_count, true));
      });
    },
  };
}
