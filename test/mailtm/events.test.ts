import { Subject, concatMap, filter, firstValueFrom, from, lastValueFrom, take, timeout, timer, toArray } from 'rxjs';
import { AuthenticationFailedError, seededRandom } from '../../src/core';
import { Mailtm, mailtmEvents, type MailtmEvent } from '../../src/mailtm';
import { startMailtmServer, type MailtmTestServer } from '../../src/testing/mailtm';
import { newIds, recordEvents } from './record';

const record = recordEvents;

const STARTUP = new Set(['Connecting', 'Connected', 'Ready']);
/** The event types without the start-up lifecycle (Connecting, Connected, Ready). */
const typesOf = (events: MailtmEvent[]): string[] => events.map((e) => e.type).filter((t) => !STARTUP.has(t));

/** Delivers `total` messages in bursts of `burst` every `every` ms; resolves with the ids in delivery order. */
function deliverInBursts(srv: MailtmTestServer, address: string, total: number, burst: number, every: number): Promise<string[]> {
  const bursts = Array.from({ length: Math.ceil(total / burst) }, (_, i) => i);
  return lastValueFrom(
    from(bursts).pipe(
      concatMap((i) => timer(every).pipe(concatMap(() => from(Array.from({ length: Math.min(burst, total - i * burst) }, (_, j) => srv.deliver(address, { subject: `b${i}-${j}` })))))),
      toArray(),
    ),
  );
}

describe('Mailtm.events() against the local server', () => {
  let srv: MailtmTestServer;
  beforeEach(async () => {
    srv = await startMailtmServer();
  });
  afterEach(() => srv.close());

  async function account(address: string, password = 'pw-12345-secret'): Promise<Mailtm> {
    const mt = new Mailtm({ baseUrl: srv.url, backoff: { initialDelay: 50, maxDelay: 500 } });
    await firstValueFrom(mt.createAccount({ address, password }, { switchTo: true }));
    return mt;
  }

  it('reports 100 messages delivered in bursts while polling, each exactly once and in arrival order', async () => {
    const mt = await account('burst@rxwire.test');
    srv.deliver('burst@rxwire.test', { subject: 'already there' });
    const r = record(mt.events({ pollInterval: 150 }));
    const [switched] = await r.next('AccountSwitched');
    expect(switched.data.existing).toBe(1);
    const delivered = await deliverInBursts(srv, 'burst@rxwire.test', 100, 13, 120);
    const news = await r.next('NewMessage', 100, 30_000);
    expect(news.map((e) => e.data.id)).toEqual(delivered);
    await firstValueFrom(mt.stop());
    const all = await r.done();
    expect(newIds(all)).toEqual(delivered); // nothing more, nothing repeated
    expect(all[0].type).toBe('ServerStarted');
    expect(all[all.length - 1]).toEqual({ source: 'mailtm', type: 'ServerCalledOff', data: { reason: 'stopped' } });
    expect(srv.maxRequestsPerSecond()).toBeLessThan(8);
  });

  it('survives 429 storms with no message lost and under 8 requests per second seen by the server', async () => {
    const mt = await account('storm@rxwire.test');
    const r = record(mt.events({ pollInterval: 50, domainInterval: 300 }));
    await r.next('AccountSwitched');
    srv.resetStats();
    const storm = timer(0, 500).pipe(take(2)).subscribe(() => srv.inject({ kind: 'rateLimit', count: 4 }));
    const delivered = await deliverInBursts(srv, 'storm@rxwire.test', 40, 8, 200);
    const news = await r.next('NewMessage', 40, 30_000);
    storm.unsubscribe();
    expect(news.map((e) => e.data.id)).toEqual(delivered);
    expect(srv.maxRequestsPerSecond()).toBeLessThan(8);
    r.sub.unsubscribe();
  });

  it('turns outages (500s, dropped connections) into Disconnected/Reconnecting/Resumed and loses or repeats nothing', async () => {
    const mt = await account('outage@rxwire.test');
    const r = record(mt.events({ pollInterval: 100, backoff: { initialDelay: 50, maxDelay: 400 } }));
    await r.next('AccountSwitched');
    const first = [srv.deliver('outage@rxwire.test'), srv.deliver('outage@rxwire.test')];
    await r.next('NewMessage', 2);
    srv.inject({ kind: 'status', status: 500, path: '/messages', count: 3 });
    srv.inject({ kind: 'drop', path: '/messages', count: 2 });
    const during = [srv.deliver('outage@rxwire.test'), srv.deliver('outage@rxwire.test')];
    await r.next('Resumed');
    const news = await r.next('NewMessage', 4);
    expect(news.map((e) => e.data.id)).toEqual([...first, ...during]);
    const types = r.all.map((e) => e.type);
    const disc = types.indexOf('Disconnected');
    expect(disc).toBeGreaterThan(0);
    expect(types[disc + 1]).toBe('Reconnecting');
    expect(types.indexOf('Resumed')).toBeGreaterThan(disc);
    await firstValueFrom(mt.stop());
    expect(newIds(await r.done())).toEqual([...first, ...during]);
  });

  it('drives the account controller: created, switched, message deleted, account deleted, domains changed', async () => {
    const mt = await account('first@rxwire.test');
    const r = record(mt.events({ pollInterval: 100, domainInterval: 100 }));
    await r.next('AccountSwitched');
    const created = await firstValueFrom(mt.createAccount({ address: 'second@rxwire.test', password: 'another-secret' }, { switchTo: true }));
    const m1 = srv.deliver('second@rxwire.test', { subject: 'to the second' });
    srv.deliver('first@rxwire.test', { subject: 'not watched any more' });
    const [arrived] = await r.next('NewMessage');
    expect(arrived.data.id).toBe(m1);
    await lastValueFrom(mt.deleteMessage(m1), { defaultValue: undefined });
    // The action completes only after the stream has reported the deletion.
    expect(r.all.some((e) => e.type === 'MessageDelete' && e.data.id === m1)).toBe(true);
    srv.addDomain('fresh.test');
    const [change] = await r.next('DomainChange');
    expect(change.data.added.map((d) => d.domain)).toEqual(['fresh.test']);
    await firstValueFrom(mt.deleteAccount());
    await firstValueFrom(mt.stop());
    const types = typesOf(await r.done()).filter((t) => t !== 'DomainChange');
    expect(types).toEqual([
      'ServerStarted',
      'AccountSwitched',
      'NewAccountCreated',
      'AccountSwitched',
      'NewMessage',
      'MessageDelete',
      'AccountDeleted',
      'ServerCalledOff',
    ]);
    const second = r.all.filter((e) => e.type === 'AccountSwitched')[1];
    expect(second.data).toMatchObject({ from: 'first@rxwire.test', to: 'second@rxwire.test', accountId: created.id, existing: 0 });
  });

  it('mailtmEvents() is the controller-less shorthand; `until` ends it with ServerCalledOff last', async () => {
    await account('short@rxwire.test', 'short-secret');
    const stop$ = new Subject<void>();
    const r = record(mailtmEvents({ baseUrl: srv.url, credentials: { address: 'short@rxwire.test', password: 'short-secret' }, pollInterval: 100, until: stop$ }));
    await r.next('AccountSwitched');
    const id = srv.deliver('short@rxwire.test', { subject: 'hello' });
    expect((await r.next('NewMessage'))[0].data.id).toBe(id);
    stop$.next();
    const all = await r.done();
    expect(all.map((e) => e.type)).toEqual(['ServerStarted', 'Connecting', 'Connected', 'AccountSwitched', 'Ready', 'NewMessage', 'ServerCalledOff']);
  });

  it('a bad password errors the stream with AuthenticationFailedError (ServerCalledOff first) and no password anywhere', async () => {
    await account('victim@rxwire.test', 'the-right-one');
    const mt = new Mailtm({ baseUrl: srv.url, credentials: { address: 'victim@rxwire.test', password: 'hunter2-wrong-secret' } });
    const r = record(mt.events({ pollInterval: 100 }));
    await expect(r.done()).rejects.toBeInstanceOf(AuthenticationFailedError);
    expect(r.all.map((e) => e.type)).toEqual(['ServerStarted', 'Connecting', 'ServerCalledOff']);
    const text = `${String(r.error())} ${JSON.stringify(r.all)} ${JSON.stringify(mt.session)}`;
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('the-right-one');
    await expect(firstValueFrom(mt.switchAccount({ address: 'victim@rxwire.test', password: 'hunter2-wrong-secret' }))).rejects.toThrow(/authentication failed/);
  });

  it('push mode: the Mercure hub brings mail at once, tolerates bare numbers, and falls back to polling when it drops', async () => {
    const mt = await account('push@rxwire.test');
    // Polling alone would take a minute: only hub frames can make these arrive in time.
    const r = record(mt.events({ push: true, pollInterval: 100, pushPollInterval: 60_000 }));
    await r.next('HubConnected');
    const a = srv.deliver('push@rxwire.test', { subject: 'pushed' });
    expect((await r.next('NewMessage'))[0].data.id).toBe(a);
    srv.hubBareNumber('push@rxwire.test');
    srv.dropHub(true); // the hub goes away and refuses reconnects for now
    await r.next('HubDisconnected');
    const b = srv.deliver('push@rxwire.test', { subject: 'polled' });
    const news = await r.next('NewMessage', 2);
    expect(news.map((e) => e.data.id)).toEqual([a, b]);
    srv.restoreHub();
    await r.next('HubConnected', 2, 20_000);
    const c = srv.deliver('push@rxwire.test', { subject: 'pushed again' });
    expect((await r.next('NewMessage', 3))[2].data.id).toBe(c);
    await firstValueFrom(mt.stop());
    expect(newIds(await r.done())).toEqual([a, b, c]);
  });
});

describe('Mailtm.events() under mixed chaos', () => {
  it('reports every arrival exactly once through random 500s, drops, slow answers, 429s and hub drops (seeded)', async () => {
    const srv = await startMailtmServer();
    try {
      const random = seededRandom(7);
      const mt = new Mailtm({ baseUrl: srv.url, timeout: 400, backoff: { initialDelay: 30, maxDelay: 300 } });
      await firstValueFrom(mt.createAccount({ address: 'chaos@rxwire.test', password: 'chaos-secret' }, { switchTo: true }));
      const r = record(mt.events({ push: true, pollInterval: 100, pushPollInterval: 500, backoff: { initialDelay: 30, maxDelay: 300 } }));
      await r.next('AccountSwitched');
      const delivered: string[] = [];
      for (let tick = 0; tick < 20; tick++) {
        await firstValueFrom(timer(100));
        const n = Math.floor(random() * 5);
        for (let i = 0; i < n; i++) delivered.push(srv.deliver('chaos@rxwire.test', { subject: `c${tick}-${i}` }));
        const f = random();
        if (f < 0.15) srv.inject({ kind: 'status', status: 500, path: '/messages', count: 1 + Math.floor(random() * 3) });
        else if (f < 0.25) srv.inject({ kind: 'drop', path: '/messages' });
        else if (f < 0.32) srv.inject({ kind: 'delay', ms: 800, path: '/messages' });
        else if (f < 0.42) srv.inject({ kind: 'rateLimit', count: 2 });
        else if (f < 0.47) srv.dropHub();
      }
      srv.clearFaults();
      const news = await r.next('NewMessage', delivered.length, 30_000);
      expect(news.map((e) => e.data.id)).toEqual(delivered);
      await firstValueFrom(mt.stop());
      expect(newIds(await r.done())).toEqual(delivered);
      expect(srv.maxRequestsPerSecond()).toBeLessThan(8);
    } finally {
      await srv.close();
    }
  });
});

describe('Mailtm actions without a running stream', () => {
  it('deleteAccount, markSeen and switchAccount work with no stream; the next stream watches the current account', async () => {
    const srv = await startMailtmServer();
    try {
      const mt = new Mailtm({ baseUrl: srv.url });
      await firstValueFrom(mt.createAccount({ address: 'solo@rxwire.test', password: 'solo-secret' }, { switchTo: true }));
      const id = srv.deliver('solo@rxwire.test');
      expect((await firstValueFrom(mt.markSeen(id))).seen).toBe(true);
      await firstValueFrom(mt.deleteAccount());
      expect(srv.accountId('solo@rxwire.test')).toBeUndefined();
      expect(mt.session).toBeUndefined();
      await expect(firstValueFrom(mt.markSeen(id))).rejects.toThrow(/switch to or create an account first/);
      await firstValueFrom(mt.createAccount({ address: 'next@rxwire.test', password: 'next-secret' }, { switchTo: true }));
      const r = record(mt.events({ pollInterval: 100 }));
      const [switched] = await r.next('AccountSwitched');
      expect(switched.data.to).toBe('next@rxwire.test');
      r.sub.unsubscribe();
    } finally {
      await srv.close();
    }
  });
});
