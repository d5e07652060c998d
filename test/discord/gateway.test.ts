import { once } from 'node:events';
import { ReplaySubject, type Subscription } from 'rxjs';
import { FatalCloseError } from '../../src/core';
import { createIdentifyThrottler, discordGateway, type DiscordEvent } from '../../src/gateway/discord';
import { discordMessageCreate, startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';
import { collect, next } from './helpers';

let server: DiscordLocalGateway;
let sub: Subscription | undefined;
afterEach(async () => {
  sub?.unsubscribe();
  sub = undefined;
  await server?.close();
});

/** Subscribes once and records everything (errors included) in a replay subject. */
function run(options: Partial<Parameters<typeof discordGateway>[0]> = {}) {
  const gw = discordGateway({ token: server.token, intents: 513, url: server.url, backoff: { initialDelay: 10, maxDelay: 50 }, ...options });
  const seen = new ReplaySubject<DiscordEvent>();
  sub = gw.events$.subscribe(seen);
  return { gw, events$: seen.asObservable() };
}

describe('discordGateway against the local gateway', () => {
  it.each(['none', 'zlib-stream'] as const)('identifies, gets Ready and GuildCreate, then typed MessageCreate events (%s)', async (compress) => {
    server = await startDiscordGateway();
    const { events$ } = run({ compress });
    const ready = await next(events$, (e) => e.type === 'Ready');
    expect(ready.type === 'Ready' && ready.data.session_id).toMatch(/^local-session-/);
    await next(events$, (e) => e.type === 'GuildCreate');
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('one'));
    server.dispatch('SOME_FUTURE_EVENT', { id: '5', type: 11 });
    const [m, d] = await collect(events$, (e) => e.type === 'MessageCreate' || e.type === 'Dispatch', 2);
    expect(m.type === 'MessageCreate' && m.data.content).toBe('one');
    expect(m.shard).toBe(0);
    expect(d).toMatchObject({ type: 'Dispatch', data: { name: 'SOME_FUTURE_EVENT' } });
    expect(server.identifyCount).toBe(1);
  });

  it.each(['none', 'zlib-stream'] as const)('keeps every seq exactly once and in order over 1,000 dispatches with 10 socket kills (%s)', async (compress) => {
    server = await startDiscordGateway();
    const { events$ } = run({ compress });
    await next(events$, (e) => e.type === 'GuildCreate');
    const done = collect(events$, (e) => e.type === 'MessageCreate', 1000, 25_000);
    const killAt = new Set<number>();
    let r = 12345;
    while (killAt.size < 10) {
      r = (r * 1103515245 + 12345) % 2 ** 31;
      killAt.add(1 + (r % 998));
    }
    for (let i = 0; i < 1000; i++) {
      server.dispatch('MESSAGE_CREATE', discordMessageCreate(`m${i}`));
      if (killAt.has(i)) {
        const resumed = once(server.events, 'resume');
        server.killSockets();
        await resumed;
      }
    }
    const got = await done;
    expect(got.map((e) => (e.type === 'MessageCreate' ? e.data.content : ''))).toEqual(Array.from({ length: 1000 }, (_, i) => `m${i}`));
    const seqs = got.map((e) => e.seq as number);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
    expect(server.identifyCount).toBe(1);
    expect(server.resumeCount).toBe(10);
  }, 30_000);

  it('recovers from a zombie connection by resuming', async () => {
    server = await startDiscordGateway({ heartbeatInterval: 100 });
    const { events$ } = run();
    await next(events$, (e) => e.type === 'Ready');
    server.dropAcks(true);
    await next(events$, (e) => e.type === 'Reconnecting' && e.data.resume);
    server.dropAcks(false);
    await next(events$, (e) => e.type === 'Resumed');
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('after zombie'));
    const m = await next(events$, (e) => e.type === 'MessageCreate');
    expect(m.type === 'MessageCreate' && m.data.content).toBe('after zombie');
    expect(server.identifyCount).toBe(1);
  });

  it('errors the stream with a FatalCloseError on 4004, without the token in the message', async () => {
    server = await startDiscordGateway({ token: 'the-real-token' });
    const gw = discordGateway({ token: 'wrong-secret-token', intents: 1, url: server.url });
    const err = await new Promise<unknown>((resolve) => {
      sub = gw.events$.subscribe({ error: resolve });
    });
    expect(err).toBeInstanceOf(FatalCloseError);
    expect((err as FatalCloseError).closeCode).toBe(4004);
    expect((err as Error).message).not.toContain('wrong-secret-token');
    expect((err as Error).message).toMatch(/token/);
  });

  it('turns a malformed frame into a DecodeError event and goes on', async () => {
    server = await startDiscordGateway();
    const { events$ } = run();
    await next(events$, (e) => e.type === 'GuildCreate');
    server.sendRaw('{not json');
    server.dispatch('MESSAGE_CREATE', { id: 42 });
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('fine'));
    const [a, b, c] = await collect(events$, (e) => e.type === 'DecodeError' || e.type === 'MessageCreate', 3);
    expect(a.type).toBe('DecodeError');
    expect(b.type === 'DecodeError' && b.data.errors.join('\n')).toMatch(/MessageCreate\.id: expected string/);
    expect(c.type === 'MessageCreate' && c.data.content).toBe('fine');
  });

  it('op 7 and a 4000 close resume; a 4009 close and op 9 false identify a new session', async () => {
    server = await startDiscordGateway({ identifyRateLimit: false });
    // identifies 5 s apart are Discord's rule (marble-tested); here they may follow at once
    const { events$ } = run({ random: () => 0, identifyThrottler: createIdentifyThrottler({ windowMs: 0 }) });
    await next(events$, (e) => e.type === 'Ready');
    server.sendReconnect();
    await next(events$, (e) => e.type === 'Resumed');
    server.closeWith(4000);
    await collect(events$, (e) => e.type === 'Resumed', 2);
    server.closeWith(4009);
    await collect(events$, (e) => e.type === 'Ready', 2);
    server.invalidateSessions(false);
    await collect(events$, (e) => e.type === 'Ready', 3);
    expect(server.resumeCount).toBe(2);
    expect(server.identifyCount).toBe(3);
    const disconnects = await collect(events$, (e) => e.type === 'Disconnected', 4);
    expect(disconnects.map((e) => e.type === 'Disconnected' && e.data.code)).toEqual([4200, 4000, 4009, 1000]);
  });
});
