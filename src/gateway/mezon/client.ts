/**
 * The thin driver around the pure session (session.ts): authenticate, open
 * the socket, feed frames/requests/pings to `mezonSessionStep`, and perform
 * its outputs (send frames, emit events, settle requests). Reconnects with
 * backoff (5 s doubling to 60 s) on any retryable failure, re-authenticating
 * first; a fatal error (bad credentials) ends the stream.
 */
import * as t from 'io-ts';
import {
  Observable,
  Subject,
  Subscription,
  asyncScheduler,
  defer,
  filter,
  map,
  share,
  switchMap,
  take,
  timer,
  type SchedulerLike,
} from 'rxjs';
import {
  DecodeFailedError,
  TimeoutError,
  TransportClosedError,
  heartbeat,
  reconnecting,
  validate,
  type BackoffPolicy,
} from '../../core';
import { connectWebSocket, safeUrl, type WsConnection, type WsInbound, type WsOptions } from '../transport';
import { authenticate, type MezonSessionResponse } from './auth';
import {
  MezonChannel,
  MezonChannelMessageAck,
  MezonClanJoin,
  MezonMessageReaction,
  type MezonMessageAttachment,
  type MezonMessageMention,
  type MezonMessageRef,
} from './codecs';
import { MEZON_SOURCE, type MezonEvent } from './events';
import { parseBinary, parseText } from './frame';
import { encodeEnvelopeBinary, encodeEnvelopeJson } from './protobuf';
import {
  initialMezonSession,
  mezonSessionStep,
  type MezonReply,
  type MezonRequest,
  type MezonSessionInput,
  type MezonSessionState,
} from './session';

export const MEZON_DEFAULT_BASE_URL = 'https://gw.mezon.ai';

export interface MezonClientOptions {
  /** The bot's id. */
  readonly clientId: string;
  /** The bot's API key (secret; never logged or put in errors). */
  readonly apiKey: string;
  /** HTTP API base. Default https://gw.mezon.ai. */
  readonly baseUrl?: string;
  /**
   * Socket base, e.g. `wss://sock.mezon.ai` or `ws://127.0.0.1:PORT`. Default:
   * the session's `ws_url` (with the scheme of `baseUrl`), else `baseUrl` itself.
   */
  readonly socketUrl?: string;
  /** Clans to join on every (re)connect; clan "0" (DMs) is always joined. */
  readonly clans?: readonly string[];
  /** Framing: protobuf binary frames (default) or the protobuf JSON mapping in text frames. */
  readonly format?: 'protobuf' | 'json';
  /** Presence status flag in the socket URL. Default true. */
  readonly status?: boolean;
  /** WebSocket subprotocols to offer (the Python SDK offers `protobuf`). Default none. */
  readonly protocols?: string[];
  /** Ping interval and pong deadline, ms. Default 10 000. */
  readonly pingInterval?: number;
  /** Reconnect backoff. Default 5 s doubling to 60 s, no jitter. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** How long the clan joins may take before queued requests go out anyway, ms. Default 10 000. */
  readonly joinTimeout?: number;
  /** How long an action waits for its reply, ms (from subscription). Default 30 000. */
  readonly requestTimeout?: number;
  readonly scheduler?: SchedulerLike;
  /** Replaces the token request (tests): returns the Session. */
  readonly authenticate?: () => Observable<MezonSessionResponse>;
  /** Replaces the WebSocket transport (tests). */
  readonly transport?: (url: string, options: WsOptions) => Observable<WsInbound>;
}

type Settled = { readonly kind: 'Resolve'; readonly id: number; readonly reply: MezonReply } | { readonly kind: 'Fail'; readonly id: number; readonly error: Error };

/** A message to send: `content` is the Mezon content object (`{ t: 'text', ... }`), serialized for you. */
export interface MezonSendMessage {
  readonly clan_id: string;
  readonly channel_id: string;
  /** Stream mode: 2 channel, 3 group, 4 DM, 6 thread. */
  readonly mode: number;
  readonly is_public: boolean;
  readonly content: Readonly<Record<string, unknown>>;
  readonly mentions?: readonly Partial<MezonMessageMention>[];
  readonly attachments?: readonly Partial<MezonMessageAttachment>[];
  readonly references?: readonly Partial<MezonMessageRef>[];
  readonly anonymous_message?: boolean;
  readonly mention_everyone?: boolean;
  readonly topic_id?: string;
  readonly code?: number;
}

export interface MezonReaction {
  readonly clan_id: string;
  readonly channel_id: string;
  readonly mode: number;
  readonly is_public: boolean;
  readonly message_id: string;
  readonly emoji_id: string;
  readonly emoji: string;
  readonly count?: number;
  readonly message_sender_id?: string;
  /** True removes the reaction. */
  readonly action_delete?: boolean;
  readonly topic_id?: string;
  readonly id?: string;
}

export interface MezonChannelJoin {
  readonly clan_id: string;
  readonly channel_id: string;
  readonly channel_type: number;
  readonly is_public: boolean;
}

/** Builds the socket URL. The result holds the token: pass it through `safeUrl` before it goes anywhere visible. */
export function mezonSocketUrl(base: string, token: string, format: 'protobuf' | 'json', status = true): string {
  const b = base.replace(/\/+$/, '').replace(/^http(s?):\/\//, 'ws$1://');
  const q = `lang=en&status=${status ? 'true' : 'false'}&token=${encodeURIComponent(token)}${format === 'protobuf' ? '&format=protobuf' : '&format=json'}`;
  return `${b}/ws?${q}`;
}

function socketBase(options: MezonClientOptions, session: MezonSessionResponse): string {
  if (options.socketUrl) return options.socketUrl;
  const base = options.baseUrl ?? MEZON_DEFAULT_BASE_URL;
  if (session.ws_url) {
    if (/^wss?:\/\//.test(session.ws_url)) return session.ws_url;
    const secure = !base.startsWith('http://') && !base.startsWith('ws://');
    return `${secure ? 'wss' : 'ws'}://${session.ws_url}`;
  }
  return base;
}

export class MezonClient {
  /** The typed event stream: connects on subscribe (shared by all subscribers and pending actions), closes when the last one leaves. */
  readonly events$: Observable<MezonEvent>;

  private readonly clans: Set<string>;
  private readonly outbox = new Map<number, MezonRequest>();
  private readonly added = new Subject<MezonRequest>();
  private readonly cancelled = new Subject<number>();
  private readonly settled = new Subject<Settled>();
  private nextRequestId = 1;
  private readonly scheduler: SchedulerLike;
  private readonly format: 'protobuf' | 'json';

  constructor(private readonly options: MezonClientOptions) {
    this.clans = new Set(options.clans ?? []);
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.format = options.format ?? 'protobuf';
    let attempt = 0;
    const policy: BackoffPolicy = {
      initialDelay: 5_000,
      maxDelay: 60_000,
      factor: 2,
      jitter: 'none',
      ...options.backoff,
      scheduler: options.backoff?.scheduler ?? this.scheduler,
    };
    this.events$ = reconnecting<MezonEvent>(() => this.connectOnce(++attempt), {
      backoff: policy,
      onRetry: (error, n, delay) => [
        { source: MEZON_SOURCE, type: 'Disconnected', data: { reason: error instanceof Error ? error.message : String(error) } },
        { source: MEZON_SOURCE, type: 'Reconnecting', data: { attempt: n, delay } },
      ],
      isHealthy: (e) => {
        if (e.type !== 'Ready') return false;
        attempt = 0;
        return true;
      },
    }).pipe(share({ resetOnRefCountZero: true, resetOnError: true, resetOnComplete: true }));
  }

  /**
   * Sends one request Envelope field and waits for the reply with its cid.
   * Cold: nothing is sent before subscription. Waits for the connection and
   * its clan joins; an `error` reply fails it with CommandFailedError.
   */
  request(field: string, payload: Readonly<Record<string, unknown>>): Observable<MezonReply> {
    return new Observable<MezonReply>((subscriber) => {
      const id = this.nextRequestId++;
      const subs = new Subscription();
      subs.add(
        this.settled.pipe(filter((s) => s.id === id), take(1)).subscribe((s) => {
          if (s.kind === 'Resolve') {
            subscriber.next(s.reply);
            subscriber.complete();
          } else subscriber.error(s.error);
        }),
      );
      const timeout = this.options.requestTimeout ?? 30_000;
      subs.add(timer(timeout, this.scheduler).subscribe(() => subscriber.error(new TimeoutError(`the reply to mezon ${field}`, timeout))));
      const req: MezonRequest = { id, field, payload };
      this.outbox.set(id, req);
      this.added.next(req);
      subs.add(this.events$.subscribe({ error: (e: unknown) => subscriber.error(e) }));
      return () => {
        subs.unsubscribe();
        if (this.outbox.delete(id)) this.cancelled.next(id);
      };
    });
  }

  /** Sends a channel message; emits the server's ack. */
  sendMessage(message: MezonSendMessage): Observable<t.TypeOf<typeof MezonChannelMessageAck>> {
    const payload: Record<string, unknown> = { ...message, content: JSON.stringify(message.content) };
    return this.typed('channel_message_send', payload, 'channel_message_ack', MezonChannelMessageAck);
  }

  /** Adds (or with `action_delete`, removes) a reaction; emits the reaction echoed by the server. */
  react(reaction: MezonReaction): Observable<t.TypeOf<typeof MezonMessageReaction>> {
    const { action_delete, ...rest } = reaction;
    return this.typed('message_reaction_event', { count: 1, ...rest, action: action_delete ?? false }, 'message_reaction_event', MezonMessageReaction);
  }

  /** Joins a clan now and on every reconnect. */
  joinClan(clanId: string): Observable<t.TypeOf<typeof MezonClanJoin>> {
    return defer(() => {
      this.clans.add(clanId);
      return this.request('clan_join', { clan_id: clanId });
    }).pipe(map((reply) => (reply.kind === 'Envelope' && reply.frame.field === 'clan_join' ? decodeReply('clan_join', reply.frame.payload, MezonClanJoin) : { clan_id: clanId })));
  }

  /** Joins a channel (needed before sending to it); emits the channel with its presences. */
  joinChannel(join: MezonChannelJoin): Observable<t.TypeOf<typeof MezonChannel>> {
    return this.typed('channel_join', { ...join }, 'channel', MezonChannel);
  }

  private typed<A>(field: string, payload: Readonly<Record<string, unknown>>, replyField: string, codec: t.Decoder<unknown, A>): Observable<A> {
    return this.request(field, payload).pipe(
      map((reply) => {
        if (reply.kind !== 'Envelope' || reply.frame.field !== replyField) {
          throw new DecodeFailedError(`mezon ${field} reply`, [`expected ${replyField}, got ${reply.kind === 'Envelope' ? reply.frame.field ?? 'an empty envelope' : 'a raw API response'}`], undefined);
        }
        return decodeReply(replyField, reply.frame.payload, codec);
      }),
    );
  }

  private connectOnce(attempt: number): Observable<MezonEvent> {
    const auth = this.options.authenticate ?? (() => authenticate({ baseUrl: this.options.baseUrl ?? MEZON_DEFAULT_BASE_URL, clientId: this.options.clientId, apiKey: this.options.apiKey }));
    const transport = this.options.transport ?? connectWebSocket;
    return auth().pipe(
      take(1),
      switchMap((session) => {
        const url = mezonSocketUrl(socketBase(this.options, session), session.token, this.format, this.options.status ?? true);
        return this.runSocket(transport(url, this.options.protocols ? { protocols: this.options.protocols } : {}), safeUrl(url), attempt);
      }),
    );
  }

  private runSocket(ws$: Observable<WsInbound>, shownUrl: string, attempt: number): Observable<MezonEvent> {
    return new Observable<MezonEvent>((subscriber) => {
      let state: MezonSessionState = initialMezonSession;
      let conn: WsConnection | undefined;
      const subs = new Subscription();
      const acks = new Subject<void>();
      const encode = this.format === 'json' ? encodeEnvelopeJson : encodeEnvelopeBinary;

      const apply = (input: MezonSessionInput): void => {
        const [next, outs] = mezonSessionStep(state, input);
        state = next;
        for (const o of outs) {
          switch (o.kind) {
            case 'Send':
              conn?.send(encode(o.envelope));
              if (o.requestId !== undefined) this.outbox.delete(o.requestId);
              break;
            case 'Emit':
              subscriber.next(o.event);
              break;
            case 'Ready':
              subscriber.next({ source: MEZON_SOURCE, type: 'Ready', data: { clans: o.clans, failed: o.failed } });
              break;
            case 'Resolve':
            case 'Fail':
              this.settled.next(o);
              break;
            case 'Pong':
              acks.next();
              break;
          }
        }
      };
      const fail = (error: unknown, reason: string): void => {
        apply({ kind: 'Closed', reason });
        subscriber.error(error);
      };

      subscriber.next({ source: MEZON_SOURCE, type: 'Connecting', data: { url: shownUrl, attempt } });
      subs.add(
        ws$.subscribe({
          next: (item) => {
            switch (item.kind) {
              case 'Open': {
                conn = item.connection;
                subscriber.next({ source: MEZON_SOURCE, type: 'Connected', data: { connectionId: conn.id, format: this.format } });
                apply({ kind: 'Open', clans: [...this.clans] });
                subs.add(timer(this.options.joinTimeout ?? 10_000, this.scheduler).subscribe(() => apply({ kind: 'JoinDeadline' })));
                for (const r of [...this.outbox.values()]) apply({ kind: 'Request', request: r });
                subs.add(this.added.subscribe((r) => apply({ kind: 'Request', request: r })));
                subs.add(this.cancelled.subscribe((id) => apply({ kind: 'Cancel', id })));
                const interval = this.options.pingInterval ?? 10_000;
                subs.add(
                  heartbeat(acks, { interval, what: 'mezon pong', scheduler: this.scheduler }).subscribe({
                    next: () => apply({ kind: 'Ping' }),
                    error: (e: unknown) => fail(e, 'the connection missed its pong deadline'),
                  }),
                );
                break;
              }
              case 'Binary':
                apply({ kind: 'Inbound', item: parseBinary(item.data) });
                break;
              case 'Text':
                apply({ kind: 'Inbound', item: parseText(item.data) });
                break;
              case 'Close':
                fail(
                  new TransportClosedError(`the mezon socket closed (code ${item.code}${item.reason ? `: ${item.reason.slice(0, 120)}` : ''})`),
                  `the socket closed (code ${item.code})`,
                );
                break;
            }
          },
          error: (e: unknown) => fail(e, 'the socket failed'),
          complete: () => {
            if (!subscriber.closed) fail(new TransportClosedError('the mezon socket ended'), 'the socket ended');
          },
        }),
      );
      return () => {
        subs.unsubscribe();
        if (state.phase !== 'closed') apply({ kind: 'Closed', reason: 'the client closed the connection' });
      };
    });
  }
}

function decodeReply<A>(field: string, payload: unknown, codec: t.Decoder<unknown, A>): A {
  const v = validate(codec, payload, field);
  if (!v.ok) throw new DecodeFailedError(`mezon ${field} reply`, v.errors, payload);
  return v.value;
}

/** `new MezonClient(options)`: the client with its `events$` stream and actions. */
export function mezonClient(options: MezonClientOptions): MezonClient {
  return new MezonClient(options);
}
