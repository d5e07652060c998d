/**
 * The event stream's engine: a serial work queue (polls, account commands,
 * hub signals) driving the pure steps (planPaging, diffMailbox, diffDomains).
 * I/O is injected (`MailtmEnginePorts`), so marble tests drive it in virtual
 * time with scripted pages; `Mailtm.events()` plugs the HTTP client in.
 *
 * Order guarantees: ServerStarted is emitted on subscription, before anything
 * else. Work items run one at a time, so the events of one poll, an account
 * switch and the next poll never interleave. An account becomes "watched"
 * when its baseline snapshot is taken; AccountSwitched marks that moment
 * (for the initial account too), and every message that arrives after it is
 * reported exactly once. `stop` (a command or the `until` notifier) emits
 * ServerCalledOff and completes; a fatal error emits ServerCalledOff
 * (reason 'error') then errors the stream. A plain unsubscribe has no one
 * left to deliver to, so nothing more is emitted; use stop/until to see
 * ServerCalledOff.
 */
import {
  EMPTY,
  Observable,
  Subject,
  concat,
  concatMap,
  defer,
  interval,
  of,
  retry,
  switchMap,
  catchError,
  ignoreElements,
  tap,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { DecodeFailedError, RateLimitedError, backoffDelayFn, reconnecting, type BackoffPolicy, type DecodeErrorEvent } from '../core';
import type { MailtmAccount, MailtmDomain, MailtmMessagePageLoose } from './codecs';
import { diffDomains, type DomainState } from './domainDiff';
import { mailtmEvent, MAILTM_SOURCE, type MailtmEvent } from './events';
import { EMPTY_MAILBOX, diffMailbox, knownIds, type MailboxSnapshot, type MailboxState } from './mailboxDiff';
import { mailboxPage, planPaging, type MailboxPage } from './paging';

/** What the engine needs to know about an account. */
export interface MailtmAccountRef {
  readonly address: string;
  readonly accountId: string | undefined;
}

/** Signals from the push hub of one account. */
export type MailtmHubSignal =
  | { readonly kind: 'open' }
  /** Something changed: poll now. */
  | { readonly kind: 'changed' }
  /** A frame that did not decode (Unknown/DecodeError), passed on. */
  | { readonly kind: 'event'; readonly event: MailtmEvent };

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
}

/** Commands from the account controller; `done` is called once the stream has applied it. */
export type MailtmCommand<A extends MailtmAccountRef> =
  | { readonly kind: 'switch'; readonly account: A; readonly backlog?: boolean; readonly done?: () => void }
  | { readonly kind: 'created'; readonly account: MailtmAccount; readonly done?: () => void }
  /**
   * `perform` (the DELETE itself) runs inside the serial queue, so no poll of
   * the account is in flight when it disappears; its failure goes to `fail`
   * (the action), not to the stream, and the account stays watched.
   */
  | { readonly kind: 'deleted'; readonly account: A; readonly perform?: Observable<unknown>; readonly done?: () => void; readonly fail?: (error: unknown) => void }
  | { readonly kind: 'poll'; readonly done?: () => void }
  | { readonly kind: 'stop'; readonly done?: () => void };

export interface MailtmEngineOptions<A extends MailtmAccountRef> {
  readonly baseUrl: string;
  /** The account to watch from the start. */
  readonly initial?: A;
  readonly commands?: Observable<MailtmCommand<A>>;
  /** Emitting (or completing) stops the stream with ServerCalledOff last. */
  readonly until?: Observable<unknown>;
  /** Poll every this many ms. Default 1000. */
  readonly pollInterval?: number;
  /** Check the domain list every this many ms. Default 60 000. */
  readonly domainInterval?: number;
  /** Report mail that already existed when an account is first watched. Default false. */
  readonly backlog?: boolean;
  /** Use the push hub (ports.hub) when available. Default false. */
  readonly push?: boolean;
  /** While the hub is up, still poll this often as a safety net. Default 30 000. */
  readonly pushPollInterval?: number;
  /** Backoff for outages (5xx, network) and hub reconnects. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** How often a torn (shifting) mailbox read is restarted within one poll. Default 3. */
  readonly tornRetries?: number;
  readonly scheduler?: SchedulerLike;
}

type Work = () => Observable<MailtmEvent>;

export function mailtmEngine<A extends MailtmAccountRef>(ports: MailtmEnginePorts<A>, options: MailtmEngineOptions<A>): Observable<MailtmEvent> {
  return new Observable<MailtmEvent>((subscriber) => {
    const scheduler = options.scheduler;
    const now = (): number => (scheduler ?? { now: Date.now }).now();
    const pollInterval = options.pollInterval ?? 1000;
    const domainInterval = options.domainInterval ?? 60_000;
    const pushPollInterval = options.pushPollInterval ?? 30_000;
    const push = options.push === true && ports.hub !== undefined;
    const backoff: BackoffPolicy = {
      initialDelay: 500,
      maxDelay: 30_000,
      jitter: 'equal',
      ...options.backoff,
      maxAttempts: options.backoff?.maxAttempts ?? Infinity,
      ...(scheduler ? { scheduler } : {}),
    };

    let account: A | undefined;
    let mailbox: MailboxState = EMPTY_MAILBOX;
    let backlog = options.backlog ?? false;
    let domains: DomainState;
    let lastDomainCheck = -Infinity;
    let lastPoll = -Infinity;
    let lastPollEnd = -Infinity;
    let pollQueued = false;
    let polling = false;
    let hubUp = false;
    let hubSub: Subscription | undefined;
    let finished = false;

    const queue = new Subject<Work>();
    const emit = (...events: MailtmEvent[]): Observable<MailtmEvent> => of(...events);

    const enqueuePoll = (): void => {
      if (pollQueued || finished) return;
      pollQueued = true;
      queue.next(pollWork);
    };

    // One attempt at reading the mailbox: pages until planPaging is satisfied.
    const readMailbox = (acc: A): Observable<MailboxSnapshot | undefined> => {
      const known = mailbox.primed ? knownIds(mailbox) : undefined;
      const tornRetries = options.tornRetries ?? 3;
      const step = (pages: readonly MailboxPage[], restarts: number): Observable<MailboxSnapshot | undefined> =>
        ports.messages(acc, pages.length + 1).pipe(
          switchMap((raw) => {
            const next = [...pages, mailboxPage(raw)]; // throws DecodeFailedError for an item without an id
            const d = planPaging(known, next);
            if (d.next === 'done') return of(d.snapshot);
            if (d.next === 'page') return step(next, restarts);
            return restarts < tornRetries ? step([], restarts + 1) : of(undefined);
          }),
        );
      return defer(() => step([], 0));
    };

    const mailboxStep = (): Observable<MailtmEvent> =>
      defer(() => {
        const acc = account;
        if (acc === undefined) return EMPTY;
        return readMailbox(acc).pipe(
          switchMap((snapshot) => {
            if (snapshot === undefined || account !== acc) return EMPTY;
            const [next, events] = diffMailbox(mailbox, snapshot, backlog);
            mailbox = next;
            return of(...events);
          }),
        );
      });

    const domainStep = (force: boolean): Observable<MailtmEvent> =>
      defer(() => {
        if (!force && now() - lastDomainCheck < domainInterval) return EMPTY;
        return ports.domains().pipe(
          switchMap((list) => {
            lastDomainCheck = now();
            const [next, events] = diffDomains(domains, list);
            domains = next;
            return of(...events);
          }),
        );
      });

    // Outages: Disconnected + Reconnecting, backoff, retry the same step; Resumed after.
    // A 429 that reaches this far (the HTTP client retries its own) only waits: it is not an outage.
    const resilient = (attempt: () => Observable<MailtmEvent>): Observable<MailtmEvent> => {
      let failures = 0;
      let announced = false;
      const body = reconnecting<MailtmEvent>(
        () =>
          attempt().pipe(
            catchError((e: unknown) => {
              if (e instanceof DecodeFailedError) return of(decodeErrorEvent(e));
              throw e;
            }),
          ),
        {
          backoff,
          isHealthy: () => false,
          onRetry: (error, n, delay) => {
            if (error instanceof RateLimitedError) return [];
            failures++;
            const reconnect = mailtmEvent('Reconnecting', { attempt: failures, delay });
            if (announced) return [reconnect];
            announced = true;
            return [mailtmEvent('Disconnected', { reason: reasonOf(error) }), reconnect];
          },
        },
      );
      return concat(body, defer(() => (announced ? emit(mailtmEvent('Resumed', { attempts: failures })) : EMPTY)));
    };

    const pollWork: Work = () =>
      defer(() => {
        pollQueued = false;
        polling = true;
        lastPoll = now();
        return resilient(() => concat(domainStep(false), mailboxStep())).pipe(
          tap({
            finalize: () => {
              polling = false;
              lastPollEnd = now();
            },
          }),
        );
      });

    const startHub = (): void => {
      hubSub?.unsubscribe();
      hubSub = undefined;
      hubUp = false;
      const acc = account;
      if (!push || acc === undefined || ports.hub === undefined) return;
      const hub = ports.hub;
      let wasUp = false;
      hubSub = defer(() => hub(acc))
        .pipe(
          tap({
            error: (e: unknown) => {
              hubUp = false;
              if (wasUp && !finished) queue.next(() => emit(mailtmEvent('HubDisconnected', { address: acc.address, reason: reasonOf(e) })));
              wasUp = false;
              enqueuePoll();
            },
          }),
          retry({ delay: backoffDelayFn(backoff), resetOnSuccess: true }),
        )
        .subscribe({
          next: (signal) => {
            if (finished) return;
            if (signal.kind === 'open') {
              hubUp = true;
              wasUp = true;
              queue.next(() => emit(mailtmEvent('HubConnected', { address: acc.address })));
              enqueuePoll(); // catch up on anything between the last poll and the hub opening
            } else if (signal.kind === 'changed') enqueuePoll();
            else queue.next(() => emit(signal.event));
          },
          error: () => {
            hubUp = false;
          },
        });
    };

    // Takes the baseline of `acc` and announces it.
    const watch = (acc: A, from: A | undefined, withBacklog: boolean): Observable<MailtmEvent> =>
      defer(() => {
        account = acc;
        mailbox = EMPTY_MAILBOX;
        backlog = withBacklog;
        hubSub?.unsubscribe();
        hubSub = undefined;
        hubUp = false;
        let baseline: readonly MailtmEvent[] = [];
        return concat(
          resilient(() =>
            readMailbox(acc).pipe(
              switchMap((snapshot) => {
                if (snapshot === undefined) return EMPTY;
                const [next, events] = diffMailbox(EMPTY_MAILBOX, snapshot, withBacklog);
                mailbox = next;
                baseline = events;
                return EMPTY;
              }),
            ),
          ),
          defer(() => {
            if (!mailbox.primed) {
              // Could not take a consistent baseline (the mailbox kept shifting): poll again soon.
              mailbox = EMPTY_MAILBOX;
            }
            lastPoll = now();
            lastPollEnd = now();
            startHub();
            return of(
              mailtmEvent('AccountSwitched', {
                from: from?.address ?? null,
                to: acc.address,
                accountId: acc.accountId ?? null,
                existing: mailbox.known.size,
                backlog: withBacklog,
              }),
              ...baseline,
            );
          }),
        );
      });

    // Commands not yet applied: released at teardown, so no action waits forever.
    const pending = new Set<() => void>();
    const commandWork = (cmd: MailtmCommand<A>): Work => () => {
      const done = (): void => {
        if (cmd.done && pending.delete(cmd.done)) cmd.done();
      };
      switch (cmd.kind) {
        case 'switch':
          return watch(cmd.account, account, cmd.backlog ?? options.backlog ?? false).pipe(tap({ complete: done }));
        case 'created':
          return emit(mailtmEvent('NewAccountCreated', cmd.account)).pipe(tap({ complete: done }));
        case 'deleted': {
          let failed = false;
          const perform = (cmd.perform ?? EMPTY).pipe(
            ignoreElements(),
            catchError((e: unknown) => {
              failed = true;
              if (cmd.done) pending.delete(cmd.done);
              cmd.fail?.(e);
              return EMPTY;
            }),
          );
          return concat(
            perform,
            defer(() => {
              if (failed) return EMPTY;
              if (account !== undefined && (account === cmd.account || account.address === cmd.account.address)) {
                account = undefined;
                mailbox = EMPTY_MAILBOX;
                hubSub?.unsubscribe();
                hubSub = undefined;
                hubUp = false;
              }
              return emit(mailtmEvent('AccountDeleted', { address: cmd.account.address, accountId: cmd.account.accountId ?? null }));
            }),
          ).pipe(tap({ complete: done }));
        }
        case 'poll':
          return pollWork().pipe(tap({ complete: done }));
        case 'stop':
          return defer(() => {
            finish();
            return EMPTY;
          });
      }
    };

    const finish = (): void => {
      if (finished) return;
      finished = true;
      subscriber.next(mailtmEvent('ServerCalledOff', { reason: 'stopped' }));
      subscriber.complete();
    };

    subscriber.next(
      mailtmEvent('ServerStarted', { baseUrl: options.baseUrl, mode: push ? 'push' : 'poll', address: options.initial?.address ?? null }),
    );

    const main = queue.pipe(concatMap((work) => work())).subscribe({
      next: (e) => {
        if (!finished) subscriber.next(e);
      },
      error: (e: unknown) => {
        if (finished) return;
        finished = true;
        subscriber.next(mailtmEvent('ServerCalledOff', { reason: 'error' }));
        subscriber.error(e);
      },
    });

    // The first work: the domain baseline and the initial account's baseline.
    queue.next(() => resilient(() => domainStep(true)));
    if (options.initial !== undefined) {
      const initial = options.initial;
      queue.next(() => watch(initial, undefined, options.backlog ?? false));
    }
    const commandSub = options.commands?.subscribe({
      next: (cmd) => {
        if (finished) return;
        if (cmd.done) pending.add(cmd.done);
        queue.next(commandWork(cmd));
      },
    });
    const untilSub = options.until?.subscribe({
      next: () => queue.next(commandWork({ kind: 'stop' })),
      complete: () => queue.next(commandWork({ kind: 'stop' })),
    });
    // While the hub is up the mailbox is polled only as a safety net, but domains keep their own schedule.
    let domainQueued = false;
    const domainWork: Work = () =>
      defer(() => {
        domainQueued = false;
        return resilient(() => domainStep(false));
      });
    const ticker = interval(pollInterval, scheduler).subscribe(() => {
      if (polling || pollQueued || finished) return;
      // A poll that just ended (e.g. after a long retry) makes this tick redundant.
      if (now() - lastPollEnd < pollInterval / 2) return;
      if (!hubUp || now() - lastPoll >= pushPollInterval) enqueuePoll();
      else if (!domainQueued && now() - lastDomainCheck >= domainInterval) {
        domainQueued = true;
        queue.next(domainWork);
      }
    });

    return () => {
      finished = true;
      const release = [...pending];
      pending.clear();
      for (const done of release) done();
      ticker.unsubscribe();
      commandSub?.unsubscribe();
      untilSub?.unsubscribe();
      hubSub?.unsubscribe();
      main.unsubscribe();
      queue.complete();
    };
  });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function decodeErrorEvent(e: DecodeFailedError): DecodeErrorEvent<typeof MAILTM_SOURCE> {
  return { source: MAILTM_SOURCE, type: 'DecodeError', data: { tag: e.what, raw: e.raw, errors: e.errors } };
}
