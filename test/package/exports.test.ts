/**
 * The built package (npm test builds it first) is importable both ways, with
 * every subpath, and its type declarations resolve for CJS and ESM consumers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const subpaths = ['rxwire', 'rxwire/imap', 'rxwire/mailtm', 'rxwire/discord', 'rxwire/stoat', 'rxwire/mezon', 'rxwire/testing'];

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('built package', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cjs', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  });

  it('require() resolves every subpath to the CommonJS build', () => {
    const script = `const out = {}; for (const p of ${JSON.stringify(subpaths)}) { out[p] = Object.keys(require(p)).length; out[p + ':file'] = require.resolve(p).includes('/dist/cjs/'); } console.log(JSON.stringify(out));`;
    const out = JSON.parse(node(['-e', script])) as Record<string, number | boolean>;
    for (const p of subpaths) expect(out[p + ':file']).toBe(true);
    expect(out['rxwire']).toBeGreaterThan(10);
  });

  it('import resolves every subpath to the ESM build, and the root exports work', () => {
    const script = `const out = {}; for (const p of ${JSON.stringify(subpaths)}) { const m = await import(p); out[p] = Object.keys(m).length; out[p + ':file'] = import.meta.resolve(p).includes('/dist/esm/'); }
      const { of } = await import('rxjs'); const { ofType } = await import('rxwire'); const got = [];
      of({ type: 'A' }, { type: 'B' }, { type: 'A' }).pipe(ofType('A')).subscribe((e) => got.push(e.type));
      out.narrowed = got; console.log(JSON.stringify(out));`;
    const out = JSON.parse(node(['--input-type=module', '-e', script])) as Record<string, unknown>;
    for (const p of subpaths) expect(out[p + ':file']).toBe(true);
    expect(out.narrowed).toEqual(['A', 'A']);
  });

  it('the type declarations resolve for CommonJS and ESM consumers (NodeNext)', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    // Throws with tsc's diagnostics if anything fails to resolve or type-check.
    const output = node([tsc, '-p', join(__dirname, 'fixture', 'tsconfig.json')]);
    expect(output.trim()).toBe('');
  });
});
