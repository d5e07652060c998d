/**
 * The local gateway must satisfy a real client: @discordjs/ws 2.0.4 connects
 * to it (fetchGatewayInformation pointed at it), identifies, gets Ready, and
 * receives a dispatched MESSAGE_CREATE — plain and with zlib-stream — and
 * resumes after its socket is killed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CompressionMethod, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { GatewayDispatchEvents, GatewayIntentBits, type APIGatewayBotInfo, type GatewayDispatchPayload } from 'discord-api-types/v10';
import { discordMessageCreate, startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';

let server: DiscordLocalGateway;
let manager: WebSocketManager | undefined;
afterEach(async () => {
  await manager?.destroy();
  manager = undefined;
  await server?.close();
});

function within<T>(p: Promise<T>, ms = 10_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms).unref())]);
}

function nextDispatch(m: WebSocketManager, t: GatewayDispatchEvents): Promise<GatewayDispatchPayload> {
  return within(
    new Promise((resolve) => {
      const on = (payload: GatewayDispatchPayload) => {
        if (payload.t === t) {
          m.off(WebSocketShardEvents.Dispatch, on);
          resolve(payload);
        }
      };
      m.on(WebSocketShardEvents.Dispatch, on);
    }),
  );
}

function managerFor(compression: CompressionMethod | null): WebSocketManager {
  const info: APIGatewayBotInfo = { url: server.url, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 } };
  const m = new WebSocketManager({
    token: server.token,
    intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages,
    rest: {} as unknown as ConstructorParameters<typeof WebSocketManager>[0]['rest'],
    compression,
  });
  m.fetchGatewayInformation = async () => info;
  return m;
}

describe('@discordjs/ws against the local gateway', () => {
  it('gets Ready and a dispatched MESSAGE_CREATE (plain JSON, in process)', async () => {
    server = await startDiscordGateway();
    manager = managerFor(null);
    const ready = within(new Promise((resolve) => manager?.once(WebSocketShardEvents.Ready, resolve)));
    await within(manager.connect());
    await ready;
    const got = nextDispatch(manager, GatewayDispatchEvents.MessageCreate);
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('hello discord.js'));
    const payload = await got;
    expect(payload.t === GatewayDispatchEvents.MessageCreate && payload.d.content).toBe('hello discord.js');
    expect(server.identifyCount).toBe(1);
  });

  it('gets Ready and a dispatched MESSAGE_CREATE over zlib-stream (in a child process)', async () => {
    server = await startDiscordGateway();
    const compressed: boolean[] = [];
    server.events.on('connection', (c: { compressed: boolean }) => compressed.push(c.compressed));
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'discordjs-client.ts'), server.url, server.token, 'zlib'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    const done = within(
      new Promise<void>((resolve) => {
        lines.on('line', (line) => {
          const o = JSON.parse(line) as { event: string; content?: string };
          seen.push(o.content ?? o.event);
          if (o.event === 'ready') server.dispatch('MESSAGE_CREATE', discordMessageCreate('compressed hello'));
          if (o.event === 'message') resolve();
        });
      }),
      20_000,
    ).finally(() => child.kill());
    await done;
    expect(seen).toEqual(['ready', 'compressed hello']);
    expect(compressed).toEqual([true]);
  }, 30_000);

  it('resumes after its socket is killed and receives the missed event', async () => {
    server = await startDiscordGateway();
    manager = managerFor(null);
    const ready = within(new Promise((resolve) => manager?.once(WebSocketShardEvents.Ready, resolve)));
    await within(manager.connect());
    await ready;
    const resumed = nextDispatch(manager, GatewayDispatchEvents.Resumed);
    const missed = nextDispatch(manager, GatewayDispatchEvents.MessageCreate);
    server.killSockets();
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('while away'));
    const m = await missed;
    await resumed;
    expect(m.t === GatewayDispatchEvents.MessageCreate && m.d.content).toBe('while away');
    expect(server.resumeCount).toBe(1);
    expect(server.identifyCount).toBe(1);
  });
});
