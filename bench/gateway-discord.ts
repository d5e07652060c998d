/**
 * Discord gateway throughput: a local gateway (in a child process) sends N
 * MESSAGE_CREATE dispatches (~1.1 KB each) as fast as the client reads.
 * Clients, in one run: rxwire (decoded and validated into typed events),
 * @discordjs/ws (raw payloads, no validation), and a bare `ws` + JSON.parse
 * loop as the floor; each with plain JSON and with zlib-stream.
 * Prints events/s and, per round, the ratios rxwire / @discordjs/ws and
 * rxwire / floor (clients of a round run back to back, in rotating order,
 * so a round's ratio compares like with like on a shared machine), then the
 * min and median ratio against the goals, both for wall-clock throughput and
 * for events per CPU-second of the client process (which other processes on
 * a shared machine disturb far less), (plain: min ≥ 0.95×, median ≥ 1.1×;
 * zlib-stream: every round ≥ 4×). N defaults to 200,000 (env BENCH_N);
 * BENCH_ROUNDS (default 5) rounds; BENCH_MODES (default `plain,zlib`).
 * Each client of each round runs in a fresh process (BENCH_ISOLATE=0 runs
 * them all in this one, as before): in one shared process the rounds were
 * bimodal, a client paying for the heap and JIT state the previous one left.
 * Rounds still swing ±25 % on this 2-core VM (rxwire even beats the floor in
 * some rounds, which it cannot in CPU terms), so read the per-round lines.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { CompressionMethod, WebSocketManager, WebSocketShardEvents } from '@discordjs/ws';
import { GatewayIntentBits, type APIGatewayBotInfo, type GatewayDispatchPayload } from 'discord-api-types/v10';
import WebSocket from 'ws';
import { discord } from '../src/gateway/discord';

const N = Number(process.env.BENCH_N ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
type Mode = 'plain' | 'zlib';

interface Server {
  /** The server process; undefined in an isolated client process (its parent forwards the flood request). */
  readonly child?: ChildProcess;
  readonly url: string;
  readonly token: string;
  readonly frameBytes: number;
}

async function startServer(): Promise<Server> {
  const child = fork(join(__dirname, '_discord-server.ts'), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const info = await new Promise<{ url: string; token: string; frameBytes: number }>((resolve) => child.once('message', (m) => resolve(m as { url: string; token: string; frameBytes: number })));
  return { child, ...info };
}

function flood(server: Server): void {
  if (server.child) server.child.send({ flood: N });
  else process.send?.({ flood: true });
}

/** Runs a client: `connect(onReady, onMessage)` must call onReady once identified and onMessage per MESSAGE_CREATE. */
/** Events per second of wall time, and per second of this process's CPU time (immune to other processes on a busy machine). */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

async function measure(server: Server, connect: (onReady: () => void, onMessage: () => void) => Promise<() => Promise<void> | void>): Promise<Rate> {
  let count = 0;
  let first = 0;
  let cpu0 = process.cpuUsage();
  let resolveDone: (r: Rate) => void = () => undefined;
  const done = new Promise<Rate>((r) => (resolveDone = r));
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const stop = await connect(
    () => resolveReady(),
    () => {
      if (count === 0) {
        first = performance.now();
        cpu0 = process.cpuUsage();
      }
      count++;
      if (count === N) {
        const c = process.cpuUsage(cpu0);
        resolveDone({ wall: (N - 1) / ((performance.now() - first) / 1000), cpu: (N - 1) / ((c.user + c.system) / 1e6) });
      }
    },
  );
  await ready;
  flood(server);
  const rate = await done;
  await stop();
  await new Promise((r) => setTimeout(r, 200));
  return rate;
}

const rxwire = (server: Server, mode: Mode) =>
  measure(server, async (onReady, onMessage) => {
    const gw = discord({ token: server.token, intents: 513, url: server.url, compress: mode === 'zlib' ? 'zlib-stream' : 'none' });
    let bad = 0;
    const sub = gw.events$.subscribe((e) => {
      if (e.type === 'MessageCreate') onMessage();
      else if (e.type === 'Ready') onReady();
      else if (e.type === 'DecodeError') bad++;
    });
    return () => {
      sub.unsubscribe();
      if (bad > 0) console.log(`  (rxwire: ${bad} DecodeError events)`);
    };
  });

const discordjs = (server: Server, mode: Mode) =>
  measure(server, async (onReady, onMessage) => {
    const info: APIGatewayBotInfo = { url: server.url, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 } };
    const manager = new WebSocketManager({
      token: server.token,
      intents: GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages,
      rest: {} as unknown as ConstructorParameters<typeof WebSocketManager>[0]['rest'],
      compression: mode === 'zlib' ? CompressionMethod.ZlibNative : null,
    });
    manager.fetchGatewayInformation = async () => info;
    manager.on(WebSocketShardEvents.Ready, () => onReady());
    manager.on(WebSocketShardEvents.Dispatch, (p: GatewayDispatchPayload) => {
      if (p.t === 'MESSAGE_CREATE') onMessage();
    });
    await manager.connect();
    return async () => {
      await manager.destroy();
    };
  });

const floor = (server: Server, mode: Mode) =>
  measure(server, async (onReady, onMessage) => {
    const ws = new WebSocket(`${server.url}/?v=10&encoding=json${mode === 'zlib' ? '&compress=zlib-stream' : ''}`, { perMessageDeflate: false });
    const handle = (text: string) => {
      const f = JSON.parse(text) as { op: number; t: string | null };
      if (f.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: server.token, intents: 513, properties: { os: 'linux', browser: 'floor', device: 'floor' } } }));
      else if (f.t === 'READY') onReady();
      else if (f.t === 'MESSAGE_CREATE') onMessage();
    };
    if (mode === 'zlib') {
      const inflate = zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, chunkSize: 65535 });
      let out: Buffer[] = [];
      inflate.on('data', (b: Buffer) => out.push(b));
      ws.on('message', (data: Buffer) =>
        inflate.write(data, () => {
          const text = Buffer.concat(out).toString();
          out = [];
          handle(text);
        }),
      );
    } else ws.on('message', (data: Buffer) => handle(data.toString()));
    return () => ws.close();
  });

const CLIENTS: ReadonlyArray<readonly [string, (s: Server, m: Mode) => Promise<Rate>]> = [
  ['floor: bare ws + JSON.parse', floor],
  ['@discordjs/ws 2.0.4 (raw)', discordjs],
  ['rxwire (decoded + validated)', rxwire],
];

/**
 * Runs one client's measurement in a fresh process (BENCH_ISOLATE, default on): every client of every
 * round starts with a cold heap and its own JIT state, so no client pays for the garbage or the
 * deoptimizations another left behind in a shared process (the cause of the bimodal rounds).
 */
function isolated(server: Server, name: string, mode: Mode): Promise<Rate> {
  return new Promise<Rate>((resolve, reject) => {
    const child = fork(__filename, {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_CHILD: name, BENCH_CHILD_MODE: mode, BENCH_URL: server.url, BENCH_TOKEN: server.token },
    });
    let rate: Rate | undefined;
    child.on('message', (m: { flood?: boolean; rate?: Rate }) => {
      if (m.flood) server.child?.send({ flood: N });
      if (m.rate) rate = m.rate;
    });
    child.once('exit', (code) => (rate ? resolve(rate) : reject(new Error(`bench client ${name} exited with ${code} before reporting`))));
  });
}

async function main(): Promise<void> {
  const childName = process.env.BENCH_CHILD;
  if (childName !== undefined) {
    const [, run] = CLIENTS.find(([n]) => n === childName) ?? [];
    if (!run) throw new Error(`unknown bench client ${childName}`);
    const server: Server = { url: process.env.BENCH_URL ?? '', token: process.env.BENCH_TOKEN ?? '', frameBytes: 0 };
    const rate = await run(server, (process.env.BENCH_CHILD_MODE ?? 'plain') as Mode);
    await new Promise<void>((r) => (process.send ? process.send({ rate }, () => r()) : r()));
    return;
  }
  const server = await startServer();
  const isolate = process.env.BENCH_ISOLATE !== '0';
  console.log(`gateway-discord: ${N.toLocaleString('en')} MESSAGE_CREATE of ${server.frameBytes} bytes per client, ${ROUNDS} round(s), median events/s, ${isolate ? 'each client in a fresh process' : 'all clients in this process (BENCH_ISOLATE=0)'}`);
  const clients = [...CLIENTS];
  const only = process.env.BENCH_ONLY; // e.g. BENCH_ONLY=rxwire to profile one client
  if (only) clients.splice(0, clients.length, ...clients.filter(([name]) => name.includes(only)));
  const modes = (process.env.BENCH_MODES ?? 'plain,zlib').split(',') as Mode[];
  const RX = 'rxwire (decoded + validated)';
  const DJ = '@discordjs/ws 2.0.4 (raw)';
  const FL = 'floor: bare ws + JSON.parse';
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const mode of modes) {
    const samples = new Map<string, Rate[]>(clients.map(([name]) => [name, []]));
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order each round so no client always runs first or last on a busy machine.
      for (let k = 0; k < clients.length; k++) {
        const [name, run] = clients[(k + r) % clients.length];
        (samples.get(name) as Rate[]).push(await (isolate ? isolated(server, name, mode) : run(server, mode)));
      }
      if (clients.length === 3) {
        const at = (n: string) => (samples.get(n) as Rate[])[r];
        const f = (x: number) => Math.round(x).toLocaleString('en');
        console.log(
          `  ${mode.padEnd(5)} round ${r + 1}: wall rxwire ${f(at(RX).wall)}/s @discordjs/ws ${f(at(DJ).wall)}/s floor ${f(at(FL).wall)}/s → ${(at(RX).wall / at(DJ).wall).toFixed(2)}× / ${(at(RX).wall / at(FL).wall).toFixed(2)}×;` +
            ` per CPU-s rxwire ${f(at(RX).cpu)} @discordjs/ws ${f(at(DJ).cpu)} floor ${f(at(FL).cpu)} → ${(at(RX).cpu / at(DJ).cpu).toFixed(2)}× / ${(at(RX).cpu / at(FL).cpu).toFixed(2)}×`,
        );
      }
    }
    for (const [name] of clients) {
      const xs = samples.get(name) as Rate[];
      console.log(`  ${mode.padEnd(5)} ${name.padEnd(30)} ${Math.round(median(xs.map((x) => x.wall))).toLocaleString('en').padStart(9)} events/s, ${Math.round(median(xs.map((x) => x.cpu))).toLocaleString('en').padStart(9)} events/CPU-s (medians)`);
    }
    if (clients.length === 3) {
      for (const k of ['wall', 'cpu'] as const) {
        const rx = (samples.get(RX) as Rate[]).map((x) => x[k]);
        const dj = (samples.get(DJ) as Rate[]).map((x) => x[k]);
        const fl = (samples.get(FL) as Rate[]).map((x) => x[k]);
        const vsDj = rx.map((x, i) => x / dj[i]);
        const vsFl = rx.map((x, i) => x / fl[i]);
        const min = Math.min(...vsDj);
        const med = median(vsDj);
        const goal = mode === 'plain' ? `min ≥ 0.95× and median ≥ 1.1×: ${min >= 0.95 && med >= 1.1 ? 'met' : 'NOT met'}` : `every round ≥ 4×: ${min >= 4 ? 'met' : 'NOT met'}`;
        console.log(`  ${mode} (${k}): rxwire / @discordjs/ws per round [${vsDj.map((x) => x.toFixed(2)).join(', ')}] min ${min.toFixed(2)}× median ${med.toFixed(2)}× (goal ${goal}); rxwire / floor [${vsFl.map((x) => x.toFixed(2)).join(', ')}]`);
      }
    }
  }
  server.child?.send({ close: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
