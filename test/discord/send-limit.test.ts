/**
 * The 120-per-60-s send limit against the local gateway, through a real
 * `discord()` session on real sockets: every frame counts, priority sends
 * (identify, heartbeats) included. The session runs on a clock 10× faster
 * than real time (its `scheduler` option; the send queue, the identify
 * throttler and the heartbeat timer all read it), and the local gateway
 * enforces the same limit on a 6 s window (`sendWindowMs`), so a minute of
 * session time takes 6 s and nothing sleeps.
 */
import { once } from 'node:events';
import { asyncScheduler, lastValueFrom, merge, ReplaySubject, timeout, toArray, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { discord, type DiscordEvent } from '../../src/gateway/discord';
import { startDiscordGateway, type DiscordLocalGateway, type DiscordReceivedFrame } from '../../src/testing/discord';
import { next } from './helpers';

const SPEED = 10;
const WINDOW_MS = 60_000 / SPEED;
const LIMIT = 120;

/** A scheduler whose clock runs `SPEED`× real time (timers fire after delay / SPEED real ms). */
function fastClock(): SchedulerLike {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * SPEED,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return asyncScheduler.schedule(work, delay / SPEED, state);
    },
  };
}

/** The largest number of frames of one connection inside any window of `windowMs` ending at a frame (the server's own rule). */
function busiestWindow(frames: readonly DiscordReceivedFrame[], windowMs: number): { count: number; priority: number } {
  let best = { count: 0, priority: 0 };
  for (let i = 0; i < frames.length; i++) {
    const inside = frames.filter((f, j) => j <= i && f.connection === frames[i].connection && f.at > frames[i].at - windowMs);
    if (inside.length > best.count) best = { count: inside.length, priority: inside.filter((f) => f.op === 1 || f.op === 2 || f.op === 6).length };
  }
  return best;
}

let server: DiscordLocalGateway | undefined;
let sub: Subscription | undefined;
afterEach(async () => {
  sub?.unsubscribe();
  await server?.close();
  server = undefined;
});

describe('send limit against the local gateway (a clock 10× real time)', () => {
  it('no window holds more than 120 frames, identify and heartbeats counted, and the gateway never closes with 4008', async () => {
    // A long heartbeat interval: the beats in this test are the ones the server asks for (op 1),
    // each answered at once as a priority send.
    server = await startDiscordGateway({ sendWindowMs: WINDOW_MS, heartbeatInterval: 3_600_000 });
    const gw = discord({ token: server.token, intents: 1, url: server.url, scheduler: fastClock(), random: () => 0.5 });
    const seen = new ReplaySubject<DiscordEvent>();
    sub = gw.events$.subscribe(seen);
    await next(seen, (e) => e.type === 'Ready');
    const closes: number[] = [];
    server.events.on('close', (code: number) => closes.push(code));

    // 150 presence updates (queued) and 40 heartbeat requests (priority answers): with the
    // identify, 191 frames, more than one window's worth.
    const presences = Array.from({ length: 150 }, (_, i) => gw.updatePresence({ since: null, activities: [{ name: `p${i}`, type: 0 }], status: 'online', afk: false }));
    const done = lastValueFrom(merge(...presences).pipe(toArray(), timeout(30_000)));
    const beats0 = server.heartbeatCount;
    for (let i = 0; i < 40; i++) server.requestHeartbeat();
    expect((await done).length).toBe(150);
    const signal = AbortSignal.timeout(20_000); // a deadline, not a sleep
    while (server.heartbeatCount < beats0 + 40) await once(server.events, 'heartbeat', { signal });
    while (server.received.length < 150) await once(server.events, 'received', { signal }); // written is not yet read

    const frames = server.receivedFrames;
    const byOp = (op: number) => frames.filter((f) => f.op === op).length;
    expect(byOp(2)).toBe(1);
    expect(byOp(1)).toBeGreaterThanOrEqual(40);
    expect(byOp(3)).toBe(150);
    expect(new Set(frames.map((f) => f.connection)).size).toBe(1); // one connection: never closed and reopened
    const busiest = busiestWindow(frames, WINDOW_MS);
    expect(busiest.count).toBeLessThanOrEqual(LIMIT);
    expect(busiest.count).toBeGreaterThan(LIMIT - 10); // the limit was reached, not just approached
    expect(busiest.priority).toBeGreaterThan(0); // priority frames shared that window
    expect(closes).not.toContain(4008);
  }, 60_000);

  it('the local gateway closes with 4008 when a window holds more than 120 frames, heartbeats included', async () => {
    server = await startDiscordGateway({ sendWindowMs: WINDOW_MS });
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(`${server.url}/?v=10&encoding=json`);
    await once(ws, 'open');
    for (let i = 0; i < LIMIT + 1; i++) ws.send(JSON.stringify({ op: 1, d: null }));
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4008);
    expect(server.receivedFrames.filter((f) => f.op === 1)).toHaveLength(LIMIT + 1);
  });
});
