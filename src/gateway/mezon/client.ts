/**
 * The thin driver around the pure session (session.ts): authenticate, open
 * the socket, feed frames/requests/pings to `mezonSessionStep`, and perform
 * its outputs (send frames, emit events, settle requests). Reconnects with
 * backoff (5 s doubling to 60 s) on any retryable failure, re-authenticating
 * first; a fatal error (bad credentials) emits Closed and ends the stream.
 * Every lifecycle event, DecodeError/Unknown event, error and log line
 * passes the redactor (the API key and every session token it was given).
 */
import * as t from 'io-ts';
import { inspect } from 'node:util';
import {
  Observable,
  Subject,
  Subscription,
  asyncScheduler,
  catchError,
  concat,
  defer,
  filter,
  map,
  of,
  switchMap,
  take,
  throwError,
  timer,
  type SchedulerLike,
} from 'rxjs';
import {
  DecodeFailedError,
  TimeoutError,
  TransportClosedError,
  heartbeat,
  reconnecting,
  redacted,
  shareSource,
  sourceLogger,
  validate,
  type BackoffPolicy,
  type CommonSourceOptions,
  type Logger,
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
import { parseBinary, parseText, type MezonInbound } from './frame';
import { protobufWire } from './loadProtobuf';
import { encodeEnvelopeBinary, encodeEnvelopeJson } from './protobuf';
import { MezonSecrets } from './secrets';
import {
  initialMezonSession,
  mezonSessionStep,
  type MezonReply,
  type MezonRequest,
  type MezonSessionInput,
  type MezonSessionState,
} from './session';

/** The default HTTP API base. */
export const MEZON_DEFAULT_BASE_URL = 'https://gw.mezon.ai';

/** Options of `mezon()`. */
export interface MezonClientOptions extends CommonSourceOptions {
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
  /** The largest WebSocket message accepted, bytes (a larger one closes the socket with 1009, then reconnects). Default 16 MiB. */
  readonly maxPayload?: number;
  /** The largest reassembled raw API response, bytes. Default 64 MiB. */
  readonly maxApiResponseBytes?: number;
  /**
   * The schema generation to write: `current` (int32 `Envelope.cid`, the
   * default) or `previous` (string cid, servers before 2026-04-24). Both are
   * always read.
   */
  readonly schemaGeneration?: 'current' | 'previous';
  /** Replaces the token request (tests): returns the Session. */
  readonly authenticate?: () => Observable<MezonSessionResponse>;
  /** Replaces the WebSocket transport (tests). */
  readonly transport?: (url: string, options: WsOptions) => Observable<WsInbound>;
}

type Settled = { readonly kind: 'Resolve'; readonly id: number; readonly reply: MezonReply } | { readonly kind: 'Fail'; readonly id: number; readonly error: Error };

/** A message to send: `content` is the Mezon content object (`{ t: 'text', ... }`), serialized for you. */
export interface MezonSendMessage {
  /** The clan the channel belongs to ("0" for direct messages). */
  readonly clan_id: string;
  /** The channel (or DM / thread) to post in. */
  readonly channel_id: string;
  /** Stream mode: 2 channel, 3 group, 4 DM, 6 thread. */
  readonly mode: number;
  /** Whether the channel is public (as the channel reports it). */
  readonly is_public: boolean;
  /** The content object (`{ t: 'text', ... }`); sent as its JSON text. */
  readonly content: Readonly<Record<string, unknown>>;
  /** Users or roles the message mentions (`user_id` / `role_id`, with the `s`..`e` span in the text). */
  readonly mentions?: readonly Partial<MezonMessageMention>[];
  /** Files attached to the message, by `url` (with filename, size, type and so on). */
  readonly attachments?: readonly Partial<MezonMessageAttachment>[];
  /** Messages this one replies to or quotes. */
  readonly references?: readonly Partial<MezonMessageRef>[];
  /** Mezon's `anonymous_message` flag, sent as given (the server's default, false, when absent). */
  readonly anonymous_message?: boolean;
  /** The message mentions everyone in the channel. */
  readonly mention_everyone?: boolean;
  /** The topic (thread of replies) to post in. */
  readonly topic_id?: string;
  /** Mezon's message `code` field (an int32), sent as given (the server's default, 0, when absent). */
  readonly code?: number;
}

/** A reaction to add or remove (`react`). */
export interface MezonReaction {
  /** The clan of the message's channel ("0" for direct messages). */
  readonly clan_id: string;
  /** The channel of the message. */
  readonly channel_id: string;
  /** Stream mode, as in `MezonSendMessage.mode`. */
  readonly mode: number;
  /** Whether the channel is public. */
  readonly is_public: boolean;
  /** The message reacted to. */
  readonly message_id: string;
  /** The emoji's id. */
  readonly emoji_id: string;
  /** The emoji as text (Mezon's `emoji` field, e.g. its short name). */
  readonly emoji: string;
  /** Mezon's reaction `count` field. Default 1. */
  readonly count?: number;
  /** The author of the message reacted to. */
  readonly message_sender_id?: string;
  /** True removes the reaction. */
  readonly action_delete?: boolean;
  /** The topic the message is in, if any. */
  readonly topic_id?: string;
  /** Mezon's reaction `id` field, sent as given (absent by default). */
  readonly id?: string;
}

/** A channel to join (`joinChannel`). */
export interface MezonChannelJoin {
  /** The clan the channel belongs to. */
  readonly clan_id: string;
  /** The channel to join. */
  readonly channel_id: string;
  /** The channel's Mezon `ChannelType` number (as the channel reports it). */
  readonly channel_type: number;
  /** Whether the channel is public. */
  readonly is_public: boolean;
}

/** Builds the socket URL. The result holds the token: pass it through `safeUrl` before it goes anywhere visible. */
export function mezonSocketUrl(base: string, token: string, format: 'protobuf' | 'json', status = true): string {
  const b = base.replace(/\/+$/, '').replace(/^http(s?):\/\//, 'ws$1://');
  const q = `lang=en&status=${status ? 'true' : 'false'}&token=${encodeURIComponent(token)}${format === 'protobuf' ? '&format=protobuf' : '&format=json'}`;
  return `${b}/ws?${q}`;
}

/** The default of `maxPayload`: 16 MiB. */
export const MEZON_DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

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

/**
 * A Mezon bot connection: `events$` plus the actions. Made by `mezon(options)`.
 * The API key lives in a private field: `util.inspect` and `JSON.stringify`
 * never show it.
 */
export class MezonClient {
  /** The typed event stream: connects on subscribe (shared by all subscribers and pending actions), closes when the last one leaves. */
  readonly events$: Observable<MezonEvent>;

  readonly #options: MezonClientOptions;
  readonly #secrets: MezonSecrets;
  readonly #log: Logger;
  readonly #clans: Set<string>;
  readonly #outbox = new Map<number, MezonRequest>();
  readonly #added = new Subject<MezonRequest>();
  readonly #cancelled = new Subject<number>();
  readonly #settled = new Subject<Settled>();
  #nextRequestId = 1;
  readonly #scheduler: SchedulerLike;
  readonly #format: 'protobuf' | 'json';

  /** Use `mezon(options)`. */
  constructor(options: MezonClientOptions) {
    this.#options = options;
    this.#secrets = new MezonSecrets([options.apiKey]);
    this.#log = sourceLogger(MEZON_SOURCE, options.logger, this.#secrets);
    this.#clans = new Set(options.clans ?? []);
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#format = options.format ?? 'protobuf';
    const policy: BackoffPolicy = {
      initialDelay: 5_000,
      maxDelay: 60_000,
      factor: 2,
      jitter: 'none',
      ...options.backoff,
      scheduler: options.backoff?.scheduler ?? this.#scheduler,
    };
    const connect$ = defer(() => {
      let attempt = 0;
      const link = { open: false, code: undefined as number | undefined };
      const reasonOf = (error: unknown): string => this.#secrets.text(error instanceof Error ? error.message : String(error));
      return reconnecting<MezonEvent>(() => this.#connectOnce(++attempt, link), {
        backoff: policy,
        onRetry: (error, n, delay) => {
          const reason = reasonOf(error);
          this.#log.warn({ attempt: n, delay, reason }, 'mezon connection lost; reconnecting');
          const code = link.code;
          link.open = false;
          link.code = undefined;
          return [
            { source: MEZON_SOURCE, type: 'Disconnected', data: { reason, willReconnect: true, ...(code === undefined ? {} : { code }) } },
            { source: MEZON_SOURCE, type: 'Reconnecting', data: { attempt: n, delay } },
          ];
        },
        isHealthy: (e) => {
          if (e.type !== 'Ready') return false;
          attempt = 0;
          return true;
        },
      }).pipe(
        catchError((error: unknown) => {
          const reason = reasonOf(error);
          this.#log.error({ reason }, 'mezon source closed');
          const code = link.code;
          const events: MezonEvent[] = [];
          if (link.open) events.push({ source: MEZON_SOURCE, type: 'Disconnected', data: { reason, willReconnect: false, ...(code === undefined ? {} : { code }) } });
          events.push({ source: MEZON_SOURCE, type: 'Closed', data: { reason } });
          return concat(of(...events), throwError(() => error));
        }),
      );
    });
    this.events$ = shareSource(connect$.pipe(redacted(this.#secrets)));
  }

  /** The options without the API key (what JSON.stringify shows). */
  toJSON(): Record<string, unknown> {
    const { apiKey: _key, logger: _logger, authenticate: _auth, transport: _transport, scheduler: _scheduler, ...rest } = this.#options;
    return { source: MEZON_SOURCE, ...rest, apiKey: '***' };
  }

  /** What util.inspect shows: the options without the API key. */
  [inspect.custom](): string {
    return `MezonClient ${inspect(this.toJSON())}`;
  }

  /**
   * Sends one request Envelope field and waits for the reply with its cid.
   * Cold: nothing is sent before subscription. Waits for the connection and
   * its clan joins; completes on the server's reply; an `error` reply fails
   * it with CommandFailedError; a disconnect after it was sent fails it with
   * ActionDroppedError.
   */
  readonly request = (field: string, payload: Readonly<Record<string, unknown>>): Observable<MezonReply> =>
    new Observable<MezonReply>((subscriber) => {
      const id = this.#nextRequestId++;
      const subs = new Subscription();
      subs.add(
        this.#settled.pipe(filter((s) => s.id === id), take(1)).subscribe((s) => {
          if (s.kind === 'Resolve') {
            subscriber.next(s.reply);
            subscriber.complete();
          } else subscriber.error(this.#secrets.error(s.error));
        }),
      );
      const timeout = this.#options.requestTimeout ?? 30_000;
      subs.add(timer(timeout, this.#scheduler).subscribe(() => subscriber.error(new TimeoutError(`the reply to mezon ${field}`, timeout))));
      const req: MezonRequest = { id, field, payload };
      this.#outbox.set(id, req);
      this.#added.next(req);
      subs.add(this.events$.subscribe({ error: (e: unknown) => subscriber.error(e) }));
      return () => {
        subs.unsubscribe();
        this.#outbox.delete(id);
        this.#cancelled.next(id);
      };
    });

  /** Sends a channel message; emits the server's ack, then completes. */
  readonly sendMessage = (message: MezonSendMessage): Observable<t.TypeOf<typeof MezonChannelMessageAck>> => {
    const payload: Record<string, unknown> = { ...message, content: JSON.stringify(message.content) };
    return this.#typed('channel_message_send', payload, 'channel_message_ack', MezonChannelMessageAck);
  };

  /** Adds (or with `action_delete`, removes) a reaction; emits the reaction echoed by the server. */
  readonly react = (reaction: MezonReaction): Observable<t.TypeOf<typeof MezonMessageReaction>> => {
    const { action_delete, ...rest } = reaction;
    return this.#typed('message_reaction_event', { count: 1, ...rest, action: action_delete ?? false }, 'message_reaction_event', MezonMessageReaction);
  };

  /** Joins a clan now and on every reconnect; emits the server's clan_join reply. */
  readonly joinClan = (clanId: string): Observable<t.TypeOf<typeof MezonClanJoin>> =>
    defer(() => {
      this.#clans.add(clanId);
      return this.request('clan_join', { clan_id: clanId });
    }).pipe(map((reply) => (reply.kind === 'Envelope' && reply.frame.field === 'clan_join' ? decodeReply('clan_join', reply.frame.payload, MezonClanJoin) : { clan_id: clanId })));

  /** Joins a channel (needed before sending to it); emits the channel with its presences. */
  readonly joinChannel = (join: MezonChannelJoin): Observable<t.TypeOf<typeof MezonChannel>> => this.#typed('channel_join', { ...join }, 'channel', MezonChannel);

  #typed<A>(field: string, payload: Readonly<Record<string, unknown>>, replyField: string, codec: t.Decoder<unknown, A>): Observable<A> {
    return this.request(field, payload).pipe(
      map((reply) => {
        if (reply.kind !== 'Envelope' || reply.frame.field !== replyField) {
          throw new DecodeFailedError(`mezon ${field} reply`, [`expected ${replyField}, got ${reply.kind === 'Envelope' ? reply.frame.field ?? 'an empty envelope' : 'a raw API response'}`], undefined);
        }
        return decodeReply(replyField, reply.frame.payload, codec);
      }),
    );
  }

  #connectOnce(attempt: number, link: { open: boolean; code: number | undefined }): Observable<MezonEvent> {
    const o = this.#options;
    return defer(() => {
      protobufWire(); // fails fast (fatal) with an "install @bufbuild/protobuf" message
      const base = o.baseUrl ?? MEZON_DEFAULT_BASE_URL;
      const auth = o.authenticate ?? (() => authenticate({ baseUrl: base, clientId: o.clientId, apiKey: o.apiKey }));
      const transport = o.transport ?? connectWebSocket;
      const connecting: MezonEvent = { source: MEZON_SOURCE, type: 'Connecting', data: { url: safeUrl(o.socketUrl ?? base), attempt } };
      return concat(
        of(connecting),
        auth().pipe(
          take(1),
          switchMap((session) => {
            this.#secrets.add(session.token);
            if (session.refresh_token) this.#secrets.add(session.refresh_token);
            const url = mezonSocketUrl(socketBase(o, session), session.token, this.#format, o.status ?? true);
            const ws: { protocols?: string[]; maxPayload: number } = { maxPayload: o.maxPayload ?? MEZON_DEFAULT_MAX_PAYLOAD };
            if (o.protocols) ws.protocols = o.protocols;
            return this.#runSocket(defer(() => transport(url, ws)), safeUrl(url), link);
          }),
        ),
      );
    });
  }

  #runSocket(ws$: Observable<WsInbound>, shownUrl: string, link: { open: boolean; code: number | undefined }): Observable<MezonEvent> {
    return new Observable<MezonEvent>((subscriber) => {
      let state: MezonSessionState = initialMezonSession;
      let conn: WsConnection | undefined;
      const subs = new Subscription();
      const acks = new Subject<void>();
      const cidString = this.#options.schemaGeneration === 'previous';
      const encode = this.#format === 'json' ? (e: Readonly<Record<string, unknown>>) => encodeEnvelopeJson(e, { cidString }) : (e: Readonly<Record<string, unknown>>) => encodeEnvelopeBinary(e, { cidString });
      const log = this.#log;

      const apply = (input: MezonSessionInput): void => {
        const [next, outs] = mezonSessionStep(state, input);
        state = next;
        for (const out of outs) {
          switch (out.kind) {
            case 'Send': {
              let frame: Uint8Array | string;
              try {
                frame = encode(out.envelope);
              } catch (e) {
                if (out.requestId !== undefined) {
                  this.#outbox.delete(out.requestId);
                  this.#settled.next({ kind: 'Fail', id: out.requestId, error: new DecodeFailedError('mezon request', [e instanceof Error ? e.message : String(e)], undefined) });
                }
                break;
              }
              conn?.send(frame);
              log.debug({ dir: 'out', cid: out.envelope.cid, field: Object.keys(out.envelope).find((k) => k !== 'cid'), bytes: frame.length }, 'frame');
              if (out.requestId !== undefined) this.#outbox.delete(out.requestId);
              break;
            }
            case 'Emit':
              subscriber.next(out.event);
              break;
            case 'Ready':
              subscriber.next({ source: MEZON_SOURCE, type: 'Ready', data: { clans: out.clans, failed: out.failed } });
              break;
            case 'Resolve':
            case 'Fail':
              this.#settled.next(out);
              break;
            case 'Pong':
              acks.next();
              break;
          }
        }
      };
      const inbound = (raw: Uint8Array | string, parse: () => MezonInbound): void => {
        let item: MezonInbound;
        try {
          item = parse();
        } catch (e) {
          item = { kind: 'Malformed', raw, error: e instanceof Error ? e.message : String(e) };
        }
        log.debug(item.kind === 'Envelope' ? { dir: 'in', cid: item.frame.cid, field: item.frame.field, bytes: raw.length } : { dir: 'in', kind: item.kind, bytes: raw.length }, 'frame');
        try {
          apply({ kind: 'Inbound', item });
        } catch (e) {
          // A bug on one frame becomes a DecodeError on this source, never an exception out of the socket callback.
          subscriber.next({ source: MEZON_SOURCE, type: 'DecodeError', data: { tag: item.kind === 'Envelope' ? item.frame.field : undefined, raw, errors: [`frame: ${e instanceof Error ? e.message : String(e)}`] } });
        }
      };
      const fail = (error: unknown, reason: string): void => {
        apply({ kind: 'Closed', reason });
        subscriber.error(error);
      };

      subs.add(
        ws$.subscribe({
          next: (item) => {
            switch (item.kind) {
              case 'Open': {
                conn = item.connection;
                link.open = true;
                subscriber.next({ source: MEZON_SOURCE, type: 'Connected', data: { url: shownUrl, connectionId: conn.id, format: this.#format } });
                apply({ kind: 'Open', clans: [...this.#clans], maxApiResponseBytes: this.#options.maxApiResponseBytes });
                subs.add(timer(this.#options.joinTimeout ?? 10_000, this.#scheduler).subscribe(() => apply({ kind: 'JoinDeadline' })));
                for (const r of [...this.#outbox.values()]) apply({ kind: 'Request', request: r });
                subs.add(this.#added.subscribe((r) => apply({ kind: 'Request', request: r })));
                subs.add(this.#cancelled.subscribe((id) => apply({ kind: 'Cancel', id })));
                const interval = this.#options.pingInterval ?? 10_000;
                subs.add(
                  heartbeat(acks, { interval, what: 'mezon pong', scheduler: this.#scheduler }).subscribe({
                    next: () => apply({ kind: 'Ping' }),
                    error: (e: unknown) => fail(e, 'the connection missed its pong deadline'),
                  }),
                );
                break;
              }
              case 'Binary':
                inbound(item.data, () => parseBinary(item.data));
                break;
              case 'Text':
                inbound(item.data, () => parseText(item.data));
                break;
              case 'Close': {
                link.code = item.code;
                const reason = this.#secrets.text(item.reason.slice(0, 200));
                fail(new TransportClosedError(`the mezon socket closed (code ${item.code}${reason ? `: ${reason}` : ''})`), `the socket closed (code ${item.code})`);
                break;
              }
            }
          },
          error: (e: unknown) => fail(this.#secrets.error(e), 'the socket failed'),
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

/**
 * A Mezon bot as a source handle: `{ events$, sendMessage, react, joinClan,
 * joinChannel, request }`. `events$` authenticates and connects on the first
 * subscription and closes on the last; actions are cold and wait for Ready.
 * The methods are bound: destructuring the handle is fine.
 */
export function mezon(options: MezonClientOptions): MezonClient {
  return new MezonClient(options);
}

/**
 * The previous name of `mezon()`.
 * @deprecated Use `mezon(options)`; this alias goes away in the next release.
 */
export function mezonClient(options: MezonClientOptions): MezonClient {
  return mezon(options);
}
