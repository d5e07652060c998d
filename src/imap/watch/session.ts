/**
 * Runs the watch machine (machine.ts) over any `WatchLink`: feeds it server
 * input, timers and user requests; executes its outputs (emit, send, timers,
 * grants); reconnects with backoff through core `reconnecting`. The machine
 * state lives in the subscription, so it carries across reconnects. Transport
 * agnostic: watchMailbox.ts plugs in the real IMAP connection, the marble
 * tests a scripted one.
 */
import { asyncScheduler, BehaviorSubject, filter, Observable, take, type SchedulerLike, type Subscription } from 'rxjs';
import { reconnecting, silentLogger, TransportClosedError, type BackoffPolicy, type Logger } from '../../core';
import { imapEvent, type ImapEvent } from './events';
import { initialWatchState, step, type TimerName, type WatchCommand, type WatchConfig, type WatchInput, type WatchOutput, type WatchState } from './machine';

/** One authenticated connection as the machine sees it. */
export interface WatchLink<U> {
  /** The server's capabilities on this connection, after login (decide IDLE, CONDSTORE, QRESYNC). */
  readonly capabilities: readonly string[];
  /**
   * Server input: unsolicited data, the results and tagged completion of each
   * command given to `send`, `+` for IDLE; `{kind: 'closed'}` (or completion/error)
   * when the connection is gone.
   */
  readonly inputs$: Observable<WatchInput>;
  /** Sends one of the machine's commands; its responses and completion arrive on `inputs$`. */
  send(command: WatchCommand): void;
  /** Closes the socket at once. */
  close(): void;
  /** What a user command granted the connection receives. */
  readonly user: U;
}

/** Options of {@link watchSession}. */
export interface WatchSessionOptions {
  /** For the Connecting event. */
  readonly host: string;
  /** For the Connecting event (and the default `url`). */
  readonly port: number;
  /** For Connecting/Connected; default `imap://host:port`. */
  readonly url?: string;
  /** Reconnect reasons at warn (already redacted by the caller's sourceLogger). */
  readonly logger?: Logger;
  /** Delays between reconnect attempts (its scheduler defaults to `scheduler`). */
  readonly backoff: BackoffPolicy;
  /** When it emits: DONE, LOGOUT, ConnectionClosed, complete. */
  readonly stop$?: Observable<unknown>;
  /** Timers (IDLE renewal, liveness, polling) and backoff. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/** A mailbox watch: its events and a way to run commands on its connection. `U` is what those commands receive (an ImapClient). */
export interface MailboxWatch<U> {
  /** Cold: each subscription connects, watches, reconnects; unsubscribing sends DONE and LOGOUT and closes the socket. */
  readonly events$: Observable<ImapEvent>;
  /**
   * Runs `fn` on the watching connection of the latest subscription to `events$`:
   * IDLE is ended with DONE first and resumed when the returned Observable ends.
   * Errors with TransportClosedError when not connected or when the connection drops.
   */
  run<T>(fn: (user: U) => Observable<T>): Observable<T>;
  /**
   * Like `run`, but waits until the watch is Ready (or Resumed) instead of failing
   * when it is not connected yet (or reconnecting). Needs a subscriber to `events$`.
   */
  runWhenReady<T>(fn: (user: U) => Observable<T>): Observable<T>;
}

interface PendingRun {
  start(): void;
  fail(error: Error): void;
}

interface Attempt<U> {
  link: WatchLink<U> | undefined;
  feed(input: WatchInput): void;
  readonly pending: Map<number, PendingRun>;
}

/**
 * Drives the watch machine over any connection `connect` opens (a cold
 * Observable of one {@link WatchLink} per attempt), reconnecting with
 * `options.backoff`; the watch memory carries across reconnects. The building
 * block under `imap()` and `mailboxWatch`; tests pass a scripted link.
 */
export function watchSession<U>(
  connect: () => Observable<WatchLink<U>>,
  config: Partial<WatchConfig> & { mailbox: string },
  options: WatchSessionOptions,
): MailboxWatch<U> {
  const scheduler = options.scheduler ?? asyncScheduler;
  let current: Attempt<U> | undefined;
  let runIds = 0;
  /** The attempt whose watch is Ready/Resumed (undefined while connecting, reconnecting or gone). */
  const ready = new BehaviorSubject<Attempt<U> | undefined>(undefined);
  const log = options.logger ?? silentLogger;
  const url = options.url ?? `imap://${options.host}:${options.port}`;

  const events$ = new Observable<ImapEvent>((subscriber) => {
    let state: WatchState = initialWatchState(config);
    let attempts = 0;
    let stopping = false;
    let mine: Attempt<U> | undefined;

    const attemptOnce = (): Observable<ImapEvent> =>
      new Observable<ImapEvent>((sub) => {
        const timers = new Map<TimerName, Subscription>();
        const queue: WatchInput[] = [];
        let busy = false;
        let done = false;
        let inputsSub: Subscription | undefined;
        const attempt: Attempt<U> = { link: undefined, feed: (i) => feed(i), pending: new Map() };
        mine = current = attempt;

        const cleanup = (): void => {
          done = true;
          if (ready.value === attempt) ready.next(undefined);
          for (const t of timers.values()) t.unsubscribe();
          timers.clear();
          inputsSub?.unsubscribe();
          attempt.link?.close();
          const lost = new TransportClosedError('the mailbox watch connection ended before the command could run');
          for (const p of [...attempt.pending.values()]) p.fail(lost);
          attempt.pending.clear();
        };

        const apply = (o: WatchOutput): void => {
          switch (o.kind) {
            case 'emit':
              if (o.event.type === 'IdleStarted') attempts = 0;
              sub.next(o.event);
              if (o.event.type === 'Ready' || o.event.type === 'Resumed') ready.next(attempt);
              return;
            case 'send':
              attempt.link?.send(o.command);
              return;
            case 'startTimer': {
              timers.get(o.timer)?.unsubscribe();
              const name = o.timer;
              timers.set(
                name,
                scheduler.schedule(() => {
                  timers.delete(name);
                  feed({ kind: 'timer', timer: name });
                }, o.delay),
              );
              return;
            }
            case 'cancelTimer':
              timers.get(o.timer)?.unsubscribe();
              timers.delete(o.timer);
              return;
            case 'grant':
              attempt.pending.get(o.id)?.start();
              return;
            case 'fail':
              cleanup();
              sub.error(o.error);
              return;
            case 'close':
              cleanup();
              sub.complete();
              return;
          }
        };

        function feed(input: WatchInput): void {
          queue.push(input);
          if (busy) return;
          busy = true;
          try {
            while (queue.length > 0) {
              const next = queue.shift() as WatchInput;
              if (done && next.kind !== 'teardown') continue;
              const [s, outs] = step(state, next);
              state = s;
              for (const o of outs) apply(o);
            }
          } finally {
            busy = false;
          }
        }

        if (stopping) {
          sub.next(imapEvent('Closed', { reason: 'stopped' }));
          sub.next(imapEvent('ConnectionClosed', { reason: 'stopped' }));
          sub.complete();
          return;
        }
        feed({ kind: 'connecting', attempt: ++attempts, host: options.host, port: options.port, url });
        const connSub = connect().subscribe({
          next: (link) => {
            if (done) {
              link.close();
              return;
            }
            attempt.link = link;
            inputsSub = link.inputs$.subscribe({
              next: (i) => feed(i),
              error: (e: unknown) => feed({ kind: 'closed', reason: e instanceof TransportClosedError ? e.reason : e instanceof Error ? e.message : String(e) }),
              complete: () => feed({ kind: 'closed', reason: 'connection closed' }),
            });
            feed({ kind: 'connected', capabilities: link.capabilities });
            if (stopping) feed({ kind: 'stop' });
          },
          error: (e: unknown) => {
            if (done) return;
            cleanup();
            sub.error(e);
          },
        });
        return () => {
          if (!done) feed({ kind: 'teardown' });
          cleanup();
          connSub.unsubscribe();
          if (current === attempt) current = undefined;
          if (mine === attempt) mine = undefined;
        };
      });

    const stopSub = options.stop$?.subscribe(() => {
      if (stopping) return;
      stopping = true;
      if (mine) mine.feed({ kind: 'stop' });
      else {
        subscriber.next(imapEvent('Closed', { reason: 'stopped' }));
        subscriber.next(imapEvent('ConnectionClosed', { reason: 'stopped' }));
        subscriber.complete();
      }
    });
    const sub = reconnecting(attemptOnce, {
      backoff: { ...options.backoff, scheduler: options.backoff.scheduler ?? scheduler },
      onRetry: (error, attempt, delay) => {
        const reason = reasonOf(error);
        log.warn({ attempt, delay, reason }, `IMAP connection lost (${reason}); reconnecting in ${delay} ms`);
        return [imapEvent('Disconnected', { reason, willReconnect: true }), imapEvent('Reconnecting', { attempt, delay })];
      },
      isHealthy: (e) => e.type === 'IdleStarted',
    }).subscribe({
      next: (e) => subscriber.next(e),
      complete: () => subscriber.complete(),
      error: (e: unknown) => {
        // fatal (wrong credentials, a protocol error that retrying cannot cure): say so in the stream, then error
        const reason = reasonOf(e);
        log.error({ reason }, `IMAP watch ended: ${reason}`);
        subscriber.next(imapEvent('Disconnected', { reason, willReconnect: false }));
        subscriber.next(imapEvent('Closed', { reason }));
        subscriber.error(e);
      },
    });
    return () => {
      stopSub?.unsubscribe();
      sub.unsubscribe();
    };
  });

  const run = <T>(fn: (user: U) => Observable<T>): Observable<T> =>
    new Observable<T>((s) => {
      const at = current;
      const link = at?.link;
      if (at === undefined || link === undefined) {
        s.error(new TransportClosedError('the mailbox watch is not connected'));
        return;
      }
      const id = ++runIds;
      let inner: Subscription | undefined;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        at.pending.delete(id);
        at.feed({ kind: 'release', id });
      };
      at.pending.set(id, {
        start: () => {
          inner = fn(link.user).subscribe({
            next: (v) => s.next(v),
            error: (e: unknown) => {
              release();
              s.error(e);
            },
            complete: () => {
              release();
              s.complete();
            },
          });
        },
        fail: (e) => {
          released = true;
          s.error(e);
        },
      });
      at.feed({ kind: 'request', id });
      return () => {
        inner?.unsubscribe();
        release();
      };
    });

  const runWhenReady = <T>(fn: (user: U) => Observable<T>): Observable<T> =>
    new Observable<T>((s) => {
      let inner: Subscription | undefined;
      const wait = ready
        .pipe(
          filter((a): a is Attempt<U> => a !== undefined && a.link !== undefined),
          take(1),
        )
        .subscribe(() => {
          inner = run(fn).subscribe(s);
        });
      return () => {
        wait.unsubscribe();
        inner?.unsubscribe();
      };
    });

  return { events$, run, runWhenReady };
}

/** The reason text of an error: a TransportClosedError's own reason (not its advice), else the message. */
function reasonOf(error: unknown): string {
  if (error instanceof TransportClosedError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}
