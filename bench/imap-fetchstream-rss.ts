/**
 * Memory of a big FETCH through a slow consumer (#15): a loopback server that
 * honours TCP backpressure sends one message of SIZE MB as a BODY[] literal as
 * fast as the socket takes it; the consumer waits DELAY ms per chunk (a slow
 * disk or upload). Peak RSS over the baseline is printed for
 *   - fetchStreamThrough (backpressure: the socket pauses)  — goal < 32 MB
 *   - fetchStream + concatMap (no backpressure, for comparison)
 * each in a fresh child process so one run's heap does not colour the other,
 * after a 1 MB warm-up through the same code path (the baseline is a connected,
 * warmed-up client; the server runs in the parent process).
 *
 *   npx tsx bench/imap-fetchstream-rss.ts [sizeMB=100] [delayMs=1]
 */
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { concatMap, lastValueFrom, timer, map, reduce } from 'rxjs';
import { ImapClient } from '../src/imap';

const SIZE = Number(process.argv[2] ?? 100) * 1024 * 1024;
const DELAY = Number(process.argv[3] ?? 1);
const mode = process.env.RXWIRE_RSS_MODE;

function server(): Promise<{ port: number; close(): void }> {
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  const srv = net.createServer((s) => {
    s.write('* OK [CAPABILITY IMAP4rev1] rss bench ready\r\n');
    s.on('error', () => undefined);
    s.on('data', (d) => {
      const line = d.toString('latin1');
      const tag = line.split(' ')[0];
      if (!/ FETCH /i.test(line)) return void s.write(`${tag} OK\r\n`);
      // message 1: the warm-up (1 MB), message 2: the measured one
      const seq = Number(/ FETCH (\d+)/i.exec(line)?.[1] ?? 2);
      const size = seq === 1 ? 1024 * 1024 : SIZE;
      s.write(`* ${seq} FETCH (BODY[] {${size}}\r\n`);
      let sent = 0;
      const pump = (): void => {
        while (sent < size) {
          const n = Math.min(chunk.length, size - sent);
          sent += n;
          if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void s.once('drain', pump);
        }
        s.write(`)\r\n${tag} OK fetch done\r\n`);
      };
      pump();
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ port: (srv.address() as net.AddressInfo).port, close: () => srv.close() })));
}

async function child(paced: boolean, port: number): Promise<void> {
  const c = new ImapClient({ host: '127.0.0.1', port, tls: 'none', commandTimeout: 0 });
  await lastValueFrom(c.connect());
  const slow = (n: number) => timer(DELAY).pipe(map(() => n));
  const fetchAll = (seq: number) =>
    lastValueFrom(
      paced
        ? c.fetchStreamThrough(seq, {}, (ch) => slow(ch.data.length)).pipe(reduce((a, n) => a + n, 0))
        : c.fetchStream(seq, {}).pipe(
            concatMap((ch) => slow(ch.data.length)),
            reduce((a, n) => a + n, 0),
          ),
    );
  // warm-up: the same code path on 1 MB, so the baseline has it compiled and loaded
  await fetchAll(1);
  global.gc?.();
  const base = process.memoryUsage();
  const baseline = base.rss;
  let peak = baseline;
  let at: NodeJS.MemoryUsage = process.memoryUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      at = m;
    }
  }, 10);
  const t0 = Date.now();
  const total = await fetchAll(2);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (total !== SIZE) throw new Error(`got ${total} bytes, expected ${SIZE}`);
  c.close();
  if (process.env.RXWIRE_RSS_DEBUG) console.error(mode, JSON.stringify(base), JSON.stringify(at));
  process.stdout.write(JSON.stringify({ overMB: (peak - baseline) / 1024 / 1024, seconds: (Date.now() - t0) / 1000 }));
}

if (mode) {
  void child(mode === 'paced', Number(process.env.RXWIRE_RSS_PORT)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  // the server runs here, the client in a child process: only the client's memory is measured
  void (async () => {
    const srv = await server();
    const run = (m: string, flags: string[] = []) =>
      new Promise<{ overMB: number; seconds: number }>((resolve, reject) => {
        const p = execFile(process.execPath, [...process.execArgv, '--expose-gc', ...flags, __filename, String(SIZE / 1024 / 1024), String(DELAY)], { env: { ...process.env, RXWIRE_RSS_MODE: m, RXWIRE_RSS_PORT: String(srv.port) }, encoding: 'utf8' }, (err, out) =>
          err ? reject(err) : resolve(JSON.parse(out) as { overMB: number; seconds: number }),
        );
        p.stderr?.pipe(process.stderr);
      });
    const paced = await run('paced');
    const unpaced = await run('unpaced');
    // how much of the paced figure is V8's young generation growing under allocation churn
    const small = await run('paced', ['--max-semi-space-size=1']);
    srv.close();
    console.log(`IMAP fetch of a ${SIZE / 1024 / 1024} MB message through a consumer taking ${DELAY} ms per chunk, client peak RSS over baseline:`);
    console.log(`  fetchStreamThrough (backpressure)  ${paced.overMB.toFixed(1)} MB  in ${paced.seconds.toFixed(1)} s   (goal < 32 MB: ${paced.overMB < 32 ? 'met' : 'NOT met'})`);
    console.log(`  fetchStream + concatMap (none)     ${unpaced.overMB.toFixed(1)} MB  in ${unpaced.seconds.toFixed(1)} s`);
    console.log(`  fetchStreamThrough, node --max-semi-space-size=1: ${small.overMB.toFixed(1)} MB (the rest of the default figure is V8's young generation, not data held)`);
  })();
}
