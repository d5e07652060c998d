/**
 * Which test files a jest run includes, judged from its global config in the
 * global setup (before any test file is loaded): no path filter means all of
 * them; otherwise a file is in when one of the filters (regular expressions
 * matched against the absolute path, as jest does) matches it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The path filters of this run (`npx jest a b` → ['a', 'b']); [] when there are none. */
export function pathPatterns(globalConfig: unknown): string[] {
  const g = globalConfig as { testPathPatterns?: { patterns?: string[] } | string[]; testPathPattern?: string } | undefined;
  const tpp = g?.testPathPatterns;
  if (Array.isArray(tpp)) return tpp;
  if (tpp && Array.isArray(tpp.patterns)) return tpp.patterns;
  if (typeof g?.testPathPattern === 'string' && g.testPathPattern !== '') return [g.testPathPattern];
  return [];
}

function matches(pattern: string, file: string): boolean {
  try {
    return new RegExp(pattern, 'i').test(file);
  } catch {
    return file.toLowerCase().includes(pattern.toLowerCase());
  }
}

/** True when the run includes at least one `*.test.ts` file under `dir`. */
export function runIncludesDir(globalConfig: unknown, dir: string): boolean {
  const patterns = pathPatterns(globalConfig);
  if (patterns.length === 0) return true;
  const files = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f)) : [];
  return files.some((f) => patterns.some((p) => matches(p, f)));
}
