/**
 * Stoat gateway throughput: events/s of ~1.1 KB Message events from a local
 * Bonfire (its own process) over loopback, as fast as the client reads.
 *
 *   floor     bare `ws` + JSON.parse of each frame
 *   stoat.js  the official SDK's EventClient (json-with-bigint parsing, no validation)
 *   rxwire    stoat().events$: parsed, tag-dispatched, io-ts validated typed events
 *   rxwire+cache  the same through withStoatCache (immutable cache, bounded messages)
 *
 * `npx tsx bench/gateway-stoat.ts [N] [ROUNDS]` (default 50 000 events, 3 rounds, median).
 * Prints each round's ratios, then the medians, to the floor and to stoat.js, in
 * events/s and in client CPU per event (steadier on a shared machine). No assertions.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { stoat, withStoatCache, type StoatEvent } from '../src/gateway/stoat';
import type { Observable } from 'rxjs';

const N = Number(process.argv[2] ?? process.env.STOAT_BENCH_N ?? 50_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const TOKEN = 'bench-token';

const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '_stoat-bonfire.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout });
const waiters: Array<(line: string) => void> = [];
lines.on('line', (line) => waiters.shift()?.(line));
const nextLine = (): Promise<string> => new Promise((resolve) => waiters.push(resolve));
const blast = (): void => {
  void nextLine(); // "sent"
  child.stdin.write(`blast ${N}\n`);
};

/** Resolves with events/s measured from the first to the N-th message. */
type Case = (url: string) => Promise<number>;

const floor: Case = (url) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}?version=1&format=json`);
    let count = 0;
    let t0 = 0;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'Authenticate', token: TOKEN })));
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const v = JSON.parse(data.toString()) as { type: string };
      if (v.type === 'Ready') return blast();
      if (v.type !== 'Message') return;
      if (count === 0) t0 = performance.now();
      if (++count === N) {
        const rate = (N - 1) / ((performance.now() - t0) / 1000);
        ws.on('close', () => resolve(rate));
        ws.close();
      }
    });
  });

const rx =
  (pipe: (e$: Observable<StoatEvent>) => Observable<{ readonly type: string }>): Case =>
  (url) =>
    new Promise((resolve, reject) => {
      let count = 0;
      let t0 = 0;
      const sub = pipe(stoat({ url, token: TOKEN }).events$).subscribe({
        next: (e) => {
          if (e.type === 'Ready') return blast();
          if (e.type !== 'MessageCreate') return;
          if (count === 0) t0 = performance.now();
          if (++count === N) {
            const rate = (N - 1) / ((performance.now() - t0) / 1000);
            setImmediate(() => sub.unsubscribe());
            resolve(rate);
          }
        },
        error: reject,
      });
    });

const stoatJs: Case = async (url) => {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  const { EventClient } = await import('stoat.js');
  return new Promise((resolve) => {
    const client = new EventClient(1, 'json');
    let count = 0;
    let t0 = 0;
    client.on('event', (e: { type: string }) => {
      if (e.type === 'Ready') return blast();
      if (e.type !== 'Message') return;
      if (count === 0) t0 = performance.now();
      if (++count === N) {
        const rate = (N - 1) / ((performance.now() - t0) / 1000);
        client.disconnect();
        resolve(rate);
      }
    });
    client.connect(url, TOKEN);
  });
};

const cases: ReadonlyArray<[string, Case]> = [
  ['floor: ws + JSON.parse', floor],
  ['stoat.js EventClient', stoatJs],
  ['rxwire (no cache)', rx((e$) => e$)],
  ['rxwire + cache', rx((e$) => e$.pipe(withStoatCache()))],
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 200)); // let the previous socket close before the next case

async function main(): Promise<void> {
  const hello = JSON.parse(await nextLine()) as { url: string; bytes: number };
  console.log(`Stoat gateway: ${N} Message events of ${hello.bytes} bytes, ${ROUNDS} rounds, median events/s`);
  const results = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  const cpu = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of cases) {
      const c0 = process.cpuUsage();
      results.get(name)?.push(await run(hello.url));
      const c = process.cpuUsage(c0);
      cpu.get(name)?.push((c.user + c.system) / N);
      await settle();
    }
    const r = (name: string): number => results.get(name)?.[round] ?? 0;
    const c = (name: string): number => cpu.get(name)?.[round] ?? 1;
    const fl = 'floor: ws + JSON.parse';
    const sj = 'stoat.js EventClient';
    console.log(
      `round ${round + 1}: ` +
        `no cache ${(r('rxwire (no cache)') / r(fl)).toFixed(2)}× floor (CPU ${(c(fl) / c('rxwire (no cache)')).toFixed(2)}×), ` +
        `cache ${(r('rxwire + cache') / r(sj)).toFixed(2)}× stoat.js (CPU ${(c(sj) / c('rxwire + cache')).toFixed(2)}×)`,
    );
  }
  const m = new Map([...results].map(([k, v]) => [k, median(v)]));
  const floorRate = m.get('floor: ws + JSON.parse') ?? 1;
  const sdk = m.get('stoat.js EventClient') ?? 1;
  const floorCpu = median(cpu.get('floor: ws + JSON.parse') ?? [1]);
  for (const [name, rate] of m) {
    const us = median(cpu.get(name) ?? [0]);
    console.log(
      `${name.padEnd(24)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} ev/s  ${(rate / floorRate).toFixed(2)}× floor  ${(rate / sdk).toFixed(2)}× stoat.js` +
        `   client CPU ${us.toFixed(1)} µs/event (${(floorCpu / us).toFixed(2)}× floor's efficiency)`,
    );
  }
  console.log('(events/s is bounded by the server process too and swings with machine load; client CPU per event is the steadier comparison)');
  child.stdin.end();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    child.kill();
    process.exit(1);
  },
);
