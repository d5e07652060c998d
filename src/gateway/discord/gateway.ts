/**
 * `discord(options)`: N shards as one merged stream (each event tagged with
 * its shard id), sharing one identify throttler, plus the actions (presence
 * update, voice state update, request guild members) as cold Observables that
 * send on the right shard's live connection.
 *
 * `events$` is shared (`shareSource`): the first subscriber connects, the
 * last unsubscribe closes every shard, the next subscriber connects anew
 * (with the same identify throttler, so the 5 s spacing holds across
 * resubscribes). Actions wait for their shard to be ready, complete once
 * their frame was handed to the socket, and error with ActionDroppedError
 * when the connection dropped with it still queued. The last stage redacts
 * the token from lifecycle/DecodeError events and the final error (redact.ts);
 * plan, shards and redaction are one stage, so a frame crosses no
 * switchMap/merge/extra operator on its way to the share.
 *
 * With `shardCount: 'auto'` (or no `url`, or `gatewayBot` set), GET
 * /gateway/bot is fetched first (through ky): its URL, recommended shard
 * count, max_concurrency and session_start_limit are used.
 */
import { defer, filter, from, merge, Observable, of, Subscription, switchMap, take, takeWhile, throwError, type Observer } from 'rxjs';
import { ActionDroppedError, createRedactor, InvalidArgumentError, RateLimitedError, shareSource, type CommonSourceOptions } from '../../core';
import type { DiscordEvent } from './events';
import { Op } from './frame';
import { fetchGatewayBot, type GatewayBotInfo, type GatewayBotRequest } from './gatewayBot';
import { createIdentifyThrottler, type IdentifyThrottler } from './identifyThrottle';
import type { GatewayPayload } from './session';
import { redactEvent } from './redact';
import { MAX_SEND_BYTES, shardEvents, type ShardHandle, type ShardOptions } from './shard';
import { shardFor } from './shardFor';

/**
 * Everything a shard takes (token, intents, url, compression, timeouts, backoff, scheduler, logger, ...),
 * minus what the gateway decides per shard, plus how to shard.
 */
export interface DiscordGatewayOptions extends Omit<ShardOptions, 'shard' | 'throttler'>, CommonSourceOptions {
  /** Total shard count, or 'auto' for GET /gateway/bot's recommendation. Default 1. */
  readonly shardCount?: number | 'auto';
  /** Which shard ids this process runs. Default: all of 0 .. shardCount-1. */
  readonly shardIds?: readonly number[];
  /** `session_start_limit.max_concurrency`. Default 1 (or GET /gateway/bot's). */
  readonly maxConcurrency?: number;
  /** Shares identify slots with shards in other gateways/processes. Default: a throttler of this handle's own. */
  readonly identifyThrottler?: IdentifyThrottler;
  /**
   * GET /gateway/bot: `true` or a request (REST base URL, ky instance) to fetch it, or a
   * function returning the answer (to cache or fake it). Fetched by default when
   * `shardCount` is 'auto' or `url` is not given.
   */
  readonly gatewayBot?: boolean | GatewayBotRequest | ((token: string) => GatewayBotInfo | Promise<GatewayBotInfo>);
  /** When GET /gateway/bot says no session starts remain: wait for reset_after (default) or error with a RateLimitedError. */
  readonly onSessionStartLimit?: 'wait' | 'error';
}

/** Op 3 payload. */
export interface PresenceUpdate {
  /** `since`: Unix time in ms the client went idle, or null when it is not idle. */
  readonly since: number | null;
  /** `activities`: the user's activities (Discord activity objects). */
  readonly activities: readonly unknown[];
  /** `status`: the new status. */
  readonly status: 'online' | 'dnd' | 'idle' | 'invisible' | 'offline';
  /** `afk`: whether the client is AFK. */
  readonly afk: boolean;
}

/** Op 4 payload. */
export interface VoiceStateUpdate {
  /** `guild_id`: the guild's id. */
  readonly guild_id: string;
  /** `channel_id`: the voice channel to join or move to, or null to disconnect. */
  readonly channel_id: string | null;
  /** `self_mute`: whether the client is muted. */
  readonly self_mute: boolean;
  /** `self_deaf`: whether the client is deafened. */
  readonly self_deaf: boolean;
}

/** Op 8 payload (the nonce is added by rxwire). */
export interface RequestGuildMembers {
  /** `guild_id`: the guild to get members of. */
  readonly guild_id: string;
  /** `query`: members whose username starts with this; `''` with `limit` 0 asks for all members. One of `query` or `user_ids` is required. */
  readonly query?: string;
  /** `limit`: maximum members to send when `query` is set; 0 for no limit. */
  readonly limit?: number;
  /** `presences`: whether to include the members' presences (needs the GUILD_PRESENCES intent). */
  readonly presences?: boolean;
  /** `user_ids`: the member id or ids to get (at most 100). */
  readonly user_ids?: string | readonly string[];
}

/** A GUILD_MEMBERS_CHUNK event. */
export type GuildMembersChunkEvent = Extract<DiscordEvent, { type: 'GuildMembersChunk' }>;

/** The handle `discord()` returns: the shared events and the actions. */
export interface DiscordGateway {
  /** Every shard's events, shared: connects on the first subscriber, closes on the last. */
  readonly events$: Observable<DiscordEvent>;
  /** Op 3 on every shard this process runs. Completes once written on every shard. */
  updatePresence(presence: PresenceUpdate): Observable<void>;
  /** Op 4 on the guild's shard. Completes once written. */
  updateVoiceState(state: VoiceStateUpdate): Observable<void>;
  /**
   * Op 8 on the guild's shard; emits each GUILD_MEMBERS_CHUNK answering it and
   * completes after the last. A RATE_LIMITED dispatch for it errors with a
   * RateLimitedError carrying Discord's retry_after.
   */
  requestGuildMembers(request: RequestGuildMembers): Observable<GuildMembersChunkEvent>;
}

/** The handle of `discord()` (the source contract's name for it). */
export type DiscordHandle = DiscordGateway;
/** The options of `discord()`. */
export type DiscordOptions = DiscordGatewayOptions;

const ACTION_NAMES: Readonly<Record<number, string>> = { [Op.PresenceUpdate]: 'updatePresence', [Op.VoiceStateUpdate]: 'updateVoiceState', [Op.RequestGuildMembers]: 'requestGuildMembers' };

interface Plan {
  readonly url: string | undefined;
  readonly shardCount: number;
  readonly throttler: IdentifyThrottler;
}

/** The Discord gateway as a source handle `{ events$, ...actions }`. */
export function discord(options: DiscordOptions): DiscordHandle {
  const redactor = createRedactor([options.token]);
  const handles = new Map<number, ShardHandle>();
  let nonceSeq = 0;
  const gb = options.gatewayBot;
  const wantsInfo = (gb !== undefined && gb !== false) || options.shardCount === 'auto' || (options.url === undefined && gb !== false && options.transport === undefined);
  const staticCount = typeof options.shardCount === 'number' ? options.shardCount : 1;
  // One throttler per handle (unless shared): kept across resubscribes.
  let throttler: IdentifyThrottler | undefined = options.identifyThrottler;
  let knownCount = staticCount;

  const plan$ = defer((): Observable<Plan> => {
    if (!wantsInfo) {
      throttler ??= createIdentifyThrottler({ maxConcurrency: options.maxConcurrency, scheduler: options.scheduler });
      return from([{ url: options.url, shardCount: staticCount, throttler }]);
    }
    const fetchInfo = typeof gb === 'function' ? gb : (token: string) => fetchGatewayBot(token, typeof gb === 'object' ? gb : {});
    const answer = fetchInfo(options.token);
    return (answer instanceof Promise ? from(answer) : of(answer)).pipe(
      switchMap((info) => {
        const shardCount = options.shardCount === 'auto' ? Math.max(1, info.shards) : staticCount;
        throttler ??= createIdentifyThrottler({
          maxConcurrency: options.maxConcurrency ?? info.session_start_limit.max_concurrency,
          sessionStartLimit: info.session_start_limit,
          onExhausted: options.onSessionStartLimit,
          scheduler: options.scheduler,
        });
        return from([{ url: options.url ?? info.url, shardCount, throttler }]);
      }),
    );
  });

  // One stage from the shards to the share (no switchMap/merge/redacted chain on the per-frame path):
  // subscribes the plan, then every shard with one observer that redacts and forwards.
  const connect$ = new Observable<DiscordEvent>((subscriber) => {
    const subs = new Subscription();
    const fail = (err: unknown) => subscriber.error(redactor.error(err));
    const forward: Partial<Observer<DiscordEvent>> = {
      next: (e) => subscriber.next(redactEvent(redactor, e)),
      error: fail,
    };
    subs.add(
      plan$.subscribe({
        next: (plan) => {
          knownCount = plan.shardCount;
          const ids = options.shardIds ?? Array.from({ length: plan.shardCount }, (_, i) => i);
          for (const id of ids) {
            if (!Number.isInteger(id) || id < 0 || id >= plan.shardCount) {
              fail(new InvalidArgumentError('shardIds', `shard id ${id} is not in 0..${plan.shardCount - 1}`));
              return;
            }
          }
          let running = ids.length;
          if (running === 0) subscriber.complete();
          for (const id of ids) {
            if (subscriber.closed) return;
            const shard$ = shardEvents({ ...options, url: plan.url, shard: [id, plan.shardCount], throttler: plan.throttler }, (h) => {
              if (h) handles.set(id, h);
              else if (handles.get(id) !== undefined) handles.delete(id);
            });
            subs.add(shard$.subscribe({ ...forward, complete: () => --running === 0 && subscriber.complete() }));
          }
        },
        error: fail,
      }),
    );
    return subs;
  });
  const events$ = shareSource(connect$);

  const shardIdsNow = (): readonly number[] => options.shardIds ?? Array.from({ length: knownCount }, (_, i) => i);

  /**
   * Sends `payload` on `shardId` once it is ready (waiting for it), then completes when the
   * frame was written; errors with ActionDroppedError when the connection dropped with it queued.
   */
  const sendOn = (shardId: number, payload: GatewayPayload): Observable<void> =>
    new Observable<void>((subscriber) => {
      const action = ACTION_NAMES[payload.op] ?? `op ${payload.op}`;
      const text = JSON.stringify(payload);
      const bytes = Buffer.byteLength(text);
      if (bytes > MAX_SEND_BYTES) {
        subscriber.error(new InvalidArgumentError(`${action} payload`, `it is ${bytes} bytes, over Discord's limit of ${MAX_SEND_BYTES}; make it smaller`));
        return;
      }
      let sent = false;
      const trySend = () => {
        if (sent) return true;
        const h = handles.get(shardId);
        if (h?.ready) {
          sent = h.send(payload, (ok) => {
            if (ok) {
              subscriber.next();
              subscriber.complete();
            } else subscriber.error(new ActionDroppedError(action, 'the connection closed with the frame still queued'));
          });
        }
        return sent;
      };
      if (trySend()) return;
      const sub = events$.pipe(filter((e) => e.shard === shardId)).subscribe({
        next: () => {
          if (trySend()) sub.unsubscribe();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          if (!sent) subscriber.error(new ActionDroppedError(action, 'the gateway closed before the shard was ready'));
        },
      });
      return () => sub.unsubscribe();
    });

  return {
    events$,
    updatePresence(presence) {
      return defer(() => {
        const ids = shardIdsNow();
        return merge(...ids.map((id) => sendOn(id, { op: Op.PresenceUpdate, d: presence }))).pipe(
          filter((_, i) => i === ids.length - 1),
          take(1),
        );
      });
    },
    updateVoiceState(state) {
      return defer(() => sendOn(shardFor(state.guild_id, knownCount), { op: Op.VoiceStateUpdate, d: state }));
    },
    requestGuildMembers(request) {
      return defer(() => {
        const nonce = `rxwire-${Date.now().toString(36)}-${++nonceSeq}`;
        if (request.query === undefined && request.user_ids === undefined) {
          return throwError(() => new InvalidArgumentError('requestGuildMembers request', 'it needs query or user_ids'));
        }
        const shardId = shardFor(request.guild_id, knownCount);
        const d = { limit: 0, ...request, nonce };
        const answers = new Observable<GuildMembersChunkEvent>((subscriber) => {
          const sub = events$.subscribe({
            next: (e) => {
              if (e.shard !== shardId) return;
              if (e.type === 'GuildMembersChunk' && e.data.nonce === nonce) subscriber.next(e);
              else if (e.type === 'RateLimited' && e.data.opcode === Op.RequestGuildMembers) {
                const meta = e.data.meta as { nonce?: unknown } | undefined;
                if (meta?.nonce === undefined || meta.nonce === nonce) subscriber.error(new RateLimitedError(Math.ceil(e.data.retry_after * 1000), 'request guild members'));
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

/**
 * The old name of `discord()`.
 * @deprecated Use `discord(options)`; this alias goes away in the next major release.
 */
export const discordGateway: (options: DiscordGatewayOptions) => DiscordGateway = discord;
