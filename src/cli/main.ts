#!/usr/bin/env node
/** The `rxwire` command: `rxwire tail <source> ...` (see tail.ts). */
import { runTail } from './tail';

const stop = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

runTail(process.argv.slice(2), { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n'), stop }).then(
  (code) => {
    process.exitCode = code;
    // the sources' sockets and timers are closed; exit even if a library keeps a handle
    setTimeout(() => process.exit(code), 200).unref();
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
