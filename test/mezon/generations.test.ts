/**
 * Both schema generations end to end against the local server, both
 * framings: the client writes int32 cids by default and string cids with
 * `schemaGeneration: 'previous'`; the server answers in the generation the
 * request came in; joins, channel joins, pings and message acks resolve.
 */
import { lastValueFrom, filter, firstValueFrom, take } from 'rxjs';
import { mezon } from '../../src/gateway/mezon';
import { MezonSampleIds, startMezonServer, type MezonTestServer } from '../../src/testing/mezon';

let server: MezonTestServer;
beforeAll(async () => {
  server = await startMezonServer();
});
afterAll(() => server.close());

const combos = [
  ['protobuf', 'current'],
  ['protobuf', 'previous'],
  ['json', 'current'],
  ['json', 'previous'],
] as const;

test.each(combos)('%s framing, %s generation: requests resolve on their replies', async (format, schemaGeneration) => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, format, schemaGeneration, clans: [MezonSampleIds.clan], pingInterval: 50 });
  const before = server.received.length;
  const sub = m.events$.subscribe();
  try {
    await firstValueFrom(m.events$.pipe(filter((e) => e.type === 'Ready'), take(1)));
    await lastValueFrom(m.joinChannel({ clan_id: MezonSampleIds.clan, channel_id: MezonSampleIds.channel, channel_type: 1, is_public: true }));
    const ack = await lastValueFrom(m.sendMessage({ clan_id: MezonSampleIds.clan, channel_id: MezonSampleIds.channel, mode: 2, is_public: true, content: { t: schemaGeneration } }));
    expect(ack.message_id).toMatch(/^\d+$/);
    const mine = server.received.slice(before).filter((r) => r.format === format);
    expect(mine.length).toBeGreaterThanOrEqual(4);
    expect(mine.every((r) => r.cidString === (schemaGeneration === 'previous'))).toBe(true);
    expect(mine.every((r) => r.cid > 0)).toBe(true);
  } finally {
    sub.unsubscribe();
  }
});
