/**
 * The driver: a cold Observable<StoatEvent> that opens Bonfire through the
 * shared transport, runs the pure session step on every socket item and timer
 * firing, carries out its outputs, and reconnects with backoff (core
 * `reconnecting`) until a fatal error (authentication) or unsubscription.
 * `stoat()` (stoat.ts) shares it and adds the actions.
 */
import { asyncScheduler, catchError, concat, defer, Observable, of, Subscription, throwError } from 'rxjs';
import { NO_SECRETS, reconnecting, silentLogger, type BackoffPolicy, type CommonSourceOptions, type Logger, type Redactor } from '../../core';
import { connectWebSocket, safeUrl, type WsInbound, type WsOptions } from '../transport';
import type { StoatEvent } from './events';
import { encodeFrame, MAX_FRAME_DEPTH, parseBinary, parseText, type ParsedFrame, type StoatFormat } from './frame';
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

/** Options of `stoat()` (and of the deprecated `stoatGateway()`). */
export interface StoatOptions extends CommonSourceOptions {
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
  /** Options for the WebSocket transport (e.g. `maxPayload`, default 100 MiB). */
  readonly ws?: WsOptions;
  /** Deepest container nesting accepted in a MessagePack frame (default 128); deeper frames become DecodeErrors. */
  readonly maxFrameDepth?: number;
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

/** @deprecated Use `StoatOptions` (the options of `stoat()`). */
export type StoatGatewayOptions = StoatOptions;

/** The connection's send function while it is past Ready (set by the driver, read by the actions). */
export interface StoatLink {
  /** Writes one client message to the socket: true once written, false when the socket is not open; undefined while no connection is past Ready. */
  send: ((message: StoatClientMessage) => boolean) | undefined;
}

/** What the driver shares with the handle. */
export interface StoatDriverContext {
  /** Where the driver puts the send function of the connection past Ready (the handle's actions read it). */
  readonly link: StoatLink;
  /** Where the driver logs: reconnects (warn), the final close (error), frames in and out (debug, when `logger` is set). */
  readonly log: Logger;
  /** Removes the token from errors and from Disconnected and Closed reasons. */
  readonly redactor: Redactor;
}

const DEFAULT_URL = 'wss://stoat.chat/events';

/** The connection URL: version, format, ready fields and (if asked) the token. */
export function stoatUrl(options: Pick<StoatOptions, 'url' | 'format' | 'ready' | 'tokenIn' | 'token'>): string {
  const url = new URL(options.url ?? DEFAULT_URL);
  url.searchParams.set('version', '1');
  url.searchParams.set('format', options.format ?? 'json');
  for (const field of options.ready ?? []) url.searchParams.append('ready', field);
  if (options.tokenIn === 'query') url.searchParams.set('token', options.token);
  return url.toString();
}

/**
 * The cold connection stream (one socket per subscription): BeforeConnect,
 * AfterConnect, Authenticated, Ready, then data events; Disconnected and
 * Reconnecting around each reconnect (followed by a new Ready with
 * `reconnect: true`); Disconnected (`willReconnect: false`) and Closed before
 * a fatal error (AuthenticationFailedError when the token is refused or the
 * session is logged out). Not redacted: `stoat()` adds that stage.
 */
export function connectStoat(options: StoatOptions, context: StoatDriverContext = { link: { send: undefined }, log: silentLogger, redactor: NO_SECRETS }): Observable<StoatEvent> {
  const { link, log, redactor } = context;
  const logging = options.logger !== undefined;
  const scheduler = options.scheduler ?? asyncScheduler;
  const format = options.format ?? 'json';
  const transport = options.transport ?? connectWebSocket;
  const url = stoatUrl(options);
  const shownUrl = safeUrl(url);
  const maxDepth = options.maxFrameDepth ?? MAX_FRAME_DEPTH;
  const parse: (item: WsInbound) => ParsedFrame | undefined = (item) =>
    item.kind === 'Text' ? parseText(item.data) : item.kind === 'Binary' ? parseBinary(item.data, maxDepth) : undefined;
  const backoff: BackoffPolicy = { initialDelay: 1000, maxDelay: 60_000, ...options.backoff, scheduler: options.backoff?.scheduler ?? scheduler };
  const message = (e: unknown): string => redactor.text(e instanceof Error ? e.message : String(e));

  return defer(() => {
    let hadReady = false;
    let attempt = 0;
    // The close code of the connection that just ended (for Disconnected), if it closed with one.
    let lastCode: number | undefined;
    let opened = false;

    const connectOnce = (): Observable<StoatEvent> =>
      new Observable<StoatEvent>((subscriber) => {
        attempt++;
        lastCode = undefined;
        opened = false;
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

        const write = (m: StoatClientMessage): boolean => {
          if (logging) log.debug({ direction: 'out', type: m.type }, 'frame out');
          options.onSend?.(m.type === 'Authenticate' ? { type: 'Authenticate', token: '***' } : m);
          return send?.(encodeFrame(format, m)) ?? false;
        };
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
                link.send = write;
                // Subscribed before Ready is emitted, so a command sent from a Ready handler goes out.
                if (options.commands) timers.add(options.commands.subscribe((m) => run({ kind: 'send', message: m })));
              }
              subscriber.next(o.event);
              return;
            case 'send':
              write(o.message);
              return;
            case 'schedule': {
              const input = o.input;
              // Fired timers leave `timers`, so a long-lived connection does not accumulate them.
              const action: Subscription = scheduler.schedule(() => {
                timers.remove(action);
                guarded(input.kind === 'PingDue' ? { kind: 'PingDue', now: scheduler.now() } : input, undefined);
              }, o.delay);
              timers.add(action);
              return;
            }
            case 'fail':
              if (link.send === write) link.send = undefined;
              if (o.code !== undefined) lastCode = o.code;
              subscriber.error(redactor.error(o.error));
              return;
          }
        };
        // No input may throw out of a socket callback: a bug on a frame becomes a DecodeError on the stream.
        const guarded = (input: SessionInput, raw: unknown): void => {
          try {
            feed(input);
          } catch (e) {
            if (!subscriber.closed) subscriber.next({ source: 'stoat', type: 'DecodeError', data: { tag: undefined, raw, errors: [`frame: ${message(e)}`] } });
          }
        };

        const socket = transport(url, options.ws ?? {}).subscribe({
          next: (item) => {
            switch (item.kind) {
              case 'Open':
                opened = true;
                send = (data) => item.connection.send(data);
                guarded({ kind: 'Open', url: shownUrl }, undefined);
                return;
              case 'Close':
                guarded({ kind: 'Closed', code: item.code, reason: item.reason }, undefined);
                return;
              default: {
                let parsed: ParsedFrame | undefined;
                try {
                  parsed = parse(item);
                } catch (e) {
                  parsed = { ok: false, error: message(e) };
                }
                if (parsed === undefined) return;
                if (logging) log.debug({ direction: 'in', kind: item.kind, bytes: item.data.length, ok: parsed.ok }, 'frame in');
                guarded(parsed.ok ? { kind: 'Frame', frame: parsed.frame, raw: parsed.frame } : { kind: 'BadFrame', raw: item.data, error: parsed.error }, item.data);
              }
            }
          },
          error: (e: unknown) => {
            if (link.send === write) link.send = undefined;
            subscriber.error(redactor.error(e));
          },
          complete: () => guarded({ kind: 'Closed', code: 1006, reason: 'the connection ended' }, undefined),
        });
        return () => {
          if (link.send === write) link.send = undefined;
          timers.unsubscribe();
          socket.unsubscribe();
        };
      });

    const disconnected = (error: unknown, willReconnect: boolean): StoatEvent => ({
      source: 'stoat',
      type: 'Disconnected',
      data: lastCode === undefined ? { reason: message(error), willReconnect } : { reason: message(error), willReconnect, code: lastCode },
    });

    return reconnecting(connectOnce, {
      backoff,
      onRetry: (error, n, delay): StoatEvent[] => {
        log.warn({ attempt: n, delay, reason: message(error) }, 'reconnecting');
        return [disconnected(error, true), { source: 'stoat', type: 'Reconnecting', data: { attempt: n, delay } }];
      },
      isHealthy: (e) => e.type === 'Ready',
    }).pipe(
      catchError((error: unknown) => {
        log.error({ reason: message(error) }, 'closed');
        const end: StoatEvent[] = opened ? [disconnected(error, false)] : [];
        end.push({ source: 'stoat', type: 'Closed', data: { reason: message(error) } });
        return concat(of(...end), throwError(() => redactor.error(error)));
      }),
    );
  });
}
