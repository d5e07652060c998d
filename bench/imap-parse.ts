/**
 * IMAP response parsing: rxwire's tokenizer + parser (typed responses) against
 * imapflow's own stream splitter (ImapStream) + parser, on the same generated
 * `UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)`
 * response for 50,000 messages (literals, nested multipart, escapes, NIL),
 * fed in 64 KiB chunks. imapflow is driven the way imapflow drives it: write
 * chunks into ImapStream, read items, `await parser(payload, { literals })`,
 * then `item.next()`.
 *
 * Each contender gets one warm-up run, and the heap is collected before every
 * measured run, so no run pays for the garbage the previous contender left.
 *
 * Prints every round's ratios (rxwire vs imapflow, rxwire vs the floor) and the medians, by
 * wall time and by CPU time (the process's user+system time over the run, steadier on a shared
 * machine), and the bytes rxwire allocates per response (heap growth between and across
 * collections, from v8.GCProfiler).
 *
 *   npx tsx bench/imap-parse.ts [messages=50000] [runs=5]
 */
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Tokenizer, parseResponse, type Response } from '../src/imap';

const MESSAGES = Number(process.argv[2] ?? 50_000);
const RUNS = Number(process.argv[3] ?? 5);
const CHUNK = 64 * 1024;

function lit(s: string): string {
  return `{${Buffer.byteLength(s)}}\r\n${s}`;
}

export function generateFetchResponse(n: number): Buffer {
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    const subject = `Re: [project-${i % 97}] quarterly report "draft ${i}" ${i % 3 === 0 ? 'with ünïcödé' : 'status'} \\ notes`;
    const filename = `report ${i} (final).pdf`;
    const fromName = i % 3 === 0 ? lit(`Sender "Nick" ${i}`) : `"Sender \\"Nick\\" ${i}"`;
    const day = String((i % 28) + 1).padStart(2, '0');
    const mm = String(i % 60).padStart(2, '0');
    parts.push(
      `* ${i} FETCH (UID ${i + 1000} FLAGS (\\Seen $Label${i % 5}${i % 7 === 0 ? ' \\Flagged' : ''}) INTERNALDATE "${day}-Nov-2024 10:${mm}:${mm} +0000" RFC822.SIZE ${40_000 + i} ` +
        `ENVELOPE ("Mon, ${day} Nov 2024 10:${mm}:00 +0000" ${lit(subject)} ((${fromName} NIL "user${i}" "example.com")) ((NIL NIL "user${i}" "example.com")) ((NIL NIL "user${i}" "example.com")) ` +
        `((NIL NIL "rcpt" "example.org")("Other \\\\ Person" NIL "o${i % 13}" "example.net")) NIL NIL ${i % 2 ? `"<parent-${i}@example.com>"` : 'NIL'} "<msg-${i}@example.com>") ` +
        `BODYSTRUCTURE ((("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" ${1200 + (i % 100)} ${40 + (i % 9)} NIL NIL NIL NIL)` +
        `("text" "html" ("charset" "utf-8") NIL NIL "quoted-printable" ${5600 + (i % 300)} ${120 + (i % 17)} NIL NIL NIL NIL) "alternative" ("boundary" "b1-${i}") NIL NIL NIL)` +
        `("application" "pdf" ("name" ${lit(filename)}) NIL NIL "base64" ${33_000 + i} NIL ("attachment" ("filename" "f${i}.pdf")) NIL NIL) "mixed" ("boundary" "b0-${i}") NIL NIL NIL))\r\n`,
    );
  }
  parts.push('A7 OK Fetch completed (0.041 + 0.000 + 0.040 secs).\r\n');
  return Buffer.from(parts.join(''), 'utf8');
}

function chunksOf(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += CHUNK) out.push(buf.subarray(i, i + CHUNK));
  return out;
}

/** CPU milliseconds (user + system) since `from`. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

interface GcStats {
  statistics: Array<{ beforeGC: { heapStatistics: { usedHeapSize: number } }; afterGC: { heapStatistics: { usedHeapSize: number } } }>;
}
/** Bytes allocated on the JS heap while `fn` runs: growth up to each collection plus growth after the last. */
function allocated(fn: () => void): number {
  const profiler = new (v8 as unknown as { GCProfiler: new () => { start(): void; stop(): GcStats } }).GCProfiler();
  profiler.start();
  const before = process.memoryUsage().heapUsed;
  fn();
  const after = process.memoryUsage().heapUsed;
  let total = 0;
  let last = before;
  for (const s of profiler.stop().statistics) {
    total += s.beforeGC.heapStatistics.usedHeapSize - last;
    last = s.afterGC.heapStatistics.usedHeapSize;
  }
  return total + after - last;
}

function runRxwire(chunks: Buffer[]): { ms: number; cpu: number; responses: number; check: number } {
  let responses = 0;
  let check = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const tok = new Tokenizer({
    frame: (f) => {
      const r: Response = parseResponse(f);
      responses++;
      if (r.kind === 'fetch') check += r.attributes.uid ?? 0;
    },
  });
  for (const c of chunks) tok.push(c);
  return { ms: performance.now() - t0, cpu: cpuMs(c0), responses, check };
}

function runFloor(chunks: Buffer[]): { ms: number; cpu: number; responses: number } {
  let responses = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let rest: Buffer | undefined;
  for (const c of chunks) {
    const buf = rest ? Buffer.concat([rest, c]) : c;
    let pos = 0;
    for (let lf = buf.indexOf(10, pos); lf !== -1; lf = buf.indexOf(10, pos)) {
      responses++;
      pos = lf + 1;
    }
    rest = pos < buf.length ? buf.subarray(pos) : undefined;
  }
  return { ms: performance.now() - t0, cpu: cpuMs(c0), responses };
}

interface StreamItem {
  payload: Buffer;
  literals: Buffer[];
  next: () => void;
}
interface ImapStreamLike {
  write(chunk: Buffer): boolean;
  end(): void;
  read(): StreamItem | null;
  on(event: string, fn: (...args: unknown[]) => void): void;
  once(event: string, fn: (...args: unknown[]) => void): void;
}
type ImapflowParser = (payload: Buffer, options: { literals: Buffer[] }) => Promise<{ attributes?: unknown[] }>;

async function loadImapflow(): Promise<{ ImapStream: new (o: object) => ImapStreamLike; parser: ImapflowParser }> {
  const streamMod = (await import('imapflow/lib/handler/imap-stream.js')) as unknown as { ImapStream: new (o: object) => ImapStreamLike };
  const handlerMod = (await import('imapflow/lib/handler/imap-handler.js')) as unknown as { parser: ImapflowParser };
  return { ImapStream: streamMod.ImapStream, parser: handlerMod.parser };
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, trace: () => undefined, fatal: () => undefined };

async function runImapflow(chunks: Buffer[], lib: Awaited<ReturnType<typeof loadImapflow>>, parse: boolean): Promise<{ ms: number; cpu: number; responses: number }> {
  const stream = new lib.ImapStream({ logger: silent });
  let responses = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const done = new Promise<void>((resolve, reject) => {
    let reading = false;
    let ended = false;
    const reader = async () => {
      if (reading) return;
      reading = true;
      let item: StreamItem | null;
      while ((item = stream.read()) !== null) {
        if (parse) await lib.parser(item.payload, { literals: item.literals });
        responses++;
        item.next();
      }
      reading = false;
      if (ended) resolve();
    };
    stream.on('readable', () => void reader().catch(reject));
    stream.on('error', (e) => reject(e as Error));
    stream.once('end', () => {
      ended = true;
      if (!reading) resolve();
    });
  });
  for (const c of chunks) stream.write(c);
  stream.end();
  await done;
  return { ms: performance.now() - t0, cpu: cpuMs(c0), responses };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const input = generateFetchResponse(MESSAGES);
  const chunks = chunksOf(input);
  const mb = input.length / 1e6;
  const literals = (input.toString('latin1').match(/\{\d+\}\r\n/g) ?? []).length;
  console.log(`IMAP parse: ${MESSAGES} FETCH responses, ${mb.toFixed(1)} MB, ${literals} literals, ${chunks.length} chunks of 64 KiB, median of ${RUNS} runs`);
  const lib = await loadImapflow();
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const results: Record<string, number[]> = { floor: [], rxwire: [], imapflowSplit: [], imapflow: [] };
  const cpu: Record<string, number[]> = { floor: [], rxwire: [], imapflow: [] };
  let count = runRxwire(chunks).responses;
  runFloor(chunks);
  await runImapflow(chunks, lib, false);
  await runImapflow(chunks, lib, true); // warm-ups
  gc();
  const bytesPerResponse = allocated(() => runRxwire(chunks)) / count;
  for (let r = 0; r < RUNS; r++) {
    gc();
    const fl = runFloor(chunks);
    results.floor.push(fl.ms);
    cpu.floor.push(fl.cpu);
    gc();
    const rx = runRxwire(chunks);
    count = rx.responses;
    results.rxwire.push(rx.ms);
    cpu.rxwire.push(rx.cpu);
    gc();
    results.imapflowSplit.push((await runImapflow(chunks, lib, false)).ms);
    gc();
    const ifl = await runImapflow(chunks, lib, true);
    if (ifl.responses !== count) console.log(`  (imapflow saw ${ifl.responses} responses, rxwire ${count})`);
    results.imapflow.push(ifl.ms);
    cpu.imapflow.push(ifl.cpu);
    const i = results.rxwire.length - 1;
    console.log(
      `  round ${r + 1}: rxwire ${Math.round(count / (rx.ms / 1000)).toLocaleString('en-US')} responses/s (${Math.round(count / (rx.cpu / 1000)).toLocaleString('en-US')}/CPU-s), ` +
        `${(results.imapflow[i] / results.rxwire[i]).toFixed(2)}x imapflow splitter+parser (CPU ${(cpu.imapflow[i] / cpu.rxwire[i]).toFixed(2)}x), ` +
        `${(results.floor[i] / results.rxwire[i]).toFixed(3)}x the floor (CPU ${(cpu.floor[i] / cpu.rxwire[i]).toFixed(3)}x)`,
    );
  }
  const row = (name: string, ms: number) =>
    console.log(`  ${name.padEnd(44)} ${(mb / (ms / 1000)).toFixed(1).padStart(8)} MB/s ${Math.round(count / (ms / 1000)).toLocaleString('en-US').padStart(12)} responses/s`);
  row('floor: split on LF with indexOf, no literals', median(results.floor));
  row('imapflow: ImapStream splitter alone', median(results.imapflowSplit));
  row('imapflow: splitter + parser', median(results.imapflow));
  row('rxwire: tokenizer + parser (typed responses)', median(results.rxwire));
  const perRound = results.rxwire.map((ms, i) => results.imapflow[i] / ms);
  const floorRound = results.rxwire.map((ms, i) => results.floor[i] / ms);
  const cpuRound = cpu.rxwire.map((ms, i) => cpu.imapflow[i] / ms);
  const cpuFloorRound = cpu.rxwire.map((ms, i) => cpu.floor[i] / ms);
  console.log(`  ratio rxwire / imapflow (splitter + parser): median ${(median(results.imapflow) / median(results.rxwire)).toFixed(2)}x, per round min ${Math.min(...perRound).toFixed(2)}x max ${Math.max(...perRound).toFixed(2)}x; by CPU time min ${Math.min(...cpuRound).toFixed(2)}x`);
  console.log(`  ratio rxwire / floor: median ${(median(results.floor) / median(results.rxwire)).toFixed(3)}x, per round min ${Math.min(...floorRound).toFixed(3)}x; by CPU time min ${Math.min(...cpuFloorRound).toFixed(3)}x`);
  console.log(`  rxwire: ${Math.round(bytesPerResponse).toLocaleString('en-US')} bytes allocated per response`);
}

if (process.argv[1]?.endsWith("imap-parse.ts")) void main();
