// Issue 16 against the local server: each case of the marble tests once more over real HTTP, through mailtm().
import { firstValueFrom, timer } from 'rxjs';
import { mailtm, type MailtmHandle } from '../../src/mailtm';
import { startMailtmServer, type MailtmTestServer } from '../../src/testing/mailtm';
import { newIds, recordEvents } from './record';

const PASSWORD = 'robust-pass-123';

describe('mailtm() robustness against the local server', () => {
  let srv: MailtmTestServer;
  beforeEach(async () => {
    srv = await startMailtmServer({ retryAfterHeader: true });
  });
  afterEach(() => srv.close());

  async function handle(address: string, options: Parameters<typeof mailtm>[0] = {}): Promise<MailtmHandle> {
    const mt = mailtm({ baseUrl: srv.url, backoff: { initialDelay: 30, maxDelay: 200 }, pollInterval: 100, ...options });
    await firstValueFrom(mt.createAccount({ address, password: PASSWORD }, { switchTo: true }));
    return mt;
  }

  it('a malformed first mailbox read: DecodeError, then AccountSwitched from a complete baseline (never 0 when mail exists), later mail reported', async () => {
    const mt = await handle('prime@rxwire.test');
    const before = [srv.deliver('prime@rxwire.test'), srv.deliver('prime@rxwire.test'), srv.deliver('prime@rxwire.test')];
    srv.inject({ kind: 'respond', path: '/messages', body: '{"hydra:member": [', count: 2 });
    const r = recordEvents(mt.events$);
    const [switched] = await r.next('AccountSwitched');
    const decodeErrors = r.all.filter((e) => e.type === 'DecodeError');
    expect(decodeErrors.length).toBe(2);
    expect(r.all.indexOf(decodeErrors[1])).toBeLessThan(r.all.indexOf(switched));
    expect(switched.data.existing).toBe(before.length);
    const after = srv.deliver('prime@rxwire.test');
    expect((await r.next('NewMessage'))[0].data.id).toBe(after);
    await firstValueFrom(mt.stop());
    expect(newIds(await r.done())).toEqual([after]);
  });

  it('a /domains answer that does not decode ("isPrivate": null) is a DecodeError and mail still flows', async () => {
    const mt = await handle('domains@rxwire.test');
    const bad = { 'hydra:member': [{ id: 'd', domain: 'rxwire.test', isActive: true, isPrivate: null, createdAt: 'x', updatedAt: 'x' }], 'hydra:totalItems': 1 };
    srv.inject({ kind: 'respond', path: '/domains', body: JSON.stringify(bad), count: 1000 });
    const r = recordEvents(mt.events$);
    await r.next('AccountSwitched');
    const id = srv.deliver('domains@rxwire.test');
    expect((await r.next('NewMessage'))[0].data.id).toBe(id);
    const [decode] = await r.next('DecodeError');
    expect(decode.data.tag).toBe('domains page 1');
    srv.clearFaults();
    r.sub.unsubscribe();
  });

  it('stop() during an outage gives ServerCalledOff promptly (no waiting for the server to come back)', async () => {
    const mt = await handle('stop@rxwire.test');
    const r = recordEvents(mt.events$);
    await r.next('Ready');
    srv.inject({ kind: 'status', status: 503, path: '/messages', count: 100_000 });
    await r.next('Reconnecting', 2);
    await firstValueFrom(mt.stop());
    const all = await r.done(2000);
    expect(all[all.length - 1]).toEqual({ source: 'mailtm', type: 'ServerCalledOff', data: { reason: 'stopped' } });
    srv.clearFaults();
  });

  it('`until` during an outage ends the stream promptly too', async () => {
    const mt = mailtm({ baseUrl: srv.url, backoff: { initialDelay: 2000, maxDelay: 5000 }, pollInterval: 100 });
    await firstValueFrom(mt.createAccount({ address: 'until@rxwire.test', password: PASSWORD }, { switchTo: true }));
    srv.inject({ kind: 'drop', path: '/messages', count: 100_000 });
    const stopper = mailtm({ baseUrl: srv.url, credentials: { address: 'until@rxwire.test', password: PASSWORD }, pollInterval: 100, backoff: { initialDelay: 2000 }, until: timer(600) });
    const r = recordEvents(stopper.events$);
    await r.next('Disconnected');
    const all = await r.done(3000);
    expect(all[all.length - 1].type).toBe('ServerCalledOff');
    srv.clearFaults();
  });

  it('a 404 on GET /messages is transient: Disconnected with code 404, Resumed, and the mail arrives', async () => {
    const mt = await handle('notfound@rxwire.test');
    const r = recordEvents(mt.events$);
    await r.next('Ready');
    srv.inject({ kind: 'status', status: 404, path: '/messages', count: 2 });
    const id = srv.deliver('notfound@rxwire.test');
    const [disc] = await r.next('Disconnected');
    expect(disc.data).toMatchObject({ code: 404, willReconnect: true });
    await r.next('Resumed');
    expect((await r.next('NewMessage'))[0].data.id).toBe(id);
    r.sub.unsubscribe();
  });

  it('a switch reads the old account once more: mail that just reached it is reported before the new AccountSwitched', async () => {
    const mt = await handle('old@rxwire.test', { pollInterval: 60_000 });
    const r = recordEvents(mt.events$);
    await r.next('Ready');
    await firstValueFrom(mt.createAccount({ address: 'new@rxwire.test', password: PASSWORD }));
    const late = srv.deliver('old@rxwire.test', { subject: 'just before the switch' });
    await firstValueFrom(mt.switchAccount({ address: 'new@rxwire.test', password: PASSWORD }));
    const types = r.all.map((e) => (e.type === 'NewMessage' ? `+${e.data.id}` : e.type === 'AccountSwitched' ? `switched:${e.data.to}` : e.type));
    expect(types.indexOf(`+${late}`)).toBeGreaterThan(-1);
    expect(types.indexOf(`+${late}`)).toBeLessThan(types.indexOf('switched:new@rxwire.test'));
    r.sub.unsubscribe();
  });

  it('a switch during a 429 storm goes through, and nothing sent to either account is lost or repeated', async () => {
    const mt = await handle('stormold@rxwire.test');
    await firstValueFrom(mt.createAccount({ address: 'stormnew@rxwire.test', password: PASSWORD }));
    const r = recordEvents(mt.events$);
    await r.next('Ready');
    const old = [srv.deliver('stormold@rxwire.test')];
    await r.next('NewMessage');
    srv.inject({ kind: 'rateLimit', path: '/messages', count: 3 });
    old.push(srv.deliver('stormold@rxwire.test'));
    await firstValueFrom(mt.switchAccount({ address: 'stormnew@rxwire.test', password: PASSWORD }));
    const fresh = srv.deliver('stormnew@rxwire.test');
    await r.next('NewMessage', 3);
    // The old account's last mail comes from the read before the switch, or (when the storm refused it) from
    // the drain right after it: once either way.
    expect([...newIds(r.all)].sort()).toEqual([...old, fresh].sort());
    expect(newIds(r.all).filter((id) => id === fresh)).toHaveLength(1);
    r.sub.unsubscribe();
  });

  it('DomainChange comes within seconds with the default domainInterval (budget allows), under 8 requests per second', async () => {
    const mt = await handle('fast@rxwire.test', { pollInterval: 1000 });
    const r = recordEvents(mt.events$);
    await r.next('Ready');
    srv.resetStats();
    srv.addDomain('late.test');
    const [change] = await r.next('DomainChange', 1, 12_000);
    expect(change.data.added.map((d) => d.domain)).toEqual(['late.test']);
    expect(srv.maxRequestsPerSecond()).toBeLessThanOrEqual(8);
    r.sub.unsubscribe();
  });
});
