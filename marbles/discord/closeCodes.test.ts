import { FatalCloseError } from '../../src/core';
import { closeDecision, createIdentifyThrottler, discordSessionStep, initialDiscordSession, type DiscordSessionState } from '../../src/gateway/discord';
import { testScheduler } from '../helpers';

const config = {
  token: 'close-code-secret',
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

/** A session that got Ready on connection 1 (seq 5). */
function readyState(): DiscordSessionState {
  let s = initialDiscordSession(config);
  const feed = (i: Parameters<typeof discordSessionStep>[1]) => (s = discordSessionStep(s, i)[0]);
  feed({ kind: 'Start' });
  feed({ kind: 'Open', conn: 1 });
  feed({ kind: 'Frame', conn: 1, frame: { op: 10, d: { heartbeat_interval: 1000 }, s: null, t: null } });
  feed({ kind: 'Frame', conn: 1, frame: { op: 0, d: { v: 10, user: { id: '1', username: 'b', discriminator: '0', global_name: null, avatar: null }, guilds: [], session_id: 'S', resume_gateway_url: 'wss://r', application: { id: '1', flags: 0 } }, s: 5, t: 'READY' } });
  return s;
}

describe('each close code decides resume, new session or fatal', () => {
  const resume = [1005, 1006, 4000, 4001, 4002, 4008, 4200, 4999];
  const fresh = [1000, 1001, 4003, 4005, 4007, 4009];
  const fatal = [4004, 4010, 4011, 4012, 4013, 4014];

  it.each(resume)('%i → reconnect and resume with the last seq', (code) => {
    const [s, out] = discordSessionStep(readyState(), { kind: 'Closed', conn: 1, code, reason: '', byClient: false });
    expect(closeDecision(code).kind).toBe('resume');
    expect(out).toContainEqual(expect.objectContaining({ kind: 'Emit', event: expect.objectContaining({ type: 'Reconnecting', data: expect.objectContaining({ resume: true, delay: 0 }) }) }));
    expect(s.sessionId).toBe('S');
    expect(s.seq).toBe(5);
  });

  it.each(fresh)('%i → reconnect and identify a new session', (code) => {
    const [s, out] = discordSessionStep(readyState(), { kind: 'Closed', conn: 1, code, reason: '', byClient: false });
    expect(closeDecision(code).kind).toBe('new-session');
    expect(out).toContainEqual(expect.objectContaining({ kind: 'Emit', event: expect.objectContaining({ type: 'Reconnecting', data: expect.objectContaining({ resume: false, delay: 0 }) }) }));
    expect(s.sessionId).toBeUndefined();
    expect(s.seq).toBeNull();
  });

  it.each(fatal)('%i → the stream fails with a FatalCloseError that names the code, never the token', (code) => {
    const [, out] = discordSessionStep(readyState(), { kind: 'Closed', conn: 1, code, reason: 'x', byClient: false });
    const fail = out.find((o) => o.kind === 'Fail');
    expect(fail && fail.kind === 'Fail' && fail.error).toBeInstanceOf(FatalCloseError);
    const err = fail && fail.kind === 'Fail' ? (fail.error as FatalCloseError) : undefined;
    expect(err?.closeCode).toBe(code);
    expect(err?.message).toContain(String(code));
    expect(err?.message).not.toContain(config.token);
    expect(out.some((o) => o.kind === 'Connect' || (o.kind === 'StartTimer' && o.name === 'reconnect'))).toBe(false);
  });

  it('ignores a close from an old connection (it must not act on the new one)', () => {
    const s = readyState();
    const [s2, out] = discordSessionStep(s, { kind: 'Closed', conn: 0, code: 4000, reason: '', byClient: false });
    expect(out).toEqual([]);
    expect(s2).toBe(s);
  });
});

describe('identify throttling across shards (virtual time)', () => {
  it('hands out one identify per max_concurrency bucket per 5 s + a 250 ms margin', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const throttler = createIdentifyThrottler({ maxConcurrency: 2, scheduler: ts });
      const granted: Array<[number, number]> = [];
      for (const shard of [0, 1, 2, 3, 4]) throttler.acquire(shard).subscribe(() => granted.push([ts.now(), shard]));
      flush();
      expect(granted).toEqual([
        [0, 0],
        [0, 1],
        [5250, 2],
        [5250, 3],
        [10500, 4],
      ]);
    });
  });
});
