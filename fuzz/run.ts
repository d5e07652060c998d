/**
 * `npm run fuzz [-- --count N --seed S --only name]`: every target in
 * fuzz/targets, one report line each; exits 1 on any failure.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz, type FuzzTarget } from './harness';

export async function loadTargets(): Promise<FuzzTarget[]> {
  const dir = join(__dirname, 'targets');
  const out: FuzzTarget[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts')).sort()) {
    const mod = (await import(join(dir, f))) as { targets?: FuzzTarget[] };
    for (const t of mod.targets ?? []) out.push(t);
  }
  return out;
}

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const count = Number(arg('count') ?? 100_000);
  const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
  const only = arg('only');
  let failed = 0;
  for (const target of await loadTargets()) {
    if (only && !target.name.includes(only)) continue;
    const r = await fuzz(target, { count, seed });
    failed += r.failures.length;
    console.log(
      `${r.target.padEnd(34)} ${String(r.inputs).padStart(9)} inputs  ${(r.ms / 1000).toFixed(1).padStart(7)} s  max ${r.maxMs.toFixed(1).padStart(6)} ms/input  heap +${r.heapGrowthMb.toFixed(0)} MB  ${r.failures.length === 0 ? 'ok' : `FAILED ${r.failures.length}`}`,
    );
    for (const f of r.failures) console.log(`  ${f.kind} at input ${f.index} (seed ${f.seed}): ${f.detail}`);
  }
  console.log(`seed ${seed}: ${failed === 0 ? 'no failures' : `${failed} failures`}`);
  process.exitCode = failed === 0 ? 0 : 1;
}

// Exit once reported: a target's source may leave a long timer behind after millions of inputs
// (seen once with the Stoat targets after a 1M run), and a runner must not hang on it.
if (require.main === module) void main().then(() => process.stdout.write('', () => process.exit()));
