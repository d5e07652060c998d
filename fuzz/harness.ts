/**
 * The fuzz harness: structure-aware fuzzers over every parser, run through the
 * live decode path. Each target (one file in `fuzz/targets/`) builds inputs
 * from a seeded generator and feeds them to the parser; the harness checks,
 * per input:
 *  - no exception escapes other than rxwire's own typed errors (`isRxwireError`);
 *  - no input takes more than `maxMsPerInput` (default 100 ms; the best of three runs, so a GC pause or
 *    another process is not taken for super-linear work);
 *  - the heap stays bounded (checked every batch against `maxHeapGrowthMb`);
 *  - no secret the target declares appears in any output or error.
 * `npm run fuzz` runs every target at a large count; the test suite runs them
 * at a small one (test/fuzz).
 */
import { isRxwireError } from '../src/core/errors';

/** A small fast seeded generator (xorshift32), so a failing input is reproducible from its seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : this.u32() % n;
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
  /** A short string from `alphabet` (default: printable ASCII plus a few awkward characters). */
  string(max: number, alphabet = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~\u00e9\u2603\u0000\r\n'): string {
    let s = '';
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  /** `bytes` with a few random mutations (flip, insert, delete, duplicate a slice). */
  mutate(input: Uint8Array, edits = 1 + this.int(4)): Uint8Array {
    let b = Buffer.from(input);
    for (let e = 0; e < edits && b.length > 0; e++) {
      const at = this.int(b.length);
      switch (this.int(4)) {
        case 0:
          b[at] = this.u32() & 0xff;
          break;
        case 1:
          b = Buffer.concat([b.subarray(0, at), Buffer.from(this.bytes(1 + this.int(8))), b.subarray(at)]);
          break;
        case 2:
          b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + this.int(8)))]);
          break;
        default: {
          const len = Math.min(b.length - at, 1 + this.int(32));
          b = Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
        }
      }
    }
    return new Uint8Array(b);
  }
}

/** One fuzz target: a parser fed through its live decode path. */
export interface FuzzTarget<I = unknown> {
  /** e.g. `imap.tokenizer+parser`, `discord.frame.json`. */
  readonly name: string;
  /** Secrets the target's source was configured with: none may appear in any output or error. */
  readonly secrets?: readonly string[];
  /** Upper bound for one input's time in ms (default 100). */
  readonly maxMsPerInput?: number;
  /** Builds one input (structure-aware: mostly near-valid, sometimes hostile: bombs, deep nesting, odd tags). */
  generate(rng: Rng): I;
  /** Runs one input; returns what the parser produced (events, frames) so the harness can look for secrets. */
  run(input: I): unknown[] | Promise<unknown[]>;
}

export interface FuzzFailure {
  readonly target: string;
  readonly seed: number;
  readonly index: number;
  readonly kind: 'exception' | 'slow' | 'memory' | 'secret';
  readonly detail: string;
}

export interface FuzzReport {
  readonly target: string;
  readonly inputs: number;
  readonly failures: readonly FuzzFailure[];
  readonly maxMs: number;
  readonly ms: number;
  readonly heapGrowthMb: number;
}

export interface FuzzRunOptions {
  readonly count: number;
  readonly seed?: number;
  readonly maxHeapGrowthMb?: number;
  /** Stop a target after this many failures (default 5). */
  readonly maxFailures?: number;
  /**
   * Overrides every target's per-input time limit. The test suite runs on a
   * loaded machine beside other suites, so it sets a generous bound that only
   * a real stall (a hang, super-linear work) crosses; `npm run fuzz` keeps the
   * targets' own limits (100 ms by default).
   */
  readonly maxMsPerInput?: number;
}

/**
 * Looks for a secret in every string inside `value` (errors' message, stack and own fields included),
 * not in a JSON rendering of it: JSON escapes can spell a secret that no string holds (`\u000e` + `yJhb…`
 * reads as `eyJhb…`).
 */
function containsSecret(value: unknown, secrets: readonly string[]): string | undefined {
  if (secrets.length === 0) return undefined;
  const seen = new Set<object>();
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const hit = secrets.find((s) => s.length > 0 && v.includes(s));
      if (hit !== undefined) return hit;
      continue;
    }
    if (v === null || typeof v !== 'object' || depth > 64 || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      const text = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
      const hit = secrets.find((s) => s.length > 0 && text.includes(s));
      if (hit !== undefined) return hit;
      continue;
    }
    if (v instanceof Error) {
      stack.push({ v: v.message, depth: depth + 1 }, { v: v.stack, depth: depth + 1 }, { v: (v as { cause?: unknown }).cause, depth: depth + 1 });
    }
    if (v instanceof Map) for (const [k, x] of v) stack.push({ v: k, depth: depth + 1 }, { v: x, depth: depth + 1 });
    else if (v instanceof Set) for (const x of v) stack.push({ v: x, depth: depth + 1 });
    for (const k of Object.keys(v)) stack.push({ v: k, depth: depth + 1 }, { v: (v as Record<string, unknown>)[k], depth: depth + 1 });
  }
  return undefined;
}

/** Runs `target` on `count` generated inputs and reports every failed check. */
export async function fuzz<I>(target: FuzzTarget<I>, options: FuzzRunOptions): Promise<FuzzReport> {
  const seed = options.seed ?? 1;
  const rng = new Rng(seed);
  const secrets = target.secrets ?? [];
  const limitMs = options.maxMsPerInput ?? target.maxMsPerInput ?? 100;
  const maxFailures = options.maxFailures ?? 5;
  const failures: FuzzFailure[] = [];
  const fail = (index: number, kind: FuzzFailure['kind'], detail: string): void => {
    failures.push({ target: target.name, seed, index, kind, detail: detail.slice(0, 500) });
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let maxMs = 0;
  let peakGrowth = 0;
  const t0 = performance.now();
  for (let i = 0; i < options.count && failures.length < maxFailures; i++) {
    const input = target.generate(rng);
    const start = performance.now();
    let outputs: unknown[] = [];
    try {
      outputs = await target.run(input);
    } catch (err) {
      if (!isRxwireError(err)) fail(i, 'exception', err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      outputs = [err];
    }
    let ms = performance.now() - start;
    // A slow first run may be the machine (GC, another process): time the same input twice more
    // and count it slow only when every run is. Super-linear inputs stay slow; stalls do not.
    for (let retry = 0; retry < 2 && ms > limitMs; retry++) {
      const again = performance.now();
      try {
        await target.run(input);
      } catch {
        // already judged above
      }
      ms = Math.min(ms, performance.now() - again);
    }
    if (ms > maxMs) maxMs = ms;
    if (ms > limitMs) fail(i, 'slow', `${ms.toFixed(1)} ms (best of 3)`);
    const leaked = containsSecret(outputs, secrets);
    if (leaked !== undefined) fail(i, 'secret', `a configured secret appeared in the output`);
    if ((i & 255) === 255) {
      // Let the event loop turn: memory that streams, sockets and native handles free on a later turn
      // (undici bodies, zlib contexts) is garbage, not retained input.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const growth = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
      if (growth > peakGrowth) peakGrowth = growth;
      if (growth > (options.maxHeapGrowthMb ?? 512)) {
        gc?.();
        const after = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
        if (after > (options.maxHeapGrowthMb ?? 512)) fail(i, 'memory', `heap grew ${after.toFixed(0)} MB`);
      }
    }
  }
  return { target: target.name, inputs: options.count, failures, maxMs, ms: performance.now() - t0, heapGrowthMb: peakGrowth };
}
