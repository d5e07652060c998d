/**
 * A real nats-server (Debian's `nats-server` package) with JetStream, on
 * loopback, on a free port, with its own store directory; restartable on the
 * same port and store (to test that nothing is lost when the bus restarts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running nats-server. */
export interface NatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  /** The loopback TCP port it listens on (kept across `restart()`). */
  readonly port: number;
  /** Kills it (SIGKILL) and starts it again on the same port and store. */
  restart(): Promise<void>;
  /** Kills it and removes its store. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = tcpConnect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nats-server did not listen on ${port} within ${deadlineMs} ms (is nats-server installed? apt-get install nats-server)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts nats-server -js on a free loopback port (the binary must be on PATH: apt-get install nats-server). */
export async function startNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'rxwire-nats-'));
  let proc: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const p = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
    proc = p;
    const failed = new Promise<never>((_, reject) =>
      p.once('error', (e) => reject(new Error(`cannot run nats-server (${e.message}): install it with apt-get install nats-server`))),
    );
    await Promise.race([waitForPort(port, 10_000), failed]);
  };
  const kill = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(store, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true or `ms` passes (then throws with `what`). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
