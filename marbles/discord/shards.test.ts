import { discordGateway, shardFor } from '../../src/gateway/discord';
import { testScheduler } from '../helpers';
import { FakeGateway } from '../../src/testing';

describe('sharding (virtual time)', () => {
  it('runs N shards as one stream, identifies them one bucket slot per 5 s, and tags every event with its shard', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const gw = discordGateway({ token: 't', intents: 1, url: 'wss://g', shardCount: 4, maxConcurrency: 2, scheduler: ts, random: () => 0.5, transport: fake.transport });
      const ready: Array<[number, number]> = [];
      const sub = gw.events$.subscribe((e) => {
        if (e.type === 'Ready') ready.push([ts.now(), e.shard]);
      });
      ts.schedule(() => sub.unsubscribe(), 20_000);
      flush();
      const identifies = fake.sent.filter((s) => s.op === 2).map((s) => [s.t, (s.d as { shard: number[] }).shard]);
      expect(identifies).toEqual([
        [0, [0, 4]],
        [0, [1, 4]],
        [5250, [2, 4]],
        [5250, [3, 4]],
      ]);
      expect(ready).toEqual([
        [0, 0],
        [0, 1],
        [5250, 2],
        [5250, 3],
      ]);
    });
  });

  it('shardFor: (guild_id >> 22) % n, DMs on shard 0', () => {
    expect(shardFor('81384788765712384', 1)).toBe(0);
    expect(shardFor('81384788765712384', 16)).toBe(Number((81384788765712384n >> 22n) % 16n));
    expect(shardFor(undefined, 8)).toBe(0);
    expect(shardFor(41771983423143937n, 2)).toBe(Number((41771983423143937n >> 22n) % 2n));
  });
});
