/**
 * Memory of a big FETCH through a slow consumer (#15): a loopback server that
 * honours TCP backpressure sends one message of SIZE MB as a BODY[] literal as
 * fast as the socket takes it; the consumer waits DELAY ms per chunk (a slow
 * disk or upload). For each way of fetching, in a fresh child process (so one
 * run's heap does not colour the next) after a 1 MB warm-up through the same
 * code path, it prints the baseline RSS (a connected, warmed-up client), the
 * peak RSS over it, the heap and external (ArrayBuffer) memory at that peak,
 * wall and CPU seconds:
 *   - rxwire fetchStreamThrough, reuseChunks  (chunk memory read into again after ack)
 *   - rxwire fetchStreamThrough               (every chunk fresh memory, freed by the GC)
 *   - rxwire fetchStream + concatMap          (no backpressure, for comparison)
 *   - imapflow download() piped into a Writable with the same delay (partial
 *     FETCHes of 64 KiB, one after the other: pull-based, so bounded too)
 * Goal (#15): peak RSS over baseline < 32 MB for 100 MB with backpressure.
 * What the figures are made of (node 20, `--trace-gc`): not V8's young
 * generation but malloc'ed Buffer memory of chunks already consumed, waiting
 * for a collection. V8 scavenges for "external memory pressure" only once
 * ~32 MB (twice the default 16 MB max semi-space) of young ArrayBuffers are
 * pending, so any way of fetching that hands out fresh Buffers peaks near
 * 32 MB whatever the message size (node --max-semi-space-size=1 lowers it
 * only by scavenging every MB of JS allocation); reuseChunks hands out
 * memory that is read into again after ack, so nothing waits for the GC.
 * The server runs in the parent process; only the client's memory is measured.
 *
 *   npx tsx bench/imap-fetchstream-rss.ts [sizeMB=100] [delayMs=1] [rounds=3]
 */
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImapFlow } from 'imapflow';
import { concatMap, lastValueFrom, timer, map, reduce } from 'rxjs';
import { ImapClient } from '../src/imap';

const SIZE = Number(process.argv[2] ?? 100) * 1024 * 1024;
const DELAY = Number(process.argv[3] ?? 1);
const ROUNDS = Number(process.argv[4] ?? 3);
const WARMUP = 1024 * 1024;
const mode = process.env.RXWIRE_RSS_MODE;
const MODES = ['reuse', 'paced', 'unpaced', 'imapflow'] as const;
type Mode = (typeof MODES)[number];
const LABEL: Record<Mode, string> = {
  reuse: 'rxwire fetchStreamThrough, reuseChunks',
  paced: 'rxwire fetchStreamThrough',
  unpaced: 'rxwire fetchStream + concatMap (none)',
  imapflow: 'imapflow download() -> slow Writable',
};

/** What a child reports (MB and seconds). */
interface Figures {
  baseMB: number;
  overMB: number;
  heapMB: number;
  externalMB: number;
  arrayBuffersMB: number;
  seconds: number;
  cpuSeconds: number;
}

/**
 * Enough IMAP for both clients: any command is OK (SELECT reports 2 messages);
 * FETCH n sends message n (1: the warm-up, 2: the measured one) as BODY[], or
 * the asked window of it for a partial `BODY.PEEK[]<start.length>` (imapflow).
 */
function server(): Promise<{ port: number; close(): void }> {
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  const srv = net.createServer((s) => {
    s.write('* OK [CAPABILITY IMAP4rev1] rss bench ready\r\n');
    s.on('error', () => undefined);
    let queue = Promise.resolve();
    let rest = '';
    s.on('data', (d) => {
      rest += d.toString('latin1');
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl).trim();
        rest = rest.slice(nl + 1);
        queue = queue.then(() => answer(s, line, chunk));
      }
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ port: (srv.address() as net.AddressInfo).port, close: () => srv.close() })));
}

function answer(s: net.Socket, line: string, chunk: Buffer): Promise<void> {
  const tag = line.split(' ')[0];
  const fetch = /^\S+ (UID )?FETCH (\d+) /i.exec(line);
  if (!fetch) {
    if (/^\S+ SELECT /i.test(line)) s.write(`* 2 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] ok\r\n* OK [UIDNEXT 3] ok\r\n* FLAGS (\\Seen)\r\n${tag} OK [READ-WRITE] selected\r\n`);
    else s.write(`${tag} OK\r\n`);
    return Promise.resolve();
  }
  const n = Number(fetch[2]);
  const total = n === 1 ? WARMUP : SIZE;
  const partial = /<(\d+)\.(\d+)>/.exec(line);
  const start = partial ? Math.min(Number(partial[1]), total) : 0;
  const size = partial ? Math.min(Number(partial[2]), total - start) : total;
  s.write(`* ${n} FETCH (UID ${n} RFC822.SIZE ${total} BODY[]${partial ? `<${start}>` : ''} {${size}}\r\n`);
  return new Promise((done) => {
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        const k = Math.min(chunk.length, size - sent);
        sent += k;
        if (!s.write(k === chunk.length ? chunk : chunk.subarray(0, k))) return void s.once('drain', pump);
      }
      s.write(`)\r\n${tag} OK fetch done\r\n`);
      done();
    };
    pump();
  });
}

async function child(m: Mode, port: number): Promise<void> {
  let fetchAll: (seq: number) => Promise<number>;
  let close: () => Promise<void>;
  const slow = (n: number) => timer(DELAY).pipe(map(() => n));
  if (m === 'imapflow') {
    const f = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: { user: 'u', pass: 'p' }, logger: false });
    await f.connect();
    await f.mailboxOpen('INBOX');
    fetchAll = async (seq) => {
      const { content } = await f.download(String(seq));
      if (!content) throw new Error(`imapflow found no message ${seq}`);
      let got = 0;
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          got += chunk.length;
          setTimeout(cb, DELAY);
        },
      });
      await pipeline(content, sink);
      return got;
    };
    close = async () => void (await f.logout().catch(() => f.close()));
  } else {
    const c = new ImapClient({ host: '127.0.0.1', port, tls: 'none', commandTimeout: 0 });
    await lastValueFrom(c.connect());
    fetchAll = (seq) =>
      lastValueFrom(
        m === 'unpaced'
          ? c.fetchStream(seq, {}).pipe(
              concatMap((ch) => slow(ch.data.length)),
              reduce((a, n) => a + n, 0),
            )
          : c.fetchStreamThrough(seq, {}, (ch) => slow(ch.data.length), { reuseChunks: m === 'reuse' }).pipe(reduce((a, n) => a + n, 0)),
      );
    close = async () => c.close();
  }
  // warm-up: the same code path on 1 MB, so the baseline has it compiled and loaded
  if ((await fetchAll(1)) !== WARMUP) throw new Error('warm-up fetch incomplete');
  global.gc?.();
  const base = process.memoryUsage();
  let peak = base;
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  }, 5);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const total = await fetchAll(2);
  const cpu = process.cpuUsage(cpu0);
  const seconds = (Date.now() - t0) / 1000;
  clearInterval(sampler);
  const last = process.memoryUsage();
  if (last.rss > peak.rss) peak = last;
  if (total !== SIZE) throw new Error(`${m}: got ${total} bytes, expected ${SIZE}`);
  await close();
  const mb = (n: number) => n / 1024 / 1024;
  const out: Figures = {
    baseMB: mb(base.rss),
    overMB: mb(peak.rss - base.rss),
    heapMB: mb(peak.heapUsed - base.heapUsed),
    externalMB: mb(peak.external - base.external),
    arrayBuffersMB: mb(peak.arrayBuffers - base.arrayBuffers),
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  process.stdout.write(JSON.stringify(out));
}

if (mode) {
  void child(mode as Mode, Number(process.env.RXWIRE_RSS_PORT)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  void (async () => {
    const srv = await server();
    const run = (m: Mode) =>
      new Promise<Figures>((resolve, reject) => {
        const p = execFile(
          process.execPath,
          [...process.execArgv, '--expose-gc', __filename, String(SIZE / 1024 / 1024), String(DELAY)],
          { env: { ...process.env, RXWIRE_RSS_MODE: m, RXWIRE_RSS_PORT: String(srv.port) }, encoding: 'utf8', maxBuffer: 1 << 20 },
          (err, out) => (err ? reject(err) : resolve(JSON.parse(out) as Figures)),
        );
        p.stderr?.pipe(process.stderr);
      });
    const results = new Map<Mode, Figures[]>(MODES.map((m) => [m, []]));
    const f1 = (n: number) => n.toFixed(1).padStart(6);
    console.log(`IMAP fetch of a ${SIZE / 1024 / 1024} MB message through a consumer taking ${DELAY} ms per chunk; client memory in MB (peak RSS over a warmed-up baseline; heap/external/arrayBuffers over baseline at that peak):`);
    for (let r = 1; r <= ROUNDS; r++) {
      for (const m of MODES) {
        const f = await run(m);
        results.get(m)!.push(f);
        console.log(
          `  round ${r}  ${LABEL[m].padEnd(40)} base ${f1(f.baseMB)}  over ${f1(f.overMB)}  heap ${f1(f.heapMB)}  external ${f1(f.externalMB)}  arrayBuffers ${f1(f.arrayBuffersMB)}  ${f.seconds.toFixed(2)} s  ${f.cpuSeconds.toFixed(2)} CPU s`,
        );
      }
    }
    srv.close();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`Peak RSS over baseline, median (max) of ${ROUNDS} rounds; MB per CPU second of the client:`);
    for (const m of MODES) {
      const fs = results.get(m)!;
      const over = fs.map((f) => f.overMB);
      const mbPerCpu = median(fs.map((f) => SIZE / 1024 / 1024 / f.cpuSeconds));
      const goal = m === 'reuse' || m === 'paced' ? `  (goal < 32 MB: ${Math.max(...over) < 32 ? 'met' : 'NOT met'})` : '';
      console.log(`  ${LABEL[m].padEnd(40)} ${f1(median(over))} (${f1(Math.max(...over))}) MB   ${mbPerCpu.toFixed(0).padStart(5)} MB/CPU s${goal}`);
    }
  })();
}
