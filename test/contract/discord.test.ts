/**
 * The source contract for Discord, against the local gateway: the
 * `discord()` handle, `connectionState()` over its lifecycle, sharing one
 * connection, resubscribing, actions that complete when written and fail
 * with ActionDroppedError when dropped, logger and token redaction.
 */
import { once } from 'node:events';
import { firstValueFrom, lastValueFrom, ReplaySubject, timeout, toArray, type Subscription } from 'rxjs';
import { ActionDroppedError, connectionState, FatalCloseError, type ConnectionState, type Logger } from '../../src/core';
import { createIdentifyThrottler, discord, discordGateway, type DiscordEvent } from '../../src/gateway/discord';
import { startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';
import { next } from '../discord/helpers';

const TOKEN = 'contract-secret-token-4711';
let server: DiscordLocalGateway;
const subs: Subscription[] = [];
afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe();
  await server?.close();
});

const fast = { backoff: { initialDelay: 10, maxDelay: 50 }, identifyThrottler: createIdentifyThrottler({ windowMs: 0 }) };

describe('discord() follows the source contract', () => {
  it('connectionState: connecting → connected → ready → disconnected → reconnecting → … → ready (resumed) → closed', async () => {
    server = await startDiscordGateway({ token: TOKEN });
    const gw = discord({ token: TOKEN, intents: 1, url: server.url, ...fast });
    const states = new ReplaySubject<ConnectionState>();
    const events = new ReplaySubject<DiscordEvent>();
    subs.push(gw.events$.pipe(connectionState()).subscribe({ next: (s) => states.next(s), error: () => states.complete(), complete: () => states.complete() }));
    subs.push(gw.events$.subscribe({ next: (e) => events.next(e), error: (e: unknown) => events.error(e) }));
    await next(events, (e) => e.type === 'Ready');
    server.closeWith(4000, `bad token ${TOKEN}`);
    await next(events, (e) => e.type === 'Resumed');
    server.closeWith(4004, `bad token ${TOKEN}`);
    const all = await lastValueFrom(states.pipe(toArray(), timeout(10_000)));
    expect(all.map((s) => (s.resumed ? 'resumed' : s.status))).toEqual(['connecting', 'connected', 'ready', 'disconnected', 'reconnecting', 'connecting', 'connected', 'resumed', 'disconnected', 'closed']);
    expect(all[3]).toMatchObject({ willReconnect: true });
    expect(all[8]).toMatchObject({ willReconnect: false });
    // the stream ended with the fatal close, and the token the server echoed is gone
    expect(await lastValueFrom(events).catch((e: unknown) => e)).toBeInstanceOf(FatalCloseError);
    expect(JSON.stringify(all)).not.toContain(TOKEN);
  });

  it('lifecycle data has the contract shapes, and no event or error carries the token', async () => {
    server = await startDiscordGateway({ token: TOKEN });
    const lines: string[] = [];
    const logger: Logger = { debug: (o, m) => lines.push(JSON.stringify([o, m])), info: (o, m) => lines.push(JSON.stringify([o, m])), warn: (o, m) => lines.push(JSON.stringify([o, m])), error: (o, m) => lines.push(JSON.stringify([o, m])) };
    const gw = discord({ token: TOKEN, intents: 1, url: server.url, logger, ...fast });
    const events = new ReplaySubject<DiscordEvent>();
    let error: unknown;
    subs.push(gw.events$.subscribe({ next: (e) => events.next(e), error: (e: unknown) => ((error = e), events.complete()) }));
    await next(events, (e) => e.type === 'Ready');
    server.closeWith(4000, `bad token ${TOKEN}`);
    await next(events, (e) => e.type === 'Resumed');
    server.closeWith(4004, `bad token ${TOKEN}`);
    const all = await lastValueFrom(events.pipe(toArray(), timeout(10_000)));
    const byType = (t: string) => all.filter((e) => e.type === t).map((e) => e.data);
    expect(byType('Connecting')[0]).toEqual({ url: `${server.url}?v=10&encoding=json`, attempt: 1, resume: false });
    expect(byType('Connected')[0]).toEqual({ url: `${server.url}?v=10&encoding=json` });
    expect(byType('Disconnected')).toEqual([
      { code: 4000, reason: 'bad token ***', willReconnect: true },
      { code: 4004, reason: 'bad token ***', willReconnect: false },
    ]);
    expect(byType('Reconnecting')).toEqual([{ attempt: 1, delay: 0, resume: true }]);
    expect(byType('Closed')).toHaveLength(1);
    expect(error).toBeInstanceOf(FatalCloseError);
    expect(JSON.stringify(all)).not.toContain(TOKEN);
    expect(String(error)).not.toContain(TOKEN);
    // frames were logged in and out (identify included), the token never
    expect(lines.some((l) => l.includes('"dir":"in"'))).toBe(true);
    expect(lines.some((l) => l.includes('"dir":"out"') && l.includes('"op":2'))).toBe(true);
    expect(lines.some((l) => l.includes('reconnecting'))).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('two subscribers share one connection; the last unsubscribe closes it; a resubscribe connects anew', async () => {
    server = await startDiscordGateway({ token: TOKEN, identifyRateLimit: false });
    const gw = discord({ token: TOKEN, intents: 1, url: server.url, ...fast });
    const a = new ReplaySubject<DiscordEvent>();
    const b = new ReplaySubject<DiscordEvent>();
    const sa = gw.events$.subscribe(a);
    const sb = gw.events$.subscribe(b);
    await next(a, (e) => e.type === 'Ready');
    await next(b, (e) => e.type === 'Ready');
    expect(server.identifyCount).toBe(1);
    expect(server.connectionCount).toBe(1);
    sa.unsubscribe();
    expect(server.connectionCount).toBe(1);
    const closed = once(server.events, 'close');
    sb.unsubscribe();
    expect(await closed).toEqual([1000]);
    const c = new ReplaySubject<DiscordEvent>();
    subs.push(gw.events$.subscribe(c));
    await next(c, (e) => e.type === 'Ready');
    expect(server.identifyCount).toBe(2);
  });

  it('actions complete once written, and fail with ActionDroppedError when the connection drops with them queued', async () => {
    server = await startDiscordGateway({ token: TOKEN });
    // limit 6, reserve 5: once the identify used its slot, ordinary sends wait for the window
    const gw = discord({ token: TOKEN, intents: 1, url: server.url, sendLimit: 6, ...fast });
    const events = new ReplaySubject<DiscordEvent>();
    subs.push(gw.events$.subscribe(events));
    await next(events, (e) => e.type === 'Ready');
    const presence = { since: null, activities: [], status: 'idle', afk: false } as const;
    const queued = firstValueFrom(gw.updatePresence(presence)).catch((e: unknown) => e);
    const queued2 = firstValueFrom(gw.updateVoiceState({ guild_id: '81384788765712384', channel_id: null, self_mute: false, self_deaf: false })).catch((e: unknown) => e);
    server.killSockets();
    expect(await queued).toBeInstanceOf(ActionDroppedError);
    expect(await queued2).toBeInstanceOf(ActionDroppedError);
    expect((await queued) as Error).toMatchObject({ action: 'updatePresence' });
    expect(server.received).toEqual([]);
  });

  it('an action issued before Ready waits for it and completes when written', async () => {
    server = await startDiscordGateway({ token: TOKEN });
    const gw = discord({ token: TOKEN, intents: 1, url: server.url, ...fast });
    const done = firstValueFrom(gw.updatePresence({ since: null, activities: [], status: 'dnd', afk: false }).pipe(toArray(), timeout(5000)));
    const events = new ReplaySubject<DiscordEvent>();
    subs.push(gw.events$.subscribe(events));
    expect(await done).toEqual([undefined]);
    while (server.received.length < 1) await once(server.events, 'received');
    expect(server.received[0]).toMatchObject({ op: 3, d: { status: 'dnd' } });
  });

  it('discordGateway is the deprecated alias of discord', () => {
    expect(discordGateway).toBe(discord);
  });
});
