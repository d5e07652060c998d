// Runs every fuzz target (fuzz/targets/*.ts) at a small count: the same checks as
// `npm run fuzz` (no foreign exception, no stalled input, bounded heap, no secret out). Per-input
// time is bounded loosely here (2 s: a stall, not a slow machine); `npm run fuzz` holds the 100 ms line.
import { fuzz } from '../../fuzz/harness';
import { loadTargets } from '../../fuzz/run';

const COUNT = Number(process.env.RXWIRE_FUZZ_COUNT ?? 300);

test('every fuzz target runs clean at a small count', async () => {
  const targets = await loadTargets();
  expect(targets.length).toBeGreaterThan(0);
  const reports = [];
  for (const target of targets) reports.push(await fuzz(target, { count: COUNT, seed: 20261202, maxMsPerInput: 2000 }));
  const failures = reports.flatMap((r) => r.failures);
  expect(failures).toEqual([]);
  for (const r of reports) expect(r.inputs).toBe(COUNT);
}, 240_000);
