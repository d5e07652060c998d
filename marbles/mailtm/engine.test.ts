import { TestScheduler } from 'rxjs/testing';
import { NEVER, Observable, Subject, defer, of, throwError, timer } from 'rxjs';
import { AuthenticationFailedError, DecodeFailedError, RateLimitedError, TransportClosedError } from '../../src/core';
import { mailtmEngine, type MailtmAccountRef, type MailtmCommand, type MailtmDomain, type MailtmEngineOptions, type MailtmEvent, type MailtmHubSignal, type MailtmMessagePage } from '../../src/mailtm';
import { MailtmFakeMailbox } from '../../src/testing/mailtm';

const domain = (id: string, name: string, isActive = true): MailtmDomain => ({
  id,
  domain: name,
  isActive,
  isPrivate: false,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

function label(e: MailtmEvent): string {
  switch (e.type) {
    case 'NewMessage':
      return `+${e.data.id}`;
    case 'MessageDelete':
      return `-${e.data.id}`;
    case 'AccountSwitched':
      return `AccountSwitched(${e.data.to},${e.data.existing})`;
    case 'Reconnecting':
      return `Reconnecting(${e.data.attempt},${e.data.delay})`;
    case 'DomainChange':
      return `DomainChange(${e.data.domains.map((d) => `${d.domain}${d.isActive ? '' : '!'}`).join(',')})`;
    case 'ServerCalledOff':
      return `ServerCalledOff(${e.data.reason})`;
    default:
      return e.type;
  }
}

interface Harness {
  ts: TestScheduler;
  boxes: Record<string, MailtmFakeMailbox>;
  accounts: Record<string, MailtmAccountRef>;
  calls: string[];
  domains: MailtmDomain[];
  /** Make the mailbox port fail while this returns an error. */
  fault?: (now: number) => unknown;
  /** Called after a page is served (to shift the mailbox mid-read). */
  afterPage?: (address: string, page: number) => void;
  pageOverride?: (address: string, page: number) => unknown;
  hub?: Observable<MailtmHubSignal>;
}

function makeHarness(): Harness {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  return {
    ts,
    boxes: { 'a@x.test': new MailtmFakeMailbox('a@x.test', 30, 'a'), 'b@x.test': new MailtmFakeMailbox('b@x.test', 30, 'b') },
    accounts: { a: { address: 'a@x.test', accountId: 'A' }, b: { address: 'b@x.test', accountId: 'B' } },
    calls: [],
    domains: [domain('d1', 'x.test')],
  };
}

function engine(h: Harness, options: Partial<MailtmEngineOptions<MailtmAccountRef>> = {}): Observable<MailtmEvent> {
  return mailtmEngine<MailtmAccountRef>(
    {
      messages: (acc, page) =>
        defer(() => {
          h.calls.push(`${h.ts.now()} ${acc.accountId}${page}`);
          const error = h.fault?.(h.ts.now());
          if (error !== undefined) return throwError(() => error);
          const override = h.pageOverride?.(acc.address, page);
          const result = (override ?? h.boxes[acc.address].page(page)) as MailtmMessagePage;
          h.afterPage?.(acc.address, page);
          return of(result);
        }),
      domains: () => defer(() => of([...h.domains])),
      hub: () => h.hub ?? NEVER,
    },
    { baseUrl: 'http://mailtm.test', initial: h.accounts.a, pollInterval: 1000, scheduler: h.ts, backoff: { initialDelay: 100, jitter: 'none' }, ...options },
  );
}

/** Runs `events$` in virtual time with `script` scheduling mailbox changes; returns "time label" lines. */
const STARTUP = new Set(['Connecting', 'Connected', 'Ready']);

/** Like `record`, but leaves out the start-up lifecycle (Connecting, Connected, Ready) unless `startup` is set. */
function record(h: Harness, events$: Observable<MailtmEvent>, script: Array<[number, () => void]> = [], startup = false): string[] {
  const log: string[] = [];
  h.ts.run(() => {
    for (const [at, fn] of script) h.ts.schedule(fn, at);
    events$.subscribe({
      next: (e) => {
        if (startup || !STARTUP.has(e.type)) log.push(`${h.ts.now()} ${label(e)}`);
      },
      error: (e: unknown) => log.push(`${h.ts.now()} error ${e instanceof Error ? e.name : String(e)}`),
      complete: () => log.push(`${h.ts.now()} complete`),
    });
  });
  return log;
}

describe('mailtmEngine in virtual time', () => {
  it('polls on the interval, orders ServerStarted → AccountSwitched → events → ServerCalledOff, and reports several arrivals between polls', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    a.deliver(); // a0 existed before
    const log = record(h, engine(h, { until: timer(3500, h.ts) }), [
      [1500, () => (a.deliver(), a.deliver(), a.deliver())],
      [2500, () => a.remove('a3')], // the newest
    ]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,1)',
      '2000 +a1',
      '2000 +a2',
      '2000 +a3',
      '3000 -a3',
      '3500 ServerCalledOff(stopped)',
      '3500 complete',
    ]);
    // One request per quiet poll; the poll that saw a deletion read the whole mailbox (one page here).
    expect(h.calls).toEqual(['0 A1', '1000 A1', '2000 A1', '3000 A1']);
  });

  it('reads past page 1 when more than a page arrived, and reports all of them in arrival order', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    for (let i = 0; i < 40; i++) a.deliver();
    const log = record(h, engine(h, { until: timer(2500, h.ts) }), [[1500, () => Array.from({ length: 45 }, () => a.deliver())]]);
    const news = log.filter((l) => l.includes(' +'));
    expect(news).toEqual(Array.from({ length: 45 }, (_, i) => `2000 +a${40 + i}`));
    // Priming read all 2 pages; 2000 needed pages 1-2 (page 2 reaches known mail and the total adds up).
    expect(h.calls).toEqual(['0 A1', '0 A2', '1000 A1', '2000 A1', '2000 A2']);
  });

  it('finds a deletion on a later page through the total, and a deletion plus an arrival that cancel out in the count', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    for (let i = 0; i < 40; i++) a.deliver();
    const log = record(h, engine(h, { until: timer(2500, h.ts) }), [
      [500, () => a.remove('a1')],
      [1500, () => (a.remove('a2'), a.deliver())],
    ]);
    expect(log.filter((l) => /[+-]a/.test(l))).toEqual(['1000 -a1', '2000 -a2', '2000 +a40']);
  });

  it('restarts a torn read (a deletion shifted page 2 while reading) instead of reporting phantom changes', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    for (let i = 0; i < 40; i++) a.deliver();
    let once = true;
    h.afterPage = (address, page) => {
      if (h.ts.now() === 1000 && page === 1 && once) {
        once = false;
        a.remove('a39'); // the newest, while the poll is between page 1 and page 2
      }
    };
    const log = record(h, engine(h, { until: timer(2500, h.ts) }), [[900, () => a.remove('a0')]]);
    expect(log.filter((l) => /[+-]a/.test(l))).toEqual(['1000 -a0', '1000 -a39']);
    // The torn read (totals 39 then 38) was restarted from page 1.
    expect(h.calls).toEqual(['0 A1', '0 A2', '1000 A1', '1000 A2', '1000 A1', '1000 A2', '2000 A1']);
  });

  it('survives an outage: Disconnected, Reconnecting with backoff, Resumed, and no message lost or repeated', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    h.fault = (now) => (now >= 1000 && now < 1600 ? new TransportClosedError('HTTP 503') : undefined);
    const log = record(h, engine(h, { until: timer(2500, h.ts) }), [
      [900, () => a.deliver()],
      [1200, () => a.deliver()],
    ]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,0)',
      '1000 Disconnected',
      '1000 Reconnecting(1,100)',
      '1100 Reconnecting(2,200)',
      '1300 Reconnecting(3,400)',
      '1700 +a0',
      '1700 +a1',
      '1700 Resumed',
      '2500 ServerCalledOff(stopped)',
      '2500 complete',
    ]);
  });

  it('a 429 that reaches the engine waits its retry-after (a floor over the backoff) without announcing an outage', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    let refusals = 0;
    h.fault = (now) => (now >= 1000 && refusals++ < 2 ? new RateLimitedError(1000) : undefined);
    const log = record(h, engine(h, { until: timer(3500, h.ts) }), [[900, () => a.deliver()]]);
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '3000 +a0', '3500 ServerCalledOff(stopped)', '3500 complete']);
    expect(h.calls).toEqual(['0 A1', '1000 A1', '2000 A1', '3000 A1']);
  });

  it('switches account: AccountSwitched, the new mailbox primes without old mail, the old one is no longer watched', () => {
    const h = makeHarness();
    const [a, b] = [h.boxes['a@x.test'], h.boxes['b@x.test']];
    b.deliver();
    b.deliver();
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    let acked = -1;
    const log = record(h, engine(h, { commands, until: timer(3500, h.ts) }), [
      [500, () => a.deliver()],
      [1500, () => commands.next({ kind: 'switch', account: h.accounts.b, done: () => (acked = h.ts.now()) })],
      [1700, () => (a.deliver(), b.deliver())],
    ]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,0)',
      '1000 +a0',
      '1500 AccountSwitched(b@x.test,2)',
      '2000 +b2',
      '3500 ServerCalledOff(stopped)',
      '3500 complete',
    ]);
    expect(acked).toBe(1500);
  });

  it('emits NewAccountCreated and AccountDeleted in order with the data events; after deletion no mailbox is polled', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    const created = { id: 'C', address: 'c@x.test', quota: 1, used: 0, isDisabled: false, isDeleted: false, createdAt: 'x', updatedAt: 'x' };
    const log = record(h, engine(h, { commands, until: timer(2500, h.ts) }), [
      [200, () => a.deliver()],
      [1200, () => commands.next({ kind: 'created', account: created })],
      [1300, () => commands.next({ kind: 'deleted', account: h.accounts.a })],
    ]);
    expect(log.slice(2, 5)).toEqual(['1000 +a0', '1200 NewAccountCreated', '1300 AccountDeleted']);
    expect(h.calls.filter((c) => Number(c.split(' ')[0]) > 1300)).toEqual([]);
  });

  it('DomainChange on a domain added, removed or deactivated (the whole set, not the first one)', () => {
    const h = makeHarness();
    const log = record(h, engine(h, { domainInterval: 1000, until: timer(3500, h.ts) }), [
      [500, () => h.domains.push(domain('d2', 'y.test'))],
      [1500, () => (h.domains[1] = domain('d2', 'y.test', false))],
      [2500, () => h.domains.shift()],
    ]);
    expect(log.filter((l) => l.includes('DomainChange'))).toEqual([
      '1000 DomainChange(x.test,y.test)',
      '2000 DomainChange(x.test,y.test!)',
      '3000 DomainChange(y.test!)',
    ]);
  });

  it('a page that does not decode is a DecodeError event and the stream goes on', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    const engine$ = mailtmEngine<MailtmAccountRef>(
      {
        messages: (acc, page) =>
          defer(() => (h.ts.now() === 1000 ? throwError(() => decodeFailure()) : of(h.boxes[acc.address].page(page)))),
        domains: () => of([...h.domains]),
      },
      { baseUrl: 'x', initial: h.accounts.a, scheduler: h.ts, pollInterval: 1000, until: timer(2500, h.ts) },
    );
    const log = record(h, engine$, [[500, () => a.deliver()]]);
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1000 DecodeError', '2000 +a0', '2500 ServerCalledOff(stopped)', '2500 complete']);
  });

  it('one message that does not decode is one DecodeError; the others and later polls are unaffected', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    h.pageOverride = (address, page) => {
      const p = h.boxes[address].page(page);
      return { ...p, 'hydra:member': p['hydra:member'].map((m) => (m.id === 'a1' ? { ...m, from: null } : m)) };
    };
    const log = record(h, engine(h, { until: timer(2500, h.ts) }), [
      [500, () => (a.deliver(), a.deliver(), a.deliver())],
      [1500, () => a.deliver()],
    ]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,0)',
      '1000 DecodeError',
      '1000 +a0',
      '1000 +a2',
      '2000 +a3',
      '2500 ServerCalledOff(stopped)',
      '2500 complete',
    ]);
    expect(h.calls).toEqual(['0 A1', '1000 A1', '2000 A1']);
  });

  it('a fatal error (authentication) ends the stream: ServerCalledOff(error), then the typed error', () => {
    const h = makeHarness();
    h.fault = (now) => (now >= 1000 ? new AuthenticationFailedError('mail.tm', 'refused') : undefined);
    const log = record(h, engine(h));
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1000 ServerCalledOff(error)', '1000 error AuthenticationFailedError']);
  });

  it('push: a hub frame triggers a poll at once; while the hub is up polling slows down; when it drops polling resumes', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    let hubSubscriptions = 0;
    h.ts.run(({ cold }) => {
      // First connection: open at 10, a change at 400, dropped at 1500; the reconnect opens at once and stays.
      h.hub = defer(() =>
        ++hubSubscriptions === 1
          ? cold<MailtmHubSignal>('10ms o 389ms c 1099ms #', { o: { kind: 'open' }, c: { kind: 'changed' } }, new TransportClosedError('hub dropped'))
          : cold<MailtmHubSignal>('o', { o: { kind: 'open' } }),
      );
    });
    const log = record(h, engine(h, { push: true, pushPollInterval: 10_000, until: timer(4500, h.ts) }), [[400, () => a.deliver()], [2000, () => a.deliver()]]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,0)',
      '10 HubConnected',
      '400 +a0',
      '1500 HubDisconnected',
      '1600 HubConnected',
      '4500 ServerCalledOff(stopped)',
      '4500 complete',
    ]);
    // Polls: baseline at 0, hub open at 10, change at 400, the drop at 1500, the reopen at 1600; none on the 1000..4000 ticks.
    expect(h.calls.map((c) => Number(c.split(' ')[0]))).toEqual([0, 10, 400, 1500, 1600]);
    // a1 (delivered at 2000 with the hub up, but no frame sent for it in this script) waits for the safety-net poll.
    expect(log.some((l) => l.includes('+a1'))).toBe(false);
  });
});

describe('mailtmEngine push mode and domains', () => {
  it('keeps checking domains on their own schedule while the hub is up, without polling the mailbox', () => {
    const h = makeHarness();
    h.ts.run(({ cold }) => {
      h.hub = cold<MailtmHubSignal>('5ms o', { o: { kind: 'open' } });
    });
    const log = record(h, engine(h, { push: true, domainInterval: 1000, pushPollInterval: 60_000, until: timer(2500, h.ts) }), [
      [500, () => h.domains.push(domain('d2', 'y.test'))],
    ]);
    expect(log.filter((l) => l.includes('DomainChange'))).toEqual(['1000 DomainChange(x.test,y.test)']);
    expect(h.calls.map((c) => Number(c.split(' ')[0]))).toEqual([0, 5]);
  });
});

function decodeFailure(): Error {
  return new DecodeFailedError('messages page 1', ['messages page 1.hydra:member: expected array'], { bad: true });
}
