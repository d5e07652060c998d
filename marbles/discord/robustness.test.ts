/**
 * Hostile and incomplete input the session must survive (issues 12, 19):
 * prototype-key dispatch names, READY without resume_gateway_url, outage
 * GUILD_CREATE, a poisoned resume_gateway_url, an unreachable resume URL.
 */
import type { Subscription } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { createIdentifyThrottler, discord, discordSessionStep, initialDiscordSession, shardEvents, type DiscordEvent, type DiscordSessionState, type ShardOptions } from '../../src/gateway/discord';
import { testScheduler } from '../helpers';
import { FakeGateway } from '../../src/testing';

const config = {
  token: 'robust-secret',
  intents: 1,
  shard: [0, 1] as const,
  properties: { os: 'linux', browser: 'rxwire', device: 'rxwire' },
  gatewayUrl: 'wss://gateway.example',
  query: 'v=10&encoding=json',
  random: () => 0.5,
  backoff: { initialDelay: 1000, maxDelay: 60_000 },
  helloTimeout: 60_000,
  readyTimeout: 15_000,
};

function helloed(): DiscordSessionState {
  let s = initialDiscordSession(config);
  s = discordSessionStep(s, { kind: 'Start' })[0];
  s = discordSessionStep(s, { kind: 'Open', conn: 1 })[0];
  return discordSessionStep(s, { kind: 'Frame', conn: 1, frame: { op: 10, d: { heartbeat_interval: 1000 }, s: null, t: null } })[0];
}
const user = { id: '1', username: 'b', discriminator: '0', global_name: null, avatar: null };
const application = { id: '1', flags: 0 };
const emitted = (out: ReturnType<typeof discordSessionStep>[1]) => out.flatMap((o) => (o.kind === 'Emit' ? [o.event] : []));

describe('dispatch names that are Object prototype keys', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', ''])('%j → a Dispatch event, never a throw', (name) => {
    const [, out] = discordSessionStep(helloed(), { kind: 'Frame', conn: 1, frame: { op: 0, d: { x: 1 }, s: 2, t: name } });
    expect(emitted(out)).toEqual([{ source: 'discord', type: 'Dispatch', shard: 0, seq: 2, data: { name, data: { x: 1 } } }]);
  });
});

describe('incomplete READY and GUILD_CREATE', () => {
  it('READY without resume_gateway_url is a Ready; the session is ready and resumes on the configured URL', () => {
    const [s, out] = discordSessionStep(helloed(), { kind: 'Frame', conn: 1, frame: { op: 0, d: { v: 10, user, guilds: [], session_id: 'S', application }, s: 1, t: 'READY' } });
    expect(emitted(out).map((e) => e.type)).toEqual(['Ready']);
    expect(s.phase).toBe('ready');
    expect(s.resumeUrl).toBeUndefined();
    const [s2] = discordSessionStep(s, { kind: 'Closed', conn: 1, code: 1006, reason: '', byClient: false });
    const [, out3] = discordSessionStep(s2, { kind: 'Timer', conn: 1, name: 'reconnect' });
    expect(out3).toContainEqual({ kind: 'Connect', conn: 2, url: 'wss://gateway.example?v=10&encoding=json' });
  });

  it('a READY that fails its codec still makes the session ready (actions do not hang)', () => {
    const [s, out] = discordSessionStep(helloed(), { kind: 'Frame', conn: 1, frame: { op: 0, d: { v: 'ten', session_id: 'S' }, s: 1, t: 'READY' } });
    expect(emitted(out).map((e) => e.type)).toEqual(['DecodeError']);
    expect(s.phase).toBe('ready');
    expect(s.sessionId).toBe('S');
  });

  it('GUILD_CREATE {id, unavailable: true} (an outage) is a GuildCreate', () => {
    const [, out] = discordSessionStep(helloed(), { kind: 'Frame', conn: 1, frame: { op: 0, d: { id: '81384788765712384', unavailable: true }, s: 3, t: 'GUILD_CREATE' } });
    expect(emitted(out)).toEqual([{ source: 'discord', type: 'GuildCreate', shard: 0, seq: 3, data: { id: '81384788765712384', unavailable: true } }]);
  });
});

describe('resume_gateway_url policy', () => {
  const ready = (url: string) => discordSessionStep(helloed(), { kind: 'Frame', conn: 1, frame: { op: 0, d: { v: 10, user, guilds: [], session_id: 'S', resume_gateway_url: url, application }, s: 1, t: 'READY' } });
  it.each([
    ['wss://gateway-us-east1-b.discord.gg', 'wss://gateway-us-east1-b.discord.gg'],
    ['ws://evil.example', undefined],
    ['http://gateway.example', undefined],
    ['wss://user:pw@evil.example', undefined],
    ['not a url', undefined],
  ])('%s → %s', (offered, accepted) => {
    const [s, out] = ready(offered);
    expect(s.resumeUrl).toBe(accepted);
    expect(out.some((o) => o.kind === 'Log' && o.level === 'warn')).toBe(accepted === undefined);
  });

  it('accepts ws:// on the configured host (local tests)', () => {
    let s = initialDiscordSession({ ...config, gatewayUrl: 'ws://127.0.0.1:5555' });
    s = discordSessionStep(s, { kind: 'Start' })[0];
    s = discordSessionStep(s, { kind: 'Open', conn: 1 })[0];
    s = discordSessionStep(s, { kind: 'Frame', conn: 1, frame: { op: 10, d: { heartbeat_interval: 1000 }, s: null, t: null } })[0];
    s = discordSessionStep(s, { kind: 'Frame', conn: 1, frame: { op: 0, d: { v: 10, user, guilds: [], session_id: 'S', resume_gateway_url: 'ws://127.0.0.1:6666', application }, s: 1, t: 'READY' } })[0];
    expect(s.resumeUrl).toBe('ws://127.0.0.1:6666');
  });
});

function shardOpts(ts: TestScheduler, fake: FakeGateway, extra: Partial<ShardOptions> = {}): ShardOptions {
  return { token: 't', intents: 1, shard: [0, 1], url: 'wss://gateway.example', scheduler: ts, random: () => 0.25, backoff: { initialDelay: 100, maxDelay: 1000, jitter: 'none' }, throttler: createIdentifyThrottler({ scheduler: ts }), transport: fake.transport, ...extra };
}

describe('unreachable resume_gateway_url (virtual time)', () => {
  it('after 3 resumes that never get Hello on the resume URL, resumes on the base URL', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const base = fake.transport;
      // connections to the resume URL open and then hear nothing
      const transport = (url: string) => {
        fake.hello = !url.startsWith('wss://resume.example');
        return base(url);
      };
      const events: DiscordEvent[] = [];
      let sub: Subscription | undefined;
      ts.schedule(() => (sub = shardEvents(shardOpts(ts, fake, { transport, helloTimeout: 50 })).subscribe((e) => events.push(e))), 0);
      ts.schedule(() => fake.current.serverClose(4000), 10);
      ts.schedule(() => sub?.unsubscribe(), 5000);
      flush();
      const urls = fake.conns.map((c) => c.url.split('?')[0]);
      expect(urls).toEqual(['wss://gateway.example', 'wss://resume.example', 'wss://resume.example', 'wss://resume.example', 'wss://gateway.example']);
      expect(fake.sent.filter((s) => s.op === 6)).toHaveLength(1);
      expect(fake.sent.find((s) => s.op === 6)?.conn).toBe(5);
      expect(events[events.length - 1].type).toBe('Resumed');
    });
  });
});

describe('the identify throttler outlives a subscription (virtual time)', () => {
  it('unsubscribing and subscribing again waits for the bucket slot (5 s + margin after the first identify)', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const fake = new FakeGateway(ts, { interval: 100_000 });
      const gw = discord({ token: 't', intents: 1, url: 'wss://g', scheduler: ts, random: () => 0.5, transport: fake.transport });
      let sub = gw.events$.subscribe();
      ts.schedule(() => sub.unsubscribe(), 10);
      ts.schedule(() => (sub = gw.events$.subscribe()), 20);
      ts.schedule(() => sub.unsubscribe(), 8000);
      flush();
      expect(fake.sent.filter((s) => s.op === 2).map((s) => s.t)).toEqual([0, 5250]);
    });
  });
});
