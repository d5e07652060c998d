/**
 * The event stream's engine: a job runner (polls, domain checks, account
 * commands, hub signals, one at a time) driving the pure steps (pagingStep,
 * diffMailbox, diffDomains). I/O is injected (`MailtmEnginePorts`), so marble
 * tests drive it in virtual time with scripted pages; `mailtm()` plugs the
 * HTTP client in.
 *
 * Lifecycle of a polled REST API (the core vocabulary):
 * - `ServerStarted` (seed name) first, then `Connecting {url: base URL, attempt}`
 *   before the first request (authenticating the initial account).
 * - `Connected {url}` once the initial account holds a token (with no account:
 *   once the server answered the domain list).
 * - `Ready {address, existing}` once reporting starts: right after the first
 *   `AccountSwitched`, which is emitted only from a complete, decoded baseline
 *   of the account (with no account: with Connected).
 * - An outage on a mailbox read (network, timeout, 5xx, and any 4xx other
 *   than a 401 that survived re-authentication) is transient:
 *   `Disconnected {reason, willReconnect: true, code?: HTTP status}`, then
 *   `Reconnecting {attempt, delay}` per retry, `Resumed {attempts}` when a read
 *   succeeds again; the next diff catches up, so nothing is lost or repeated.
 *   A 429 only waits (its Retry-After is a floor over the backoff).
 * - `ServerCalledOff {reason}` (= Closed) last: 'stopped' at once on
 *   stop/until (in-flight requests and retry waits are cancelled), 'error'
 *   before a fatal error. Fatal: AuthenticationFailedError (credentials
 *   refused, or a 401 after re-authentication), InvalidArgumentError
 *   (e.g. a token HTTP cannot carry), FatalCloseError.
 *
 * Order guarantees: jobs run one at a time, so the events of one poll, a
 * switch and the next poll never interleave. A mailbox is "watched" from its
 * baseline: until one complete decoded read exists nothing is primed and the
 * engine keeps trying on the poll schedule (DecodeError events meanwhile), so
 * mail arriving before the baseline is never silently absorbed after an
 * announcement. Account commands pre-empt a running poll or domain check
 * (including its retry waits): a switch first reads the old account once more
 * (bounded by `finalReadTimeout`) and reports what arrived, then watches the
 * new one. Domain checks are their own jobs: a domain answer that does not
 * decode is a DecodeError event and never blocks the mailbox.
 */
import {
  EMPTY,
  Observable,
  asyncScheduler,
  catchError,
  concat,
  defer,
  ignoreElements,
  interval,
  of,
  retry,
  switchMap,
  tap,
  throwError,
  timeout,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import {
  AuthenticationFailedError,
  DecodeFailedError,
  FatalCloseError,
  InvalidArgumentError,
  RateLimitedError,
  TransportClosedError,
  backoffDelay,
  backoffDelayFn,
  silentLogger,
  type BackoffPolicy,
  type DecodeErrorEvent,
  type Logger,
} from '../core';
import type { MailtmAccount, MailtmDomain, MailtmMessagePageLoose } from './codecs';
import { diffDomains, type DomainState } from './domainDiff';
import { mailtmEvent, MAILTM_SOURCE, type MailtmEvent } from './events';
import { httpStatusOf } from './httpError';
import { EMPTY_MAILBOX, diffMailbox, knownIds, type MailboxSnapshot, type MailboxState } from './mailboxDiff';
import { mailboxPage, pagingStep, startPaging, type PagingState } from './paging';

/** What the engine needs to know about an account. */
export interface MailtmAccountRef {
  /** The account's email address (identifies it in events). */
  readonly address: string;
  /** The account id, or undefined when not known yet (events then carry `null`). */
  readonly accountId: string | undefined;
}

/** Signals from the push hub of one account. */
export type MailtmHubSignal =
  | { readonly kind: 'open' }
  /** Something changed: poll now. */
  | { readonly kind: 'changed' }
  /** A frame that did not decode (Unknown/DecodeError), passed on. */
  | { readonly kind: 'event'; readonly event: MailtmEvent };

/** The engine's I/O. */
export interface MailtmEnginePorts<A extends MailtmAccountRef> {
  /**
   * Page `page` of `account`'s mailbox, envelope decoded, members as they came
   * (the engine decodes them one by one). Outages error retryably; 429 is handled inside.
   */
  readonly messages: (account: A, page: number) => Observable<MailtmMessagePageLoose>;
  /** All domains. */
  readonly domains: () => Observable<readonly MailtmDomain[]>;
  /** The push hub of `account`; errors when it drops. Optional. */
  readonly hub?: (account: A) => Observable<MailtmHubSignal>;
  /** Logs `account` in (gets its token): the step between Connecting and Connected. Optional. */
  readonly authenticate?: (account: A) => Observable<unknown>;
  /** True while the request budget has room for extra domain checks. Default: always. */
  readonly spare?: () => boolean;
}

/** Commands from the account controller; `done` is called once the stream has applied it. */
export type MailtmCommand<A extends MailtmAccountRef> =
  | { readonly kind: 'switch'; readonly account: A; readonly backlog?: boolean; readonly done?: () => void }
  | { readonly kind: 'created'; readonly account: MailtmAccount; readonly done?: () => void }
  /**
   * `perform` (the DELETE itself) runs inside the job runner, so no poll of
   * the account is in flight when it disappears; its failure goes to `fail`
   * (the action), not to the stream, and the account stays watched.
   */
  | { readonly kind: 'deleted'; readonly account: A; readonly perform?: Observable<unknown>; readonly done?: () => void; readonly fail?: (error: unknown) => void }
  | { readonly kind: 'poll'; readonly done?: () => void }
  | { readonly kind: 'stop'; readonly done?: () => void };

/** How the engine polls, retries and reports. */
export interface MailtmEngineOptions<A extends MailtmAccountRef> {
  /** The API base URL (the `url` of Connecting/Connected). */
  readonly baseUrl: string;
  /** The account to watch from the start. */
  readonly initial?: A;
  /** Account commands (switch, created, deleted, poll, stop). */
  readonly commands?: Observable<MailtmCommand<A>>;
  /** Emitting (or completing) stops the stream at once with ServerCalledOff last. */
  readonly until?: Observable<unknown>;
  /** Poll every this many ms. Default 1000. */
  readonly pollInterval?: number;
  /** Check the domain list at least every this many ms. Default 60 000. */
  readonly domainInterval?: number;
  /**
   * Check the domain list this often while the request budget has room (`ports.spare()`).
   * Default 5000 (one extra request per 5 s, well within Mail.tm's 8 per second).
   */
  readonly domainFastInterval?: number;
  /** Report mail that already existed when an account is first watched. Default false. */
  readonly backlog?: boolean;
  /** Use the push hub (ports.hub) when available. Default false. */
  readonly push?: boolean;
  /** While the hub is up, still poll this often as a safety net. Default 30 000. */
  readonly pushPollInterval?: number;
  /** Backoff for outages and hub reconnects. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** How often a torn (shifting) mailbox read is restarted within one poll. Default 3. */
  readonly tornRetries?: number;
  /** How long a switch waits for its last read of the old account. Default 2000 ms. */
  readonly finalReadTimeout?: number;
  /** When that read could not finish, how long it is retried in the background after the switch. Default 60 000 ms. */
  readonly drainTimeout?: number;
  /** Where reconnect reasons (warn) and skipped domain checks go. Default silent. */
  readonly logger?: Logger;
  /** The scheduler of every wait. */
  readonly scheduler?: SchedulerLike;
}

interface Job {
  readonly kind: 'poll' | 'domains' | 'command' | 'hub' | 'drain';
  /** Whether an account command may cancel it (it is then simply redone later). */
  preemptible: boolean;
  readonly run: () => Observable<MailtmEvent>;
  /** Called when the job is cancelled or dropped before it completed. */
  readonly dropped?: () => void;
}

/** Errors that end the stream; every other failure of a read is retried with backoff. */
export function isMailtmFatal(error: unknown): boolean {
  return error instanceof AuthenticationFailedError || error instanceof InvalidArgumentError || error instanceof FatalCloseError;
}

/** The engine: ServerStarted on subscription, then the lifecycle and data events described in the module comment. */
export function mailtmEngine<A extends MailtmAccountRef>(ports: MailtmEnginePorts<A>, options: MailtmEngineOptions<A>): Observable<MailtmEvent> {
  return new Observable<MailtmEvent>((subscriber) => {
    const scheduler = options.scheduler;
    const clock: SchedulerLike = scheduler ?? asyncScheduler;
    const now = (): number => clock.now();
    const log = options.logger ?? silentLogger;
    const pollInterval = options.pollInterval ?? 1000;
    const domainInterval = options.domainInterval ?? 60_000;
    const domainFast = Math.min(domainInterval, options.domainFastInterval ?? 5000);
    const pushPollInterval = options.pushPollInterval ?? 30_000;
    const finalReadTimeout = options.finalReadTimeout ?? 2000;
    const drainTimeout = options.drainTimeout ?? 60_000;
    const push = options.push === true && ports.hub !== undefined;
    const backoff: BackoffPolicy = {
      initialDelay: 500,
      maxDelay: 30_000,
      jitter: 'equal',
      ...options.backoff,
      retryable: (e) => !isMailtmFatal(e),
      maxAttempts: options.backoff?.maxAttempts ?? Infinity,
      ...(scheduler ? { scheduler } : {}),
    };

    let account: A | undefined;
    let mailbox: MailboxState = EMPTY_MAILBOX;
    let backlog = options.backlog ?? false;
    /** The announcement still owed for `account` (AccountSwitched once its baseline exists). */
    let owed: { readonly from: A | undefined; readonly done?: () => void } | undefined;
    let connected = false;
    let ready = false;
    let outage: { failures: number } | undefined;
    let domains: DomainState;
    let lastDomainCheck = -Infinity;
    let lastPoll = -Infinity;
    let lastPollEnd = -Infinity;
    let pollQueued = false;
    let domainQueued = false;
    let hubUp = false;
    let hubSub: Subscription | undefined;
    let finished = false;

    const out = (e: MailtmEvent): void => {
      if (!finished) subscriber.next(e);
    };

    // ---- the job runner ---------------------------------------------------------------------
    const commandJobs: Job[] = [];
    const jobs: Job[] = [];
    let current: { job: Job; sub: Subscription | undefined; done: boolean } | undefined;
    let pumping = false;
    const pump = (): void => {
      if (pumping) return;
      pumping = true;
      try {
        while (!finished && current === undefined) {
          const job = commandJobs.shift() ?? jobs.shift();
          if (job === undefined) break;
          const run: { job: Job; sub: Subscription | undefined; done: boolean } = { job, sub: undefined, done: false };
          current = run;
          const sub = defer(job.run).subscribe({
            next: out,
            error: (e: unknown) => {
              run.done = true;
              if (current === run) current = undefined;
              fail(e);
            },
            complete: () => {
              run.done = true;
              if (current === run) {
                current = undefined;
                pump();
              }
            },
          });
          if (!run.done) run.sub = sub;
        }
      } finally {
        pumping = false;
      }
      if (!finished && current === undefined && (commandJobs.length > 0 || jobs.length > 0)) pump();
    };
    const enqueue = (job: Job): void => {
      if (finished) return;
      (job.kind === 'command' ? commandJobs : jobs).push(job);
      pump();
    };
    /** Cancels a running poll/domain check (and its retry wait) and drops the queued ones. */
    const preempt = (): void => {
      if (current !== undefined && current.job.preemptible) {
        const { sub, job } = current;
        current = undefined;
        sub?.unsubscribe();
        job.dropped?.();
      }
      for (let i = jobs.length - 1; i >= 0; i--) {
        const job = jobs[i];
        if (job.kind === 'poll' || job.kind === 'domains' || job.kind === 'drain') {
          jobs.splice(i, 1);
          job.dropped?.();
        }
      }
      pollQueued = false;
      domainQueued = false;
    };

    // ---- retries ----------------------------------------------------------------------------
    const decodeErrorEvent = (e: DecodeFailedError): DecodeErrorEvent<typeof MAILTM_SOURCE> => ({
      source: MAILTM_SOURCE,
      type: 'DecodeError',
      data: { tag: e.what, raw: e.raw, errors: e.errors },
    });
    /**
     * Runs `attempt` until it succeeds: a transient failure is an outage
     * (Disconnected once, Reconnecting per retry, Resumed after), a 429 only
     * waits, a body that does not decode is a DecodeError event (the server
     * answered: the attempt is over), a fatal error ends the stream.
     */
    const persist = (attempt: () => Observable<MailtmEvent>): Observable<MailtmEvent> =>
      new Observable<MailtmEvent>((sub) => {
        let inner: Subscription | undefined;
        let wait: Subscription | undefined;
        let limited = 0;
        const resume = (): void => {
          if (outage === undefined) return;
          const attempts = outage.failures;
          outage = undefined;
          sub.next(mailtmEvent('Resumed', { attempts }));
        };
        const go = (): void => {
          inner = defer(attempt).subscribe({
            next: (e) => sub.next(e),
            complete: () => {
              resume();
              sub.complete();
            },
            error: (e: unknown) => {
              if (e instanceof DecodeFailedError) {
                resume();
                sub.next(decodeErrorEvent(e));
                sub.complete();
                return;
              }
              if (isMailtmFatal(e)) {
                sub.error(e);
                return;
              }
              let delay: number;
              if (e instanceof RateLimitedError) {
                delay = backoffDelay(backoff, ++limited, e);
              } else {
                limited = 0;
                if (outage === undefined) {
                  outage = { failures: 0 };
                  const code = httpStatusOf(e);
                  sub.next(mailtmEvent('Disconnected', { reason: reasonOf(e), willReconnect: true, ...(code !== undefined ? { code } : {}) }));
                }
                outage.failures++;
                delay = backoffDelay(backoff, outage.failures, e);
                log.warn({ reason: reasonOf(e), attempt: outage.failures, delay }, 'mailbox read failed; retrying');
                sub.next(mailtmEvent('Reconnecting', { attempt: outage.failures, delay }));
              }
              wait = clock.schedule(go, delay);
            },
          });
        };
        go();
        return () => {
          inner?.unsubscribe();
          wait?.unsubscribe();
        };
      });

    // ---- the mailbox ------------------------------------------------------------------------
    // One attempt at reading the mailbox: pages until pagingStep is satisfied; undefined when torn.
    const readMailbox = (acc: A, primed: boolean, state: MailboxState = mailbox): Observable<MailboxSnapshot | undefined> => {
      const known = primed ? knownIds(state) : undefined;
      const tornRetries = options.tornRetries ?? 3;
      const step = (state: PagingState, page: number, restarts: number): Observable<MailboxSnapshot | undefined> =>
        ports.messages(acc, page).pipe(
          switchMap((raw) => {
            // mailboxPage throws DecodeFailedError for an item without an id
            const [next, d] = pagingStep(known, state, mailboxPage(raw));
            if (d.next === 'done') return of(d.snapshot);
            if (d.next === 'page') return step(next, page + 1, restarts);
            return restarts < tornRetries ? step(startPaging(), 1, restarts + 1) : of(undefined);
          }),
        );
      return defer(() => step(startPaging(), 1, 0));
    };

    /** A diff of a primed mailbox: arrivals and deletions since the last read. */
    const diffStep = (acc: A): Observable<MailtmEvent> =>
      readMailbox(acc, true).pipe(
        switchMap((snapshot) => {
          if (snapshot === undefined || account !== acc) return EMPTY;
          const [next, events] = diffMailbox(mailbox, snapshot, true);
          mailbox = next;
          return of(...events);
        }),
      );

    /** The baseline of an unprimed mailbox: AccountSwitched (and Ready the first time) only from a complete decoded read. */
    const baselineStep = (acc: A): Observable<MailtmEvent> =>
      readMailbox(acc, false).pipe(
        switchMap((snapshot) => {
          if (account !== acc) return EMPTY;
          if (snapshot === undefined) {
            log.warn({ address: acc.address }, 'the mailbox kept shifting while its baseline was read; trying again at the next poll');
            return EMPTY;
          }
          const [next, events] = diffMailbox(EMPTY_MAILBOX, snapshot, backlog);
          mailbox = next;
          const announce = owed;
          owed = undefined;
          const head: MailtmEvent[] = [];
          if (announce !== undefined)
            head.push(
              mailtmEvent('AccountSwitched', {
                from: announce.from?.address ?? null,
                to: acc.address,
                accountId: acc.accountId ?? null,
                existing: next.known.size,
                backlog,
              }),
            );
          if (!ready) {
            ready = true;
            head.push(mailtmEvent('Ready', { address: acc.address, existing: next.known.size }));
          }
          startHub();
          return concat(
            of(...head, ...events),
            defer(() => {
              release(announce?.done);
              return EMPTY;
            }),
          );
        }),
      );

    const connectStep = (acc: A | undefined): Observable<MailtmEvent> =>
      defer(() => {
        if (connected) return EMPTY;
        // With an account: its login. Without one: the domain list (the only open resource).
        const auth: Observable<MailtmEvent> =
          acc !== undefined
            ? (ports.authenticate?.(acc) ?? EMPTY).pipe(ignoreElements())
            : ports.domains().pipe(
                switchMap((list) => {
                  domains = diffDomains(domains, list)[0];
                  lastDomainCheck = now();
                  return EMPTY;
                }),
                catchError((e: unknown) => {
                  if (e instanceof DecodeFailedError) return of<MailtmEvent>(decodeErrorEvent(e));
                  throw e;
                }),
              );
        return concat(
          auth,
          defer(() => {
            connected = true;
            const events: MailtmEvent[] = [mailtmEvent('Connected', { url: options.baseUrl })];
            if (acc === undefined && !ready) {
              ready = true;
              events.push(mailtmEvent('Ready', { address: null, existing: 0 }));
            }
            return of(...events);
          }),
        );
      });

    /** One poll: connect if needed, then the baseline (unprimed) or the diff of the watched account. */
    const pollRun = (): Observable<MailtmEvent> =>
      defer(() => {
        lastPoll = now();
        const acc = account;
        return persist(() =>
          concat(
            connectStep(acc),
            defer(() => (acc === undefined || account !== acc ? EMPTY : mailbox.primed ? diffStep(acc) : baselineStep(acc))),
          ),
        );
      }).pipe(
        tap({
          finalize: () => {
            lastPollEnd = now();
          },
        }),
      );

    const pollJob = (): Job => ({
      kind: 'poll',
      preemptible: true,
      run: () =>
        defer(() => {
          pollQueued = false;
          return pollRun();
        }),
    });
    const enqueuePoll = (): void => {
      if (pollQueued || finished) return;
      pollQueued = true;
      enqueue(pollJob());
    };

    // ---- domains ----------------------------------------------------------------------------
    const domainJob = (): Job => ({
      kind: 'domains',
      preemptible: true,
      dropped: () => {
        domainQueued = false;
      },
      run: () =>
        defer(() => {
          domainQueued = false;
          return ports.domains().pipe(
            switchMap((list) => {
              lastDomainCheck = now();
              const [next, events] = diffDomains(domains, list);
              domains = next;
              return of(...events);
            }),
            catchError((e: unknown) => {
              // Domains are checked again on their own schedule; a failure here never touches the mailbox.
              lastDomainCheck = now();
              if (e instanceof DecodeFailedError) return of<MailtmEvent>(decodeErrorEvent(e));
              if (isMailtmFatal(e)) throw e;
              log.warn({ reason: reasonOf(e) }, 'domain check failed; trying again on its schedule');
              return EMPTY;
            }),
          );
        }),
    });
    const domainEvery = (): number => ((ports.spare?.() ?? true) ? domainFast : domainInterval);
    const enqueueDomains = (): void => {
      if (domainQueued || finished) return;
      domainQueued = true;
      enqueue(domainJob());
    };

    // ---- the hub ----------------------------------------------------------------------------
    const small = (events: MailtmEvent[]): Job => ({ kind: 'hub', preemptible: false, run: () => of(...events) });
    const stopHub = (): void => {
      hubSub?.unsubscribe();
      hubSub = undefined;
      hubUp = false;
    };
    const startHub = (): void => {
      stopHub();
      const acc = account;
      if (!push || acc === undefined || ports.hub === undefined) return;
      const hub = ports.hub;
      let wasUp = false;
      hubSub = defer(() => hub(acc))
        .pipe(
          tap({
            error: (e: unknown) => {
              hubUp = false;
              if (wasUp && !finished) enqueue(small([mailtmEvent('HubDisconnected', { address: acc.address, reason: reasonOf(e) })]));
              wasUp = false;
              enqueuePoll();
            },
          }),
          retry({ delay: backoffDelayFn({ ...backoff, retryable: () => true }), resetOnSuccess: true }),
        )
        .subscribe({
          next: (signal) => {
            if (finished) return;
            if (signal.kind === 'open') {
              hubUp = true;
              wasUp = true;
              enqueue(small([mailtmEvent('HubConnected', { address: acc.address })]));
              enqueuePoll(); // catch up on anything between the last poll and the hub opening
            } else if (signal.kind === 'changed') enqueuePoll();
            else enqueue(small([signal.event]));
          },
          error: () => {
            hubUp = false;
          },
        });
    };

    // ---- commands ---------------------------------------------------------------------------
    // Commands not yet applied: released at teardown, so no action waits forever.
    const pending = new Set<() => void>();
    const release = (done: (() => void) | undefined): void => {
      if (done && pending.delete(done)) done();
    };

    /** Makes `acc` the watched account; its AccountSwitched is owed until its baseline exists. */
    const watch = (acc: A, from: A | undefined, withBacklog: boolean, done: (() => void) | undefined): void => {
      const superseded = owed;
      account = acc;
      mailbox = EMPTY_MAILBOX;
      backlog = withBacklog;
      owed = { from: superseded?.from ?? from, done };
      stopHub();
      release(superseded?.done);
    };

    /**
     * The old account's last read before a switch: what arrived is reported. It waits at most
     * `finalReadTimeout`; if it could not finish (a 429 storm, an outage), a drain job keeps
     * trying in the background (after the switch, for up to `drainTimeout`), so the old mail
     * is still reported once, and the switch never waits behind retries.
     */
    const finalRead = (acc: A): Observable<MailtmEvent> =>
      defer(() => {
        if (!mailbox.primed || account !== acc) return EMPTY;
        const state = mailbox;
        let finished = false;
        return concat(
          readMailbox(acc, true, state).pipe(
            timeout({ first: finalReadTimeout, with: () => of(undefined), ...(scheduler ? { scheduler } : {}) }),
            switchMap((snapshot) => {
              if (snapshot === undefined) return EMPTY;
              finished = true;
              const [next, events] = diffMailbox(state, snapshot, true);
              if (account === acc) mailbox = next;
              return of(...events);
            }),
            catchError((e: unknown) => {
              if (e instanceof DecodeFailedError) {
                finished = true;
                return of<MailtmEvent>(decodeErrorEvent(e));
              }
              if (isMailtmFatal(e)) throw e;
              log.warn({ address: acc.address, reason: reasonOf(e) }, 'the last read of the old account failed; draining it after the switch');
              return EMPTY;
            }),
          ),
          defer(() => {
            if (!finished) jobs.push(drainJob(acc, account === acc ? mailbox : state, now() + drainTimeout));
            return EMPTY;
          }),
        );
      });

    /**
     * One attempt (bounded by `finalReadTimeout`) at reading a no-longer-watched account and
     * reporting what arrived there. A failed attempt is tried again after a backoff, as a new job
     * (so the runner is free meanwhile), until `deadline`.
     */
    const drainTimers = new Set<Subscription>();
    const drainJob = (acc: A, state: MailboxState, deadline: number, attempt = 1): Job => {
      let settled = false;
      const again = (e: unknown): void => {
        const delay = backoffDelay(backoff, attempt, e);
        if (now() + delay >= deadline) {
          log.warn({ address: acc.address, reason: reasonOf(e) }, 'gave up reading the old account after the switch');
          return;
        }
        const t = clock.schedule(() => {
          drainTimers.delete(t);
          enqueue(drainJob(acc, state, deadline, attempt + 1));
        }, delay);
        drainTimers.add(t);
      };
      return {
        kind: 'drain',
        preemptible: true,
        dropped: () => {
          if (!settled) jobs.push(drainJob(acc, state, deadline, attempt));
        },
        run: () =>
          readMailbox(acc, true, state).pipe(
            timeout({ first: finalReadTimeout, with: () => throwError(() => new TransportClosedError('no answer in time')), ...(scheduler ? { scheduler } : {}) }),
            switchMap((snapshot) => {
              if (snapshot === undefined) throw new TransportClosedError('the mailbox kept shifting');
              settled = true;
              return of(...diffMailbox(state, snapshot, true)[1]);
            }),
            catchError((e: unknown) => {
              settled = true;
              if (e instanceof DecodeFailedError) return of<MailtmEvent>(decodeErrorEvent(e));
              if (isMailtmFatal(e)) {
                log.warn({ address: acc.address, reason: reasonOf(e) }, 'the old account refused the last read after the switch');
                return EMPTY;
              }
              again(e);
              return EMPTY;
            }),
          ),
      };
    };

    const commandJob = (cmd: MailtmCommand<A>): Job => {
      const done = (): void => release(cmd.done);
      switch (cmd.kind) {
        case 'switch': {
          const job: Job = {
            kind: 'command',
            preemptible: false,
            run: () =>
              concat(
                defer(() => (account !== undefined ? finalRead(account) : EMPTY)),
                defer(() => {
                  watch(cmd.account, account, cmd.backlog ?? options.backlog ?? false, cmd.done);
                  // From here on the job is an ordinary baseline attempt: the next command may cancel it.
                  job.preemptible = true;
                  const acc = cmd.account;
                  return persist(() => concat(connectStep(acc), defer(() => (account === acc && !mailbox.primed ? baselineStep(acc) : EMPTY))));
                }),
              ),
          };
          return job;
        }
        case 'created':
          return { kind: 'command', preemptible: false, run: () => concat(of(mailtmEvent('NewAccountCreated', cmd.account)), defer(() => (done(), EMPTY))) };
        case 'deleted':
          return {
            kind: 'command',
            preemptible: false,
            run: () => {
              let failed = false;
              return concat(
                (cmd.perform ?? EMPTY).pipe(
                  switchMap(() => EMPTY),
                  catchError((e: unknown) => {
                    failed = true;
                    if (cmd.done) pending.delete(cmd.done);
                    cmd.fail?.(e);
                    return EMPTY;
                  }),
                ),
                defer(() => {
                  if (failed) return EMPTY;
                  if (account !== undefined && (account === cmd.account || account.address === cmd.account.address)) {
                    account = undefined;
                    mailbox = EMPTY_MAILBOX;
                    const announce = owed;
                    owed = undefined;
                    release(announce?.done);
                    stopHub();
                  }
                  return of(mailtmEvent('AccountDeleted', { address: cmd.account.address, accountId: cmd.account.accountId ?? null }));
                }),
                defer(() => (done(), EMPTY)),
              );
            },
          };
        case 'poll':
          return { kind: 'command', preemptible: false, run: () => concat(pollRun(), defer(() => (done(), EMPTY))) };
        case 'stop':
          return { kind: 'command', preemptible: false, run: () => EMPTY };
      }
    };

    // ---- the end ----------------------------------------------------------------------------
    const teardown = (): void => {
      finished = true;
      const releaseAll = [...pending];
      pending.clear();
      for (const d of releaseAll) d();
      ticker?.unsubscribe();
      commandSub?.unsubscribe();
      untilSub?.unsubscribe();
      stopHub();
      for (const t of drainTimers) t.unsubscribe();
      drainTimers.clear();
      const run = current;
      current = undefined;
      run?.sub?.unsubscribe();
      commandJobs.length = 0;
      jobs.length = 0;
    };
    const stop = (): void => {
      if (finished) return;
      subscriber.next(mailtmEvent('ServerCalledOff', { reason: 'stopped' }));
      teardown();
      subscriber.complete();
    };
    const fail = (e: unknown): void => {
      if (finished) return;
      log.error({ reason: reasonOf(e) }, 'the Mail.tm stream ends');
      subscriber.next(mailtmEvent('ServerCalledOff', { reason: 'error' }));
      teardown();
      subscriber.error(e);
    };

    // ---- start ------------------------------------------------------------------------------
    let ticker: Subscription | undefined;
    let commandSub: Subscription | undefined;
    let untilSub: Subscription | undefined;

    subscriber.next(mailtmEvent('ServerStarted', { baseUrl: options.baseUrl, mode: push ? 'push' : 'poll', address: options.initial?.address ?? null }));
    subscriber.next(mailtmEvent('Connecting', { url: options.baseUrl, attempt: 1 }));

    if (options.initial !== undefined) {
      account = options.initial;
      owed = { from: undefined };
    }
    enqueueDomains(); // the domain baseline first, so that Ready means both baselines exist
    enqueuePoll(); // connect, then the initial mailbox baseline

    commandSub = options.commands?.subscribe({
      next: (cmd) => {
        if (finished) return;
        if (cmd.kind === 'stop') {
          stop();
          cmd.done?.();
          return;
        }
        if (cmd.done) pending.add(cmd.done);
        preempt();
        enqueue(commandJob(cmd));
      },
    });
    if (finished) return;
    untilSub = options.until?.subscribe({ next: stop, complete: stop });
    if (finished) return;

    ticker = interval(pollInterval, clock).subscribe(() => {
      if (finished) return;
      const t = now();
      const due = !hubUp || t - lastPoll >= pushPollInterval || (account !== undefined && !mailbox.primed);
      // A poll that just ended (e.g. after a long retry) makes this tick redundant.
      if (!pollQueued && current?.job.kind !== 'poll' && t - lastPollEnd >= pollInterval / 2 && due) enqueuePoll();
      if (!domainQueued && current?.job.kind !== 'domains' && t - lastDomainCheck >= domainEvery()) enqueueDomains();
    });

    return () => {
      teardown();
    };
  });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
