/**
 * The driver: a cold Observable<StoatEvent> that opens Bonfire through the
 * shared transport, runs the pure session step on every socket item and timer
 * firing, carries out its outputs, and reconnects with backoff (core
 * `reconnecting`) until a fatal error (authentication) or unsubscription.
 */
import { asyncScheduler, defer, Observable, Subscription, type SchedulerLike } from 'rxjs';
import { reconnecting, type BackoffPolicy } from '../../core';
import { connectWebSocket, safeUrl, type WsInbound, type WsOptions } from '../transport';
import type { StoatEvent } from './events';
import { encodeFrame, parseBinary, parseText, type ParsedFrame, type StoatFormat } from './frame';
import { initialSession, stepSession, type SessionInput, type SessionOutput, type StoatClientMessage } from './session';

/** Fields the `ready=` query can ask for (`user_settings[key]` selects settings keys). */
export type StoatReadyField =
  | 'users'
  | 'servers'
  | 'channels'
  | 'members'
  | 'emojis'
  | 'voice_states'
  | 'channel_unreads'
  | 'policy_changes'
  | `user_settings[${string}]`;

export interface StoatGatewayOptions {
  /** Session or bot token. Never appears in errors, events or logs. */
  readonly token: string;
  /** Bonfire URL; default `wss://stoat.chat/events`. `version` and `format` are added. */
  readonly url?: string;
  /** `json` (text frames, default) or `msgpack` (binary frames). */
  readonly format?: StoatFormat;
  /** Send the token in an Authenticate frame (default) or in the `token` query parameter. */
  readonly tokenIn?: 'frame' | 'query';
  /** Ready fields to ask for (repeated `ready=` parameters). Default: the server's default set. */
  readonly ready?: readonly StoatReadyField[];
  /** Ms between Pings; Bonfire expects 10–30 s. Default 20 000. */
  readonly pingInterval?: number;
  /** Ms to wait for a Pong before the connection counts as dead. Default 10 000 (as stoat.js). */
  readonly pongTimeout?: number;
  /** Ms from opening to Ready before the connection counts as dead. Default 20 000. */
  readonly readyTimeout?: number;
  /** Reconnect policy. Default: 1 s doubling to 60 s, full jitter, forever. */
  readonly backoff?: Partial<BackoffPolicy>;
  readonly scheduler?: SchedulerLike;
  /** Options for the WebSocket transport. */
  readonly ws?: WsOptions;
  /** The transport (tests inject a marble stream). Default: the shared `connectWebSocket`. */
  readonly transport?: (url: string, options: WsOptions) => Observable<WsInbound>;
  /**
   * Client messages to send (BeginTyping, EndTyping, Subscribe): subscribed
   * once per connection after its Ready, so each reaches an authenticated
   * socket; messages emitted while disconnected are dropped (typing is
   * ephemeral, Subscribe should be re-sent on each Ready).
   */
  readonly commands?: Observable<Extract<StoatClientMessage, { type: 'BeginTyping' | 'EndTyping' | 'Subscribe' }>>;
  /** Called with every message the client sends (debugging); Authenticate is passed with its token redacted. */
  readonly onSend?: (message: StoatClientMessage) => void;
}

const DEFAULT_URL = 'wss://stoat.chat/events';

/** The connection URL: version, format, ready fields and (if asked) the token. */
export function stoatUrl(options: Pick<StoatGatewayOptions, 'url' | 'format' | 'ready' | 'tokenIn' | 'token'>): string {
  const url = new URL(options.url ?? DEFAULT_URL);
  url.searchParams.set('version', '1');
  url.searchParams.set('format', options.format ?? 'json');
  for (const field of options.ready ?? []) url.searchParams.append('ready', field);
  if (options.tokenIn === 'query') url.searchParams.set('token', options.token);
  return url.toString();
}

/**
 * Connects to Stoat's Bonfire gateway and emits every event as a typed
 * StoatEvent: BeforeConnect, AfterConnect, Authenticated, Ready, then data
 * events; Disconnected and Reconnecting around each reconnect (followed by a
 * new Ready with `reconnect: true`). Errors with AuthenticationFailedError
 * when the token is refused or the session is logged out.
 */
export function stoatGateway(options: StoatGatewayOptions): Observable<StoatEvent> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const format = options.format ?? 'json';
  const transport = options.transport ?? connectWebSocket;
  const url = stoatUrl(options);
  const shownUrl = safeUrl(url);
  const parse: (item: WsInbound) => ParsedFrame | undefined = (item) =>
    item.kind === 'Text' ? parseText(item.data) : item.kind === 'Binary' ? parseBinary(item.data) : undefined;
  const backoff: BackoffPolicy = { initialDelay: 1000, maxDelay: 60_000, ...options.backoff, scheduler: options.backoff?.scheduler ?? scheduler };

  return defer(() => {
    let hadReady = false;
    let attempt = 0;

    const connectOnce = (): Observable<StoatEvent> =>
      new Observable<StoatEvent>((subscriber) => {
        attempt++;
        subscriber.next({ source: 'stoat', type: 'BeforeConnect', data: { url: shownUrl, attempt } });
        let state = initialSession({
          authenticate: options.tokenIn !== 'query',
          token: options.token,
          pingInterval: options.pingInterval ?? 20_000,
          pongTimeout: options.pongTimeout ?? 10_000,
          readyTimeout: options.readyTimeout ?? 20_000,
          hadReady,
        });
        const timers = new Subscription();
        let send: ((data: string | Uint8Array) => boolean) | undefined;

        const feed = (input: SessionInput): void => {
          const [next, outputs] = stepSession(state, input);
          state = next;
          for (const o of outputs) {
            if (subscriber.closed) return;
            run(o);
          }
        };
        const run = (o: SessionOutput): void => {
          switch (o.kind) {
            case 'emit':
              if (o.event.type === 'Ready') {
                hadReady = true;
                // Subscribed before Ready is emitted, so a command sent from a Ready handler goes out.
                if (options.commands) timers.add(options.commands.subscribe((m) => run({ kind: 'send', message: m })));
              }
              subscriber.next(o.event);
              return;
            case 'send':
              options.onSend?.(o.message.type === 'Authenticate' ? { type: 'Authenticate', token: '***' } : o.message);
              send?.(encodeFrame(format, o.message));
              return;
            case 'schedule': {
              const input = o.input;
              // Fired timers leave `timers`, so a long-lived connection does not accumulate them.
              const action: Subscription = scheduler.schedule(() => {
                timers.remove(action);
                feed(input.kind === 'PingDue' ? { kind: 'PingDue', now: scheduler.now() } : input);
              }, o.delay);
              timers.add(action);
              return;
            }
            case 'fail':
              subscriber.error(o.error);
              return;
          }
        };

        const socket = transport(url, options.ws ?? {}).subscribe({
          next: (item) => {
            switch (item.kind) {
              case 'Open':
                send = (data) => item.connection.send(data);
                feed({ kind: 'Open', url: shownUrl });
                return;
              case 'Close':
                feed({ kind: 'Closed', code: item.code, reason: item.reason });
                return;
              default: {
                const parsed = parse(item);
                if (parsed === undefined) return;
                feed(parsed.ok ? { kind: 'Frame', frame: parsed.frame, raw: parsed.frame } : { kind: 'BadFrame', raw: item.data, error: parsed.error });
              }
            }
          },
          error: (e: unknown) => subscriber.error(e),
          complete: () => feed({ kind: 'Closed', code: 1006, reason: 'the connection ended' }),
        });
        return () => {
          timers.unsubscribe();
          socket.unsubscribe();
        };
      });

    return reconnecting(connectOnce, {
      backoff,
      onRetry: (error, n, delay): StoatEvent[] => [
        { source: 'stoat', type: 'Disconnected', data: { reason: error instanceof Error ? error.message : String(error) } },
        { source: 'stoat', type: 'Reconnecting', data: { attempt: n, delay } },
      ],
      isHealthy: (e) => e.type === 'Ready',
    });
  });
}
