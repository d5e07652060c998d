/**
 * Discord's session rules in virtual time (issue 12); the integration tests
 * against the local gateway are in test/discord/session-rules.test.ts.
 */
import type { Subscription } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { InvalidArgumentError, RateLimitedError } from '../../src/core';
import { createIdentifyThrottler, discord, gatewayUrl, shardEvents, type DiscordEvent, type DiscordSessionInfo, type ShardOptions } from '../../src/gateway/discord';
import { createSendQueue } from '../../src/gateway/transport';
import { testScheduler } from '../helpers';
import { FakeGateway } from '../../src/testing';

function opts(ts: TestScheduler, fake: FakeGateway, extra: Partial<ShardOptions> = {}): ShardOptions {
  return { token: 't', intents: 1, shard: [0, 1], url: 'wss://gateway.example', scheduler: ts, random: () => 0.25, backoff: { initialDelay: 100, maxDelay: 1000, jitter: 'none' }, throttler: createIdentifyThrottler({ scheduler: ts }), transport: fake.transport, ...extra };
}

describe('identify spacing and session start limit (virtual time)', () => {
  it('each bucket gets one slot per 5 s + 250 ms, counted from the grant', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const th = createIdentifyThrottler({ scheduler: ts });
      const at: number[] = [];
      th.acquire(0).subscribe(() => at.push(ts.now()));
      ts.schedule(() => th.acquire(0).subscribe(() => at.push(ts.now())), 4000);
      ts.schedule(() => th.acquire(0).subscribe(() => at.push(ts.now())), 20_000);
      flush();
      expect(at).toEqual([0, 5250, 20_000]);
    });
  });

  it('with remaining 0, the next identify waits for reset_after (wait) and never fires before it', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const th = createIdentifyThrottler({ scheduler: ts, sessionStartLimit: { total: 5, remaining: 1, reset_after: 30_000, max_concurrency: 1 } });
      const at: number[] = [];
      th.acquire(0).subscribe(() => at.push(ts.now()));
      th.acquire(0).subscribe(() => at.push(ts.now()));
      flush();
      expect(at).toEqual([0, 30_000]);
    });
  });

  it('with remaining 0 and onExhausted error, acquire errors with a RateLimitedError carrying the wait', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const th = createIdentifyThrottler({ scheduler: ts, onExhausted: 'error', sessionStartLimit: { total: 5, remaining: 0, reset_after: 30_000, max_concurrency: 1 } });
      let err: unknown;
      th.acquire(0).subscribe({ error: (e: unknown) => (err = e) });
      flush();
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).toBe(30_000);
    });
  });

  it("shardCount 'auto' uses GET /gateway/bot's shards and max_concurrency", () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const info = { url: 'wss://from-gateway-bot.example', shards: 3, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 3 } };
      const gw = discord({ token: 't', intents: 1, shardCount: 'auto', gatewayBot: () => info, scheduler: ts, random: () => 0.5, transport: fake.transport });
      const sub = gw.events$.subscribe();
      ts.schedule(() => sub.unsubscribe(), 1000);
      flush();
      expect(fake.sent.filter((s) => s.op === 2).map((s) => [s.t, (s.d as { shard: number[] }).shard])).toEqual([
        [0, [0, 3]],
        [0, [1, 3]],
        [0, [2, 3]],
      ]);
      expect(fake.conns[0].url).toBe('wss://from-gateway-bot.example?v=10&encoding=json');
    });
  });
});

describe('payload size and send limit (virtual time)', () => {
  it('an identify over 4096 bytes is never sent: Closed, then an InvalidArgumentError, no reconnect', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const types: string[] = [];
      let error: unknown;
      shardEvents(opts(ts, fake, { presence: { status: 'online', activities: [{ name: 'x'.repeat(4100), type: 0 }], since: null, afk: false } })).subscribe({ next: (e) => types.push(e.type), error: (e: unknown) => (error = e) });
      flush();
      expect(fake.sent).toEqual([]);
      expect(fake.conns).toHaveLength(1);
      expect(types).toEqual(['Connecting', 'Connected', 'Hello', 'Closed']);
      expect(error).toBeInstanceOf(InvalidArgumentError);
    });
  });

  it('an identify presence JSON cannot serialize fails the stream with a typed error, never a throw', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const presence: Record<string, unknown> = { status: 'online' };
      presence.self = presence;
      let error: unknown;
      shardEvents(opts(ts, fake, { presence })).subscribe({ error: (e: unknown) => (error = e) });
      flush();
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(fake.sent).toEqual([]);
    });
  });

  it('120 per 60 s holds for priority sends too: they skip the line but wait when the window is full', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const sent: Array<[number, string]> = [];
      const q = createSendQueue((d) => (sent.push([ts.now(), String(d)]), true), { limit: 3, reserve: 1, windowMs: 1000, scheduler: ts });
      for (const m of ['p1', 'p2', 'p3', 'p4']) q.send(m, true);
      q.send('n1');
      flush();
      expect(sent).toEqual([
        [0, 'p1'],
        [0, 'p2'],
        [0, 'p3'],
        [1000, 'p4'],
        [1000, 'n1'],
      ]);
    });
  });

  it('done(true) once written; done(false) for what a dispose dropped', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const results: Array<[string, boolean]> = [];
      const q = createSendQueue(() => true, { limit: 2, reserve: 0, windowMs: 1000, scheduler: ts });
      for (const m of ['a', 'b', 'c']) q.send(m, false, (ok) => results.push([m, ok]));
      ts.schedule(() => q.dispose(), 500);
      flush();
      expect(results).toEqual([
        ['a', true],
        ['b', true],
        ['c', false],
      ]);
    });
  });
});

describe('session persistence hooks (virtual time)', () => {
  it('stores the session, keeps it on unsubscribe (close 4200), and a new shard resumes from it', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const store = new Map<number, DiscordSessionInfo | null>();
      const hooks: Partial<ShardOptions> = { closeSession: 'keep', retrieveSessionInfo: (id) => store.get(id), updateSessionInfo: (id, info) => void store.set(id, info) };
      let sub: Subscription | undefined;
      const events: DiscordEvent[] = [];
      ts.schedule(() => (sub = shardEvents(opts(ts, fake, hooks)).subscribe((e) => events.push(e))), 0);
      ts.schedule(() => fake.dispatch('TYPING_START', { channel_id: '1', user_id: '2', timestamp: 1 }), 10);
      ts.schedule(() => sub?.unsubscribe(), 20);
      ts.schedule(() => (sub = shardEvents(opts(ts, fake, hooks)).subscribe((e) => events.push(e))), 30);
      ts.schedule(() => sub?.unsubscribe(), 40);
      flush();
      expect(fake.sent.map((s) => s.op).filter((op) => op !== 1)).toEqual([2, 6]);
      expect(fake.sent.find((s) => s.op === 6)?.d).toEqual({ token: 't', session_id: 'S1', seq: 2 });
      expect(fake.conns[1].url).toMatch(/^wss:\/\/resume\.example\?/);
      expect(events.filter((e) => e.type === 'Resumed')).toHaveLength(1);
      expect(store.get(0)).toMatchObject({ sessionId: 'S1', shardCount: 1 });
    });
  });

  it("closeSession 'invalidate' (default) forgets the stored session on unsubscribe", () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const store = new Map<number, DiscordSessionInfo | null>();
      const sub = shardEvents(opts(ts, fake, { updateSessionInfo: (id, info) => void store.set(id, info) })).subscribe();
      ts.schedule(() => sub.unsubscribe(), 10);
      flush();
      expect(store.get(0)).toBeNull();
    });
  });
});

describe('the url option', () => {
  it.each([
    ['wss://gateway.discord.gg', 'wss://gateway.discord.gg?v=10&encoding=json'],
    ['wss://gateway.discord.gg/', 'wss://gateway.discord.gg/?v=10&encoding=json'],
    ['wss://gateway.discord.gg/?v=10', 'wss://gateway.discord.gg/?v=10&encoding=json'],
    ['wss://gateway.discord.gg?v=9&encoding=json', 'wss://gateway.discord.gg?v=9&encoding=json'],
    ['wss://g.example?x=1', 'wss://g.example?x=1&v=10&encoding=json'],
  ])('%s → %s', (base, url) => {
    expect(gatewayUrl(base, 'v=10&encoding=json')).toBe(url);
  });
});
