/** A virtual-time harness for mailtmEngine: scripted mailboxes, faults per account, recorded calls and labelled events. */
import { TestScheduler } from 'rxjs/testing';
import { NEVER, Observable, defer, of, throwError } from 'rxjs';
import { mailtmEngine, type MailtmAccountRef, type MailtmDomain, type MailtmEngineOptions, type MailtmEvent, type MailtmHubSignal, type MailtmMessagePage } from '../../src/mailtm';
import { MailtmFakeMailbox } from '../../src/testing/mailtm';

export const domain = (id: string, name: string, isActive = true): MailtmDomain => ({
  id,
  domain: name,
  isActive,
  isPrivate: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

export function label(e: MailtmEvent): string {
  switch (e.type) {
    case 'NewMessage':
      return `+${e.data.id}`;
    case 'MessageDelete':
      return `-${e.data.id}`;
    case 'AccountSwitched':
      return `AccountSwitched(${e.data.to},${e.data.existing})`;
    case 'Reconnecting':
      return `Reconnecting(${e.data.attempt},${e.data.delay})`;
    case 'Disconnected':
      return `Disconnected(${e.data.code ?? '-'})`;
    case 'Ready':
      return `Ready(${e.data.address},${e.data.existing})`;
    case 'DomainChange':
      return `DomainChange(${e.data.domains.map((d) => `${d.domain}${d.isActive ? '' : '!'}`).join(',')})`;
    case 'ServerCalledOff':
      return `ServerCalledOff(${e.data.reason})`;
    case 'DecodeError':
      return `DecodeError(${String(e.data.tag)})`;
    default:
      return e.type;
  }
}

export interface Harness {
  ts: TestScheduler;
  boxes: Record<string, MailtmFakeMailbox>;
  accounts: Record<string, MailtmAccountRef>;
  /** "time account+page" per mailbox request, "time domains" per domain request. */
  calls: string[];
  domains: MailtmDomain[];
  /** An error for this mailbox request (by account address and time), or undefined to answer. */
  fault?: (address: string, now: number, page: number) => unknown;
  /** An error for this domain request, or undefined to answer. */
  domainFault?: (now: number) => unknown;
  /** Called after a page is served (to shift the mailbox mid-read). */
  afterPage?: (address: string, page: number) => void;
  /** Replaces the served page (e.g. with a malformed one). */
  pageOverride?: (address: string, page: number) => unknown;
  hub?: Observable<MailtmHubSignal>;
  /** An error for the login of an account at this time. */
  authFault?: (now: number) => unknown;
  /** What ports.spare() answers. */
  spare?: () => boolean;
}

export function makeHarness(): Harness {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  return {
    ts,
    boxes: { 'a@x.test': new MailtmFakeMailbox('a@x.test', 30, 'a'), 'b@x.test': new MailtmFakeMailbox('b@x.test', 30, 'b') },
    accounts: { a: { address: 'a@x.test', accountId: 'A' }, b: { address: 'b@x.test', accountId: 'B' } },
    calls: [],
    domains: [domain('d1', 'x.test')],
  };
}

export function engine(h: Harness, options: Partial<MailtmEngineOptions<MailtmAccountRef>> = {}): Observable<MailtmEvent> {
  return mailtmEngine<MailtmAccountRef>(
    {
      messages: (acc, page) =>
        defer(() => {
          h.calls.push(`${h.ts.now()} ${acc.accountId}${page}`);
          const error = h.fault?.(acc.address, h.ts.now(), page);
          if (error !== undefined) return throwError(() => error);
          const override = h.pageOverride?.(acc.address, page);
          const result = (override ?? h.boxes[acc.address].page(page)) as MailtmMessagePage;
          h.afterPage?.(acc.address, page);
          return of(result);
        }),
      domains: () =>
        defer(() => {
          h.calls.push(`${h.ts.now()} domains`);
          const error = h.domainFault?.(h.ts.now());
          return error !== undefined ? throwError(() => error) : of([...h.domains]);
        }),
      hub: () => h.hub ?? NEVER,
      authenticate: () =>
        defer(() => {
          const error = h.authFault?.(h.ts.now());
          return error !== undefined ? throwError(() => error) : of('token');
        }),
      spare: () => h.spare?.() ?? false,
    },
    { baseUrl: 'http://mailtm.test', initial: h.accounts.a, pollInterval: 1000, scheduler: h.ts, backoff: { initialDelay: 100, jitter: 'none' }, ...options },
  );
}

const STARTUP = new Set(['Connecting', 'Connected', 'Ready']);

/** Runs `events$` in virtual time with `script`; returns "time label" lines (start-up lifecycle left out unless `startup`). */
export function record(h: Harness, events$: Observable<MailtmEvent>, script: Array<[number, () => void]> = [], startup = false, until = Infinity): string[] {
  const log: string[] = [];
  h.ts.run(() => {
    for (const [at, fn] of script) h.ts.schedule(fn, at);
    const sub = events$.subscribe({
      next: (e) => {
        if (startup || !STARTUP.has(e.type)) log.push(`${h.ts.now()} ${label(e)}`);
      },
      error: (e: unknown) => log.push(`${h.ts.now()} error ${e instanceof Error ? e.name : String(e)}`),
      complete: () => log.push(`${h.ts.now()} complete`),
    });
    if (until !== Infinity) h.ts.schedule(() => sub.unsubscribe(), until);
  });
  return log;
}
