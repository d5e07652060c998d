import { map, throwError, type Subscription } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { FatalCloseError, TransportClosedError } from '../../src/core';
import { createIdentifyThrottler, shardEvents, type DiscordEvent, type ShardOptions } from '../../src/gateway/discord';
import { testScheduler } from '../helpers';
import { FakeGateway } from '../../src/testing';

const TOKEN = 'marble-secret-token';

function options(ts: TestScheduler, fake: FakeGateway, extra: Partial<ShardOptions> = {}): ShardOptions {
  return {
    token: TOKEN,
    intents: 1,
    shard: [0, 1],
    url: 'wss://gateway.example',
    scheduler: ts,
    random: () => 0.25,
    backoff: { initialDelay: 100, maxDelay: 1000, jitter: 'none' },
    throttler: createIdentifyThrottler({ scheduler: ts }),
    transport: fake.transport,
    ...extra,
  };
}

/** Runs a shard for `ms` of virtual time, recording [time, type] of each event and the error. */
function record(ts: TestScheduler, fake: FakeGateway, ms: number, script: () => void, extra: Partial<ShardOptions> = {}) {
  const events: Array<[number, string]> = [];
  const full: DiscordEvent[] = [];
  let error: unknown;
  let sub: Subscription | undefined;
  ts.schedule(() => {
    sub = shardEvents(options(ts, fake, extra)).subscribe({
      next: (e) => {
        events.push([ts.now(), e.type]);
        full.push(e);
      },
      error: (e: unknown) => (error = e),
    });
  }, 0);
  script();
  ts.schedule(() => sub?.unsubscribe(), ms);
  return { events, full, error: () => error };
}

describe('Discord session (virtual time)', () => {
  it('identifies after Hello and beats first after interval × random, then every interval', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 1000 });
      const r = record(ts, fake, 3500, () => undefined);
      flush();
      expect(fake.ops()).toEqual([
        [0, 2],
        [250, 1],
        [1250, 1],
        [2250, 1],
        [3250, 1],
      ]);
      expect(r.events.slice(0, 4)).toEqual([
        [0, 'Connecting'],
        [0, 'Connected'],
        [0, 'Hello'],
        [0, 'Ready'],
      ]);
      // the heartbeat carries the last seq seen
      expect(fake.sent[1].d).toBe(1);
    });
  });

  it('beats at once when the server asks (op 1)', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 1000 });
      record(ts, fake, 600, () => ts.schedule(() => fake.current.frame(1, null), 100));
      flush();
      expect(fake.ops()).toEqual([
        [0, 2],
        [100, 1],
        [250, 1],
      ]);
    });
  });

  it('detects a zombie (no ACK by the next beat), drops the socket and resumes with the last seq', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 1000, ack: false });
      const r = record(ts, fake, 1400, () => ts.schedule(() => (fake.ack = true), 1000));
      flush();
      expect(fake.ops()).toEqual([
        [0, 2],
        [250, 1],
        [1250, 6],
      ]);
      expect(fake.sent[2].d).toEqual({ token: TOKEN, session_id: 'S1', seq: 1 });
      expect(fake.conns[1].url).toBe('wss://resume.example?v=10&encoding=json');
      expect(r.events).toEqual([
        [0, 'Connecting'],
        [0, 'Connected'],
        [0, 'Hello'],
        [0, 'Ready'],
        [1250, 'Disconnected'],
        [1250, 'Reconnecting'],
        [1250, 'Connecting'],
        [1250, 'Connected'],
        [1250, 'Hello'],
        [1250, 'Resumed'],
      ]);
      expect(r.full[4]).toMatchObject({ data: { code: 1006, willReconnect: true } });
      expect(r.full[5]).toMatchObject({ data: { attempt: 1, resume: true, delay: 0 } });
    });
  });

  it('op 7: closes with a non-1000 code and resumes on resume_gateway_url, even before Hello', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 10_000 });
      const r = record(ts, fake, 200, () => ts.schedule(() => fake.current.frame(7, null), 50));
      flush();
      expect(fake.ops()).toEqual([
        [0, 2],
        [50, 6],
      ]);
      expect(r.full.find((e) => e.type === 'Disconnected')).toMatchObject({ data: { code: 4200 } });
      expect(fake.conns[1].url).toMatch(/^wss:\/\/resume\.example/);
      expect(r.events.map((e) => e[1])).toEqual(['Connecting', 'Connected', 'Hello', 'Ready', 'Disconnected', 'Reconnecting', 'Connecting', 'Connected', 'Hello', 'Resumed']);
    });
  });

  it('op 9 d=true resumes; op 9 d=false forgets the session and identifies again after 1–5 s', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const r = record(ts, fake, 6000, () => {
        ts.schedule(() => fake.current.frame(9, true), 10);
        ts.schedule(() => fake.current.frame(9, false), 20);
      });
      flush();
      // Reconnect 1000 + 0.25 × 4000 = 2000 ms after the op 9 false at 20; the identify then
      // waits for the bucket's next slot: 5 s + the 250 ms margin after the first identify at 0.
      expect(fake.ops()).toEqual([
        [0, 2],
        [10, 6],
        [5250, 2],
      ]);
      expect(r.events.filter((e) => e[1] === 'Connecting').map((e) => e[0])).toEqual([0, 10, 2020]);
      expect(r.full.filter((e) => e.type === 'InvalidSession').map((e) => e.data)).toEqual([{ resumable: true }, { resumable: false }]);
      expect(r.full.filter((e) => e.type === 'Disconnected').map((e) => e.type === 'Disconnected' && e.data.code)).toEqual([4200, 1000]);
      expect(r.full.filter((e) => e.type === 'Reconnecting').map((e) => e.data)).toEqual([
        { attempt: 1, resume: true, delay: 0 },
        { attempt: 1, resume: false, delay: 2000 },
      ]);
    });
  });

  it('replays missed events in order, then Resumed, as the server sends them', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const msg = (content: string) => ({ id: content, channel_id: '1', author: { id: '2', username: 'u', discriminator: '0', global_name: null, avatar: null }, content, timestamp: 't', edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0 });
      const r = record(ts, fake, 500, () => {
        ts.schedule(() => fake.dispatch('MESSAGE_CREATE', msg('a')), 10);
        ts.schedule(() => {
          fake.replay = [
            ['MESSAGE_CREATE', msg('b')],
            ['MESSAGE_CREATE', msg('c')],
          ];
          fake.current.serverClose(1006);
        }, 20);
      });
      flush();
      expect(fake.sent.find((s) => s.op === 6)?.d).toEqual({ token: TOKEN, session_id: 'S1', seq: 2 });
      expect(r.full.filter((e) => e.type === 'MessageCreate' || e.type === 'Resumed').map((e) => [e.type, e.seq, e.type === 'MessageCreate' ? e.data.content : ''])).toEqual([
        ['MessageCreate', 2, 'a'],
        ['MessageCreate', 3, 'b'],
        ['MessageCreate', 4, 'c'],
        ['Resumed', 5, ''],
      ]);
    });
  });

  it('errors the stream with a FatalCloseError on 4004 (marble)', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      ts.schedule(() => fake.current.serverClose(4004), 10);
      const types$ = shardEvents(options(ts, fake)).pipe(map((e) => e.type));
      expectObservable(types$).toBe(
        '(abcd) 4ms (ef#)',
        { a: 'Connecting', b: 'Connected', c: 'Hello', d: 'Ready', e: 'Disconnected', f: 'Closed' },
        new FatalCloseError(4004, 'authentication failed', 'the bot token was refused; check the token you configured (it is not shown here). rxwire will not reconnect with it'),
      );
    });
  });

  it('backs off between failed reconnects and resets after Ready', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000, hello: false });
      // No Hello ever: each connection times out (helloTimeout 50) and reconnects.
      const r = record(ts, fake, 1000, () => undefined, { helloTimeout: 50 });
      flush();
      const delays = r.full.filter((e) => e.type === 'Reconnecting').map((e) => e.type === 'Reconnecting' && e.data.delay);
      expect(delays.slice(0, 4)).toEqual([0, 100, 200, 400]);
    });
  });

  it('keeps reconnecting through connection errors (refused, DNS) with backoff, then identifies', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      let attempts = 0;
      const flaky = (url: string) => (++attempts <= 3 ? throwError(() => new TransportClosedError('could not connect: ECONNREFUSED')) : fake.transport(url));
      const r = record(ts, fake, 2000, () => undefined, { transport: flaky });
      flush();
      expect(r.events.filter((e) => e[1] === 'Connecting').map((e) => e[0])).toEqual([0, 0, 100, 300]);
      expect(r.events[r.events.length - 1]).toEqual([300, 'Ready']);
      expect(fake.ops()).toEqual([[300, 2]]);
    });
  });

  it('identifies again on a fresh connection when Ready does not come within readyTimeout', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      fake.ready = false;
      const r = record(ts, fake, 7000, () => ts.schedule(() => (fake.ready = true), 1000), { readyTimeout: 1000 });
      flush();
      // identify at 0; no Ready by 1000 → drop, reconnect at once (new session), identify in the next 5 s slot
      expect(fake.ops()).toEqual([
        [0, 2],
        [5250, 2],
      ]);
      expect(r.full.find((e) => e.type === 'Reconnecting')).toMatchObject({ data: { attempt: 1, resume: false, delay: 0 } });
      expect(r.events[r.events.length - 1]).toEqual([5250, 'Ready']);
    });
  });
});
