/**
 * `npm run demo`: real events flowing from the embedded local servers, no
 * credentials needed. Each source contributes `examples/<source>-demo.ts`
 * exporting `default async function demo(log)`; they run one after another.
 * The IMAP demo needs a local Dovecot (installed by .ci/run, or
 * `apt-get install dovecot-imapd`); it says so and is passed over otherwise. The
 * JetStream demo (a takeover between two worker processes) also needs nats-server.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Demo } from './standalone';

const parts: ReadonlyArray<[name: string, file: string]> = [
  ['compose', 'compose.ts'],
  ['mailtm', 'mailtm-demo.ts'],
  ['discord', 'discord-demo.ts'],
  ['stoat', 'stoat-demo.ts'],
  ['mezon', 'mezon-demo.ts'],
  ['imap', 'imap-demo.ts'],
  ['jetstream', 'jetstream-demo.ts'],
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const [name, file] of parts) {
    if (only.length > 0 && !only.includes(name)) continue;
    const path = join(__dirname, file);
    if (!existsSync(path)) continue;
    console.log(`\n=== ${name} ===`);
    const mod = (await import(path)) as { default: Demo };
    const started = Date.now();
    await mod.default((line) => console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
