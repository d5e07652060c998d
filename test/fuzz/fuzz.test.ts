// Runs every fuzz target (fuzz/targets/*.ts) at a small count: the same checks as
// `npm run fuzz` (no foreign exception, no slow input, bounded heap, no secret out).
import { fuzz } from '../../fuzz/harness';
import { loadTargets } from '../../fuzz/run';

const COUNT = Number(process.env.RXWIRE_FUZZ_COUNT ?? 300);

test('every fuzz target runs clean at a small count', async () => {
  const targets = await loadTargets();
  expect(targets.length).toBeGreaterThan(0);
  const reports = [];
  for (const target of targets) reports.push(await fuzz(target, { count: COUNT, seed: 20261202 }));
  const failures = reports.flatMap((r) => r.failures);
  expect(failures).toEqual([]);
  for (const r of reports) expect(r.inputs).toBe(COUNT);
}, 240_000);
