/**
 * The conformance corpus (test/discord/corpus/*.json): fixtures written from
 * Discord's documented example payloads and field tables (each records its
 * doc page and section), sent by the local gateway and read through the live
 * decode path (socket → inflate → frame parse → session → codec). Every
 * fixture must arrive as its typed event — never DecodeError, never Dispatch —
 * and every receive event Discord documents has at least one fixture.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayDispatchEvents } from 'discord-api-types/v10';
import { ReplaySubject, type Subscription } from 'rxjs';
import { discord, dispatchTypeName, type DiscordEvent } from '../../src/gateway/discord';
import { startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';
import { collect, next } from './helpers';

interface Fixture {
  readonly t: string;
  readonly source: string;
  readonly from: string;
  readonly d: unknown;
}

const dir = join(__dirname, 'corpus');
const fixtures: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { fixtures: Fixture[] }).fixtures);

let server: DiscordLocalGateway;
let sub: Subscription | undefined;
afterEach(async () => {
  sub?.unsubscribe();
  await server?.close();
});

describe('Discord conformance corpus', () => {
  it('has a fixture for every receive event in GatewayDispatchEvents, each naming its doc source', () => {
    const covered = new Set(fixtures.map((f) => f.t));
    expect((Object.values(GatewayDispatchEvents) as string[]).filter((n) => !covered.has(n))).toEqual([]);
    for (const f of fixtures) expect(f.source).toMatch(/^https:\/\/discord\.com\/developers\/docs\//);
    expect(fixtures.length).toBeGreaterThanOrEqual(86);
  });

  it.each(['none', 'zlib-stream'] as const)('every fixture decodes to its typed event through the live path (%s)', async (compress) => {
    server = await startDiscordGateway({ guilds: [] });
    const gw = discord({ token: server.token, intents: 1, url: server.url, compress });
    const seen = new ReplaySubject<DiscordEvent>();
    sub = gw.events$.subscribe(seen);
    const ready = await next(seen, (e) => e.type === 'Ready');
    const start = ready.seq as number;
    for (const f of fixtures) server.dispatch(f.t, f.d);
    const got = await collect(seen, (e) => e.seq !== undefined && e.seq > start, fixtures.length);
    const report = got.map((e, i) => ({ t: fixtures[i].t, from: fixtures[i].from, type: e.type, errors: e.type === 'DecodeError' ? e.data.errors : undefined }));
    expect(report.filter((r) => r.type !== dispatchTypeName(r.t))).toEqual([]);
    got.forEach((e, i) => expect(e.data).toEqual(fixtures[i].d));
  });
});
