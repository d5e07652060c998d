// Issue 16 in virtual time: a baseline only from a complete decoded read, domains apart from the mailbox,
// stop at once, transient 4xx, a switch that reads the old account once more and does not wait behind retries,
// and domain checks that speed up when the request budget allows.
import { Subject, timer } from 'rxjs';
import { AuthenticationFailedError, CommandFailedError, DecodeFailedError, RateLimitedError, TransportClosedError } from '../../src/core';
import { mailtmHttpError, type MailtmAccountRef, type MailtmCommand } from '../../src/mailtm';
import { domain, engine, makeHarness, record } from './harness';

const decodeFailure = (what = 'messages page 1'): DecodeFailedError => new DecodeFailedError(what, [`${what}.hydra:member: expected array`], { bad: true });

describe('the baseline: AccountSwitched and reporting start only from a complete, decoded read', () => {
  it('lifecycle at start: ServerStarted, Connecting, Connected (token held), AccountSwitched, Ready', () => {
    const h = makeHarness();
    h.boxes['a@x.test'].deliver();
    const log = record(h, engine(h, { until: timer(1500, h.ts) }), [], true);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 Connecting',
      '0 Connected',
      '0 AccountSwitched(a@x.test,1)',
      '0 Ready(a@x.test,1)',
      '1500 ServerCalledOff(stopped)',
      '1500 complete',
    ]);
  });

  it('a malformed first read is a DecodeError; nothing is announced until a read decodes, and mail after that is reported', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    a.deliver(); // a0 existed
    h.pageOverride = (_address, _page) => (h.ts.now() < 2000 ? { 'hydra:member': 'nope' } : undefined);
    h.fault = (_address, now) => (now < 2000 && h.pageOverride !== undefined ? decodeFailure() : undefined);
    const log = record(h, engine(h, { until: timer(3500, h.ts) }), [
      [500, () => a.deliver()], // a1: before the baseline, so part of it
      [2500, () => a.deliver()], // a2: after it, reported
    ], true);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 Connecting',
      '0 Connected',
      '0 DecodeError(messages page 1)',
      '1000 DecodeError(messages page 1)',
      '2000 AccountSwitched(a@x.test,2)',
      '2000 Ready(a@x.test,2)',
      '3000 +a2',
      '3500 ServerCalledOff(stopped)',
      '3500 complete',
    ]);
  });

  it('an outage on the first read: Disconnected, Reconnecting, then the baseline (never an empty one), Ready and Resumed', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    a.deliver();
    a.deliver();
    h.fault = (_address, now) => (now < 250 ? new TransportClosedError('HTTP 503') : undefined);
    const log = record(h, engine(h, { until: timer(1500, h.ts) }), [[800, () => a.deliver()]], true);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 Connecting',
      '0 Connected',
      '0 Disconnected(-)',
      '0 Reconnecting(1,100)',
      '100 Reconnecting(2,200)',
      '300 AccountSwitched(a@x.test,2)',
      '300 Ready(a@x.test,2)',
      '300 Resumed',
      '1000 +a2',
      '1500 ServerCalledOff(stopped)',
      '1500 complete',
    ]);
  });

  it('a baseline torn across pages on every try is not taken: no AccountSwitched until a consistent read', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    for (let i = 0; i < 40; i++) a.deliver();
    // Until 1500, each read of page 1 is followed by an arrival, so page 2 never matches page 1.
    h.afterPage = (_address, page) => {
      if (page === 1 && h.ts.now() < 1500) a.deliver();
    };
    const log = record(h, engine(h, { until: timer(3500, h.ts), tornRetries: 1 }), [[2500, () => a.deliver()]]);
    const switched = log.filter((l) => l.includes('AccountSwitched'));
    expect(switched).toHaveLength(1);
    const [at, existing] = /^(\d+) AccountSwitched\(a@x\.test,(\d+)\)$/.exec(switched[0])!.slice(1).map(Number);
    expect(at).toBe(2000);
    expect(existing).toBe(a.messages.length - 1); // everything but the one delivered after it
    expect(log.filter((l) => l.includes(' +'))).toEqual([`3000 +${a.messages[a.messages.length - 1].id}`]);
  });

  it('the backlog option reports the baseline itself, once, right after AccountSwitched', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    a.deliver();
    h.fault = (_address, now) => (now < 500 ? decodeFailure() : undefined);
    const log = record(h, engine(h, { backlog: true, until: timer(2500, h.ts) }));
    expect(log).toEqual(['0 ServerStarted', '0 DecodeError(messages page 1)', '1000 AccountSwitched(a@x.test,1)', '1000 +a0', '2500 ServerCalledOff(stopped)', '2500 complete']);
  });
});

describe('domains apart from the mailbox', () => {
  it('a domain list that does not decode is a DecodeError and never stops mail; domains are retried on their own schedule', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    h.domainFault = (now) => (now < 2500 ? decodeFailure('domains page 1') : undefined);
    const log = record(h, engine(h, { domainInterval: 1000, until: timer(4500, h.ts) }), [
      [500, () => a.deliver()],
      [1500, () => a.deliver()],
      [3500, () => h.domains.push(domain('d2', 'y.test'))],
    ]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 DecodeError(domains page 1)',
      '0 AccountSwitched(a@x.test,0)',
      '1000 +a0',
      '1000 DecodeError(domains page 1)',
      '2000 +a1',
      '2000 DecodeError(domains page 1)',
      '4000 DomainChange(x.test,y.test)',
      '4500 ServerCalledOff(stopped)',
      '4500 complete',
    ]);
    expect(h.calls.filter((c) => c.endsWith('domains')).map((c) => Number(c.split(' ')[0]))).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('an outage of the domain list costs nothing but the check (no Disconnected, mail goes on)', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    h.domainFault = () => new TransportClosedError('HTTP 502');
    const log = record(h, engine(h, { domainInterval: 1000, until: timer(2500, h.ts) }), [[500, () => a.deliver()]]);
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1000 +a0', '2500 ServerCalledOff(stopped)', '2500 complete']);
  });

  it('checks domains every domainFastInterval while the budget has room, and every domainInterval when it has not', () => {
    for (const [spare, expected] of [
      [true, '5000 DomainChange(x.test,y.test)'],
      [false, '60000 DomainChange(x.test,y.test)'],
    ] as const) {
      const h = makeHarness();
      h.spare = () => spare;
      const log = record(h, engine(h, { until: timer(61_000, h.ts) }), [[100, () => h.domains.push(domain('d2', 'y.test'))]]);
      expect(log.filter((l) => l.includes('DomainChange'))).toEqual([expected]);
    }
  });
});

describe('stop and until end the stream at once', () => {
  it('stop() mid-outage: ServerCalledOff at once, the retry wait is cancelled, no request after it', () => {
    const h = makeHarness();
    h.fault = (_address, now) => (now >= 1000 ? new TransportClosedError('connection refused') : undefined);
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    let acked = -1;
    const log = record(h, engine(h, { commands, backoff: { initialDelay: 5000, jitter: 'none' } }), [
      [1250, () => commands.next({ kind: 'stop', done: () => (acked = h.ts.now()) })],
    ]);
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1000 Disconnected(-)', '1000 Reconnecting(1,5000)', '1250 ServerCalledOff(stopped)', '1250 complete']);
    expect(acked).toBe(1250);
    expect(h.calls.filter((c) => Number(c.split(' ')[0]) > 1000)).toEqual([]);
  });

  it('until during a 429 storm: ServerCalledOff at once', () => {
    const h = makeHarness();
    h.fault = (_address, now) => (now >= 1000 ? new RateLimitedError(1000) : undefined);
    const log = record(h, engine(h, { until: timer(1700, h.ts) }));
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1700 ServerCalledOff(stopped)', '1700 complete']);
  });
});

describe('which failures are fatal', () => {
  it('a 404 (or other non-401 4xx) on a read is transient: Disconnected with the HTTP code, backoff, Resumed, nothing lost', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    h.fault = (_address, now) => (now >= 1000 && now < 1200 ? mailtmHttpError(404, '{"hydra:description":"Not Found"}', null, 'GET /messages', []) : undefined);
    const log = record(h, engine(h, { until: timer(2500, h.ts) }), [[900, () => a.deliver()]]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,0)',
      '1000 Disconnected(404)',
      '1000 Reconnecting(1,100)',
      '1100 Reconnecting(2,200)',
      '1300 +a0',
      '1300 Resumed',
      '2500 ServerCalledOff(stopped)',
      '2500 complete',
    ]);
    expect(mailtmHttpError(404, '', null, 'GET /messages', [])).toBeInstanceOf(CommandFailedError);
  });

  it('a 401 that survived re-authentication is fatal: ServerCalledOff(error), then AuthenticationFailedError', () => {
    const h = makeHarness();
    h.fault = (_address, now) => (now >= 1000 ? new AuthenticationFailedError('mail.tm', 'Expired JWT Token') : undefined);
    expect(record(h, engine(h))).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1000 ServerCalledOff(error)', '1000 error AuthenticationFailedError']);
  });

  it('refused credentials at login are fatal before Connected', () => {
    const h = makeHarness();
    h.authFault = () => new AuthenticationFailedError('mail.tm', 'Invalid credentials.');
    expect(record(h, engine(h), [], true)).toEqual(['0 ServerStarted', '0 Connecting', '0 ServerCalledOff(error)', '0 error AuthenticationFailedError']);
  });
});

describe('switching accounts', () => {
  it('reads the old account once more and reports what arrived before watching the new one', () => {
    const h = makeHarness();
    const [a, b] = [h.boxes['a@x.test'], h.boxes['b@x.test']];
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    const log = record(h, engine(h, { commands, until: timer(2500, h.ts) }), [
      [1500, () => a.deliver()], // reaches the old account just before the switch
      [1600, () => commands.next({ kind: 'switch', account: h.accounts.b })],
      [1700, () => (a.deliver(), b.deliver())],
    ]);
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1600 +a0', '1600 AccountSwitched(b@x.test,0)', '2000 +b0', '2500 ServerCalledOff(stopped)', '2500 complete']);
  });

  it('a switch during a 429 storm takes effect at once (the waiting retry is cancelled) and still reports the old mail', () => {
    const h = makeHarness();
    const a = h.boxes['a@x.test'];
    // The old account is refused from 1000 to 2450; its poll then waits out a long retry.
    h.fault = (address, now) => (address === 'a@x.test' && now >= 1000 && now < 2450 ? new RateLimitedError(1500) : undefined);
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    let acked = -1;
    const log = record(h, engine(h, { commands, until: timer(3000, h.ts) }), [
      [1200, () => a.deliver()],
      [2500, () => commands.next({ kind: 'switch', account: h.accounts.b, done: () => (acked = h.ts.now()) })],
    ]);
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '2500 +a0', '2500 AccountSwitched(b@x.test,0)', '3000 ServerCalledOff(stopped)', '3000 complete']);
    expect(acked).toBe(2500);
  });

  it('when the storm outlasts the last read, the old account is drained after the switch: its mail is reported once, later', () => {
    const h = makeHarness();
    const [a, b] = [h.boxes['a@x.test'], h.boxes['b@x.test']];
    h.fault = (address, now) => (address === 'a@x.test' && now >= 1000 && now < 4000 ? new RateLimitedError(1500) : undefined);
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    const log = record(h, engine(h, { commands, until: timer(5500, h.ts) }), [
      [1200, () => a.deliver()],
      [2500, () => commands.next({ kind: 'switch', account: h.accounts.b })],
      [2600, () => b.deliver()],
    ]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,0)',
      '2500 AccountSwitched(b@x.test,0)',
      '3000 +b0',
      '4000 +a0',
      '5500 ServerCalledOff(stopped)',
      '5500 complete',
    ]);
    // After the drain read succeeded, the old account is not read again.
    expect(h.calls.filter((c) => c.includes(' A') && Number(c.split(' ')[0]) > 4000)).toEqual([]);
  });

  it('the last read of the old account is bounded: a hanging one does not hold the switch longer than finalReadTimeout', () => {
    const h = makeHarness();
    h.fault = (address, now) => (address === 'a@x.test' && now >= 1000 ? new RateLimitedError(60_000) : undefined);
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    const log = record(h, engine(h, { commands, until: timer(2000, h.ts), finalReadTimeout: 300 }), [[1500, () => commands.next({ kind: 'switch', account: h.accounts.b })]]);
    expect(log).toEqual(['0 ServerStarted', '0 AccountSwitched(a@x.test,0)', '1500 AccountSwitched(b@x.test,0)', '2000 ServerCalledOff(stopped)', '2000 complete']);
  });

  it('a switch whose new mailbox fails first is announced only once its baseline exists', () => {
    const h = makeHarness();
    const b = h.boxes['b@x.test'];
    b.deliver();
    h.fault = (address, now) => (address === 'b@x.test' && now < 1800 ? decodeFailure() : undefined);
    const commands = new Subject<MailtmCommand<MailtmAccountRef>>();
    let acked = -1;
    const log = record(h, engine(h, { commands, until: timer(3500, h.ts) }), [
      [1500, () => commands.next({ kind: 'switch', account: h.accounts.b, done: () => (acked = h.ts.now()) })],
      [2500, () => b.deliver()],
    ]);
    expect(log).toEqual([
      '0 ServerStarted',
      '0 AccountSwitched(a@x.test,0)',
      '1500 DecodeError(messages page 1)',
      '2000 AccountSwitched(b@x.test,1)',
      '3000 +b1',
      '3500 ServerCalledOff(stopped)',
      '3500 complete',
    ]);
    expect(acked).toBe(2000);
  });
});
