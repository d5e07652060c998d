import { once } from 'node:events';
import { firstValueFrom, lastValueFrom, ReplaySubject, timeout, toArray, type Subscription } from 'rxjs';
import { InvalidArgumentError, RateLimitedError } from '../../src/core';
import { discordGateway, type DiscordEvent } from '../../src/gateway/discord';
import { startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';
import { next } from './helpers';

let server: DiscordLocalGateway;
let sub: Subscription | undefined;
afterEach(async () => {
  sub?.unsubscribe();
  await server?.close();
});

async function connected() {
  server = await startDiscordGateway();
  const gw = discordGateway({ token: server.token, intents: 1, url: server.url });
  const seen = new ReplaySubject<DiscordEvent>();
  sub = gw.events$.subscribe(seen);
  await next(seen, (e) => e.type === 'Ready');
  return gw;
}

describe('Discord actions', () => {
  it('updatePresence and updateVoiceState send op 3 and op 4 and complete', async () => {
    const gw = await connected();
    await firstValueFrom(gw.updatePresence({ since: null, activities: [{ name: 'tests', type: 0 }], status: 'dnd', afk: false }).pipe(timeout(5000)));
    await firstValueFrom(gw.updateVoiceState({ guild_id: '81384788765712384', channel_id: null, self_mute: true, self_deaf: false }).pipe(timeout(5000)));
    while (server.received.length < 2) await once(server.events, 'received');
    expect(server.received.map((r) => r.op)).toEqual([3, 4]);
    expect(server.received[0].d).toMatchObject({ status: 'dnd' });
    expect(server.received[1].d).toMatchObject({ guild_id: '81384788765712384', self_mute: true });
  });

  it('requestGuildMembers emits the chunks answering its nonce and completes after the last', async () => {
    const gw = await connected();
    const chunks = await lastValueFrom(gw.requestGuildMembers({ guild_id: '81384788765712384', query: '', limit: 0 }).pipe(toArray(), timeout(5000)));
    expect(chunks.map((c) => [c.data.chunk_index, c.data.members.length])).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(typeof chunks[0].data.nonce).toBe('string');
  });

  it('requestGuildMembers errors with a RateLimitedError on a RATE_LIMITED dispatch', async () => {
    const gw = await connected();
    server.rateLimitGuildMembers(2.5);
    const err = await lastValueFrom(gw.requestGuildMembers({ guild_id: '81384788765712384', query: 'a' }).pipe(timeout(5000))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(2500);
  });

  it('refuses a payload over 4096 bytes before sending it', async () => {
    const gw = await connected();
    const err = await firstValueFrom(gw.updatePresence({ since: null, activities: [{ name: 'x'.repeat(5000), type: 0 }], status: 'online', afk: false })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(server.received).toEqual([]);
  });
});

describe('local gateway limits', () => {
  it('closes with 4002 on a payload over 4096 bytes and 4008 over 120 sends a minute', async () => {
    server = await startDiscordGateway();
    const { default: WebSocket } = await import('ws');
    const codes: number[] = [];
    for (const [abuse, expected] of [
      [(ws: InstanceType<typeof WebSocket>) => ws.send(JSON.stringify({ op: 3, d: 'x'.repeat(5000) })), 4002],
      [(ws: InstanceType<typeof WebSocket>) => { for (let i = 0; i < 125; i++) ws.send(JSON.stringify({ op: 1, d: null })); }, 4008],
    ] as const) {
      const ws = new WebSocket(`${server.url}/?v=10&encoding=json`);
      await once(ws, 'open');
      abuse(ws);
      const [code] = (await once(ws, 'close')) as [number];
      codes.push(code);
      expect(code).toBe(expected);
    }
    expect(codes).toEqual([4002, 4008]);
  });

  it('closes with 4003 when a client sends before identifying, and 4010/4011/4013/4014 for bad identify fields', async () => {
    server = await startDiscordGateway({ requiredShards: 2, disallowedIntents: 1 << 1 });
    const { default: WebSocket } = await import('ws');
    const cases: Array<[unknown, number]> = [
      [{ op: 3, d: {} }, 4003],
      [{ op: 2, d: { token: server.token, intents: 1, shard: [2, 2], properties: {} } }, 4010],
      [{ op: 2, d: { token: server.token, intents: 1, shard: [0, 1], properties: {} } }, 4011],
      [{ op: 2, d: { token: server.token, intents: -1, shard: [0, 2], properties: {} } }, 4013],
      [{ op: 2, d: { token: server.token, intents: 2, shard: [0, 2], properties: {} } }, 4014],
    ];
    for (const [msg, expected] of cases) {
      const ws = new WebSocket(`${server.url}/?v=10&encoding=json`);
      await once(ws, 'open');
      ws.send(JSON.stringify(msg));
      const [code] = (await once(ws, 'close')) as [number];
      expect(code).toBe(expected);
    }
  });
});
