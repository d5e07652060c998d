/**
 * Discord's session rules against the local gateway (issue 12). Each rule
 * also has a marble test in marbles/discord/session-rules.test.ts.
 */
import { once } from 'node:events';
import { lastValueFrom, ReplaySubject, timeout, toArray, type Subscription } from 'rxjs';
import { InvalidArgumentError, RateLimitedError } from '../../src/core';
import { createIdentifyThrottler, discord, type DiscordEvent, type DiscordSessionInfo } from '../../src/gateway/discord';
import { discordMessageCreate, startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';
import { next } from './helpers';

let server: DiscordLocalGateway;
const subs: Subscription[] = [];
afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe();
  await server?.close();
});
const backoff = { initialDelay: 10, maxDelay: 50 };

function listen(events$: ReturnType<typeof discord>['events$']) {
  const seen = new ReplaySubject<DiscordEvent>();
  subs.push(events$.subscribe({ next: (e) => seen.next(e), error: (e: unknown) => seen.error(e) }));
  return seen;
}

describe('Discord session rules (local gateway)', () => {
  it('identifies ≥ 5 s apart as the server measures them, across an unsubscribe and resubscribe of the same handle', async () => {
    server = await startDiscordGateway();
    const gw = discord({ token: server.token, intents: 1, url: server.url, backoff });
    const first = listen(gw.events$);
    await next(first, (e) => e.type === 'Ready');
    subs.pop()?.unsubscribe();
    const second = listen(gw.events$);
    await next(second, (e) => e.type === 'Ready', 10_000);
    expect(server.identifyCount).toBe(2);
    expect(server.identifyTimes[1] - server.identifyTimes[0]).toBeGreaterThanOrEqual(5000);
  }, 15_000);

  it("shardCount 'auto': GET /gateway/bot gives the URL, shard count and max_concurrency", async () => {
    server = await startDiscordGateway({ requiredShards: 2, maxConcurrency: 2, guilds: [] });
    const gw = discord({ token: server.token, intents: 1, shardCount: 'auto', gatewayBot: { apiUrl: server.apiUrl }, backoff });
    const seen = listen(gw.events$);
    const shards = new Set<number>();
    while (shards.size < 2) shards.add((await next(seen, (e) => e.type === 'Ready' && !shards.has(e.shard))).shard);
    expect([...shards].sort()).toEqual([0, 1]);
    expect(server.identifyCount).toBe(2);
    expect(server.sessionStartsRemaining).toBe(998);
  });

  it('session_start_limit remaining 0 → a RateLimitedError (onSessionStartLimit: error), no identify burnt', async () => {
    server = await startDiscordGateway({ sessionStartLimit: { total: 1000, remaining: 0, resetAfter: 3_600_000 } });
    const gw = discord({ token: server.token, intents: 1, gatewayBot: { apiUrl: server.apiUrl }, onSessionStartLimit: 'error', backoff });
    const err = await lastValueFrom(gw.events$.pipe(timeout(5000))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBeGreaterThan(3_500_000);
    expect(server.identifyCount).toBe(0);
  });

  it('an identify over 4096 bytes is never sent: the stream errors with an InvalidArgumentError, no retry loop', async () => {
    server = await startDiscordGateway();
    const gw = discord({ token: server.token, intents: 1, url: server.url, presence: { since: null, activities: [{ name: 'x'.repeat(5000), type: 0 }], status: 'online', afk: false }, backoff });
    const events = await lastValueFrom(gw.events$.pipe(toArray(), timeout(5000))).catch((e: unknown) => e);
    expect(events).toBeInstanceOf(InvalidArgumentError);
    expect((events as Error).message).toMatch(/4096/);
    expect(server.identifyCount).toBe(0);
  });

  it('an unreachable resume_gateway_url: after 3 failed resumes there, resumes on the base URL', async () => {
    server = await startDiscordGateway({ resumeGatewayUrl: 'ws://127.0.0.1:1' });
    const gw = discord({ token: server.token, intents: 1, url: server.url, backoff });
    const seen = listen(gw.events$);
    await next(seen, (e) => e.type === 'Ready');
    server.killSockets();
    await next(seen, (e) => e.type === 'Resumed');
    const upTo: DiscordEvent[] = [];
    await next(seen, (e) => (upTo.push(e), e.type === 'Resumed'));
    const tried = upTo.filter((e) => e.type === 'Connecting').map((e) => (e.type === 'Connecting' ? e.data.url.split('?')[0] : ''));
    expect(tried).toEqual([server.url, 'ws://127.0.0.1:1', 'ws://127.0.0.1:1', 'ws://127.0.0.1:1', server.url]);
    expect(server.resumeCount).toBe(1);
    expect(server.identifyCount).toBe(1);
  });

  it('session persistence: closeSession keep + updateSessionInfo, then a new handle resumes with retrieveSessionInfo', async () => {
    server = await startDiscordGateway();
    const store = new Map<number, DiscordSessionInfo | null>();
    const hooks = { retrieveSessionInfo: (id: number) => store.get(id) ?? undefined, updateSessionInfo: (id: number, info: DiscordSessionInfo | null) => void store.set(id, info) };
    const one = discord({ token: server.token, intents: 1, url: server.url, closeSession: 'keep', ...hooks, backoff });
    const a = listen(one.events$);
    await next(a, (e) => e.type === 'GuildCreate');
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('seen'));
    await next(a, (e) => e.type === 'MessageCreate');
    const closed = once(server.events, 'close');
    subs.pop()?.unsubscribe();
    expect(await closed).toEqual([4200]);
    expect(store.get(0)).toMatchObject({ shardId: 0, shardCount: 1, sessionId: 'local-session-1', sequence: 3 });
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('missed while down'));
    const two = discord({ token: server.token, intents: 1, url: server.url, ...hooks, backoff, identifyThrottler: createIdentifyThrottler() });
    const b = listen(two.events$);
    const m = await next(b, (e) => e.type === 'MessageCreate');
    expect(m.type === 'MessageCreate' && m.data.content).toBe('missed while down');
    await next(b, (e) => e.type === 'Resumed');
    expect(server.resumeCount).toBe(1);
    expect(server.identifyCount).toBe(1);
  });

  it('the url option: no "/" is added before the query and v= is not repeated', async () => {
    server = await startDiscordGateway();
    const urls: string[] = [];
    server.events.on('connection', (c: { url: string }) => urls.push(c.url));
    const gw = discord({ token: server.token, intents: 1, url: `${server.url}/?v=10`, backoff });
    const seen = listen(gw.events$);
    const c = await next(seen, (e) => e.type === 'Connecting');
    expect(c.type === 'Connecting' && c.data.url).toBe(`${server.url}/?v=10&encoding=json`);
    await next(seen, (e) => e.type === 'Ready');
    expect(urls).toEqual(['/?v=10&encoding=json']);
  });
});
