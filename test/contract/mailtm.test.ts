/**
 * The source contract for Mail.tm, against the local server: the `mailtm()`
 * handle, `connectionState()` over its lifecycle, sharing one poll loop,
 * resubscribing, actions that complete once the server accepted them, the
 * logger, and redaction of the password and token even when the server echoes them.
 */
import { ReplaySubject, firstValueFrom, lastValueFrom, timeout, timer, toArray, type Subscription } from 'rxjs';
import { ActionDroppedError, CommandFailedError, connectionState, type ConnectionState, type Logger } from '../../src/core';
import { mailtm, type MailtmEvent } from '../../src/mailtm';
import { startMailtmServer, type MailtmTestServer } from '../../src/testing/mailtm';
import { recordEvents } from '../mailtm/record';

const ADDRESS = 'contract@rxwire.test';
const PASSWORD = 'contract-Pa55word-0815';

let srv: MailtmTestServer;
const subs: Subscription[] = [];
beforeEach(async () => {
  srv = await startMailtmServer();
});
afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe();
  await srv.close();
});

async function handle(logger?: Logger) {
  const mt = mailtm({ baseUrl: srv.url, pollInterval: 100, backoff: { initialDelay: 30, maxDelay: 100 }, logger });
  await firstValueFrom(mt.createAccount({ address: ADDRESS, password: PASSWORD }, { switchTo: true }));
  return mt;
}

describe('mailtm() follows the source contract', () => {
  it('connectionState: connecting → connected → ready → disconnected → reconnecting → … → ready (resumed) → closed', async () => {
    const mt = await handle();
    const states = new ReplaySubject<ConnectionState>();
    subs.push(mt.events$.pipe(connectionState()).subscribe({ next: (s) => states.next(s), complete: () => states.complete(), error: () => states.complete() }));
    const r = recordEvents(mt.events$);
    subs.push(r.sub);
    await r.next('Ready');
    srv.inject({ kind: 'status', status: 503, path: '/messages', count: 2 });
    await r.next('Resumed');
    await firstValueFrom(mt.stop());
    const all = await lastValueFrom(states.pipe(toArray(), timeout(10_000)));
    expect(all.map((s) => (s.resumed ? 'resumed' : s.status))).toEqual(['connecting', 'connected', 'ready', 'disconnected', 'reconnecting', 'reconnecting', 'resumed', 'closed']);
    expect(all[3]).toMatchObject({ willReconnect: true });
    expect(all[7]).toMatchObject({ status: 'closed', cause: 'ServerCalledOff', reason: 'stopped' });
  });

  it('lifecycle data has the contract shapes; an echoed token and password reach no event, error or log line', async () => {
    const lines: string[] = [];
    const push = (o: unknown, m?: string): void => {
      lines.push(JSON.stringify([o, m]));
    };
    const logger: Logger = { debug: push, info: push, warn: push, error: push };
    const mt = await handle(logger);
    const r = recordEvents(mt.events$);
    subs.push(r.sub);
    await r.next('Ready');
    const token = await firstValueFrom(mt.session!.token());
    srv.inject({ kind: 'echo', status: 500, path: '/messages' });
    await r.next('Resumed');
    // An action refused by an echoing server: typed, and the secrets are gone from it too.
    srv.inject({ kind: 'echo', status: 400, path: '/messages/' });
    const refused = await firstValueFrom(mt.markSeen('some-id')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CommandFailedError);
    await firstValueFrom(mt.stop());
    const all = await r.done();
    const byType = (t: string) => all.filter((e) => e.type === t).map((e) => e.data);
    expect(byType('Connecting')).toEqual([{ url: srv.url, attempt: 1 }]);
    expect(byType('Connected')).toEqual([{ url: srv.url }]);
    expect(byType('Ready')).toEqual([{ address: ADDRESS, existing: 0 }]);
    const [disc] = byType('Disconnected') as Array<{ reason: string; code?: number; willReconnect: boolean }>;
    expect(disc).toMatchObject({ code: 500, willReconnect: true });
    expect(disc.reason).toContain('authorization: Bearer ***');
    expect(byType('Reconnecting')[0]).toEqual({ attempt: 1, delay: expect.any(Number) });
    expect(byType('ServerCalledOff')).toEqual([{ reason: 'stopped' }]);
    const everything = `${JSON.stringify(all)} ${String(refused)} ${JSON.stringify(refused)} ${lines.join('\n')}`;
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(PASSWORD);
    // requests were logged at debug, the reconnect reason at warn
    expect(lines.some((l) => l.includes('"path":"/messages"') && l.includes('"status":200'))).toBe(true);
    expect(lines.some((l) => l.includes('retrying'))).toBe(true);
  });

  it('two subscribers share one poll loop; the last unsubscribe stops it; a resubscribe starts anew', async () => {
    const mt = await handle();
    const a = recordEvents(mt.events$);
    await a.next('Ready');
    const b = recordEvents(mt.events$);
    const id = srv.deliver(ADDRESS);
    const [ea] = await a.next('NewMessage');
    const [eb] = await b.next('NewMessage');
    expect(ea.data.id).toBe(id);
    expect(eb).toBe(ea); // the same event object: one pipeline, one poll loop
    expect(b.all.some((e) => e.type === 'ServerStarted' || e.type === 'Connecting')).toBe(false);
    a.sub.unsubscribe();
    b.sub.unsubscribe();
    srv.resetStats();
    await firstValueFrom(timer(400)); // a window of several poll intervals with no subscriber
    expect(srv.requestCount).toBe(0); // nobody listens: nothing polls
    const c = recordEvents(mt.events$);
    subs.push(c.sub);
    await c.next('Ready');
    expect(c.all.slice(0, 2).map((e: MailtmEvent) => e.type)).toEqual(['ServerStarted', 'Connecting']);
  });

  it('actions complete once the server accepted them: markSeen, deleteMessage (after its MessageDelete), switchAccount', async () => {
    const mt = await handle();
    const r = recordEvents(mt.events$);
    subs.push(r.sub);
    await r.next('Ready');
    const id = srv.deliver(ADDRESS);
    await r.next('NewMessage');
    expect(await firstValueFrom(mt.markSeen(id))).toMatchObject({ id, seen: true });
    expect((await firstValueFrom(mt.message(id))).seen).toBe(true);
    await lastValueFrom(mt.deleteMessage(id), { defaultValue: undefined });
    expect(r.all.some((e) => e.type === 'MessageDelete' && e.data.id === id)).toBe(true);
    await firstValueFrom(mt.createAccount({ address: 'other@rxwire.test', password: PASSWORD }, { switchTo: true }));
    expect(r.all.filter((e) => e.type === 'AccountSwitched').map((e) => e.type === 'AccountSwitched' && e.data.to)).toEqual([ADDRESS, 'other@rxwire.test']);
    await expect(firstValueFrom(mt.markSeen('no-such-message'))).rejects.toBeInstanceOf(CommandFailedError);
    // A PATCH whose connection drops unanswered (every retry too) may or may not have been applied: ActionDroppedError.
    srv.inject({ kind: 'drop', path: '/messages/', method: 'PATCH', count: 100 });
    await expect(firstValueFrom(mt.markSeen(id))).rejects.toBeInstanceOf(ActionDroppedError);
    srv.clearFaults();
  });
});
