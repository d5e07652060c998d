/**
 * Shared helper for the linearity benches (`bench/linearity-*.ts`): feeds a
 * worst-case input at growing sizes and fits the time exponent k in
 * time ≈ c · size^k (least squares on log-log). A linear parser gives k ≈ 1;
 * the rule (DESIGN: every parser is linear) is k ≤ 1.2.
 */
export interface LinearityCase {
  readonly name: string;
  /** Sizes to try, ascending (e.g. bytes or nesting depth). */
  readonly sizes: readonly number[];
  /** Builds the input of a size (not timed). */
  make(size: number): unknown;
  /** Runs the parser on it (timed). */
  run(input: unknown): unknown;
}

export interface LinearityResult {
  readonly name: string;
  readonly exponent: number;
  readonly points: ReadonlyArray<{ readonly size: number; readonly ms: number }>;
}

function timeOnce(c: LinearityCase, input: unknown): number {
  const t0 = performance.now();
  c.run(input);
  return performance.now() - t0;
}

/** Measures one case: median of `reps` runs per size, then the fitted exponent. */
export function measureLinearity(c: LinearityCase, reps = 5): LinearityResult {
  const points: { size: number; ms: number }[] = [];
  for (const size of c.sizes) {
    const input = c.make(size);
    timeOnce(c, input); // warm up
    const times = Array.from({ length: reps }, () => timeOnce(c, input)).sort((a, b) => a - b);
    points.push({ size, ms: Math.max(times[Math.floor(reps / 2)] ?? 0, 1e-3) });
  }
  const xs = points.map((p) => Math.log(p.size));
  const ys = points.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return { name: c.name, exponent: den === 0 ? 0 : num / den, points };
}

/** Prints one line per case: the exponent, the verdict against 1.2, and the points. */
export function reportLinearity(results: readonly LinearityResult[]): void {
  for (const r of results) {
    const pts = r.points.map((p) => `${p.size}:${p.ms.toFixed(2)}ms`).join(' ');
    console.log(`${r.name.padEnd(40)} exponent ${r.exponent.toFixed(2)} ${r.exponent <= 1.2 ? 'ok' : 'SUPER-LINEAR'}  ${pts}`);
  }
}
