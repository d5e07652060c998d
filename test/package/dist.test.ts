/**
 * The worktree's build (npm test builds it first): one copy of the core per
 * build, every subpath in the exports map and typesVersions, and errors that
 * cross subpaths and module systems (the fixture consumers, run through the
 * package's self-reference). test/package/consumer.test.ts runs the same
 * consumers against the packed tarball.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failed, runChecks } from './checks';

const root = join(__dirname, '..', '..');
const fixture = join(__dirname, 'fixture');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { import: { types: string; default: string }; require: { types: string; default: string } }>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const subpaths = JSON.parse(readFileSync(join(fixture, 'subpaths.json'), 'utf8')) as string[];

/** The files of one build that define the error brand (the core's errors module). */
function filesDefiningTheCore(dir: string, ext: string): string[] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith(ext))
    .filter((f) => readFileSync(join(root, dir, f), 'utf8').includes('Symbol.for("rxwire.error")'));
}

describe('the build', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cjs', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  });

  it('lists every exported subpath in the fixtures, and each one in typesVersions', () => {
    const exported = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => (k === '.' ? 'rxwire' : `rxwire/${k.slice(2)}`));
    expect(subpaths.sort()).toEqual(exported.sort());
    const mapped = Object.keys(pkg.typesVersions['*'] ?? {}).map((k) => `rxwire/${k}`);
    expect(mapped.sort()).toEqual(exported.filter((p) => p !== 'rxwire').sort());
  });

  it('has every file the exports map and typesVersions name', () => {
    const files: string[] = [];
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === 'string') files.push(target);
      else files.push(target.import.types, target.import.default, target.require.types, target.require.default);
    }
    for (const list of Object.values(pkg.typesVersions['*'] ?? {})) files.push(...list);
    const missing = files.filter((f) => !existsSync(join(root, f)));
    expect(missing).toEqual([]);
    expect(files.length).toBeGreaterThan(subpaths.length * 4);
  });

  it('defines the core once per build: in a shared chunk, in no entry file', () => {
    for (const [dir, ext] of [
      ['dist/cjs', '.js'],
      ['dist/esm', '.mjs'],
    ] as const) {
      const defining = filesDefiningTheCore(dir, ext);
      expect({ dir, count: defining.length }).toEqual({ dir, count: 1 });
      expect(defining[0]).toMatch(/^chunk-/);
    }
  });

  it('CommonJS: every subpath loads; a mailtm error is the rxwire class, not retryable', () => {
    const checks = runChecks(join(fixture, 'runtime', 'check.cjs'), root);
    expect(Object.keys(checks).length).toBeGreaterThan(subpaths.length + 5);
    expect(failed(checks)).toEqual([]);
  });

  it('ESM and ESM mixed with CommonJS: every subpath loads; errors match across both builds', () => {
    const checks = runChecks(join(fixture, 'runtime', 'check.mjs'), root);
    expect(Object.keys(checks).length).toBeGreaterThan(subpaths.length + 10);
    expect(failed(checks)).toEqual([]);
  });
});
