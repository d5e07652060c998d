/**
 * The package as a user gets it: `npm pack` the build, install the tarball
 * (with rxjs, @types/node and the optional peer @bufbuild/protobuf that
 * rxwire/mezon needs, nothing else) into one temporary project, then
 * - run the CommonJS and ESM consumers (every subpath; errors across subpaths
 *   and across the two module systems), the same scripts dist.test.ts runs;
 * - type-check consumers under node16, nodenext (strict, skipLibCheck off: the
 *   user needs no @types/ws), bundler and node10 (typesVersions) resolution;
 * - emit declarations for a library whose inferred types name the transport's
 *   types, which must be written through rxwire/ws (no TS2742).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { failed, runChecks } from './checks';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const fixture = join(__dirname, 'fixture');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

type Outcome = { ok: true } | { ok: false; output: string };

const base = { target: 'es2022', strict: true, types: ['node'], skipLibCheck: true, noEmit: true };
const projects: Record<string, { compilerOptions: Record<string, unknown>; files: string[] }> = {
  nodenext: { compilerOptions: { ...base, module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, files: ['esm.mts', 'cjs.cts'] },
  node16: { compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16' }, files: ['esm.mts', 'cjs.cts'] },
  bundler: { compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler' }, files: ['esm.mts'] },
  node10: { compilerOptions: { ...base, module: 'commonjs', moduleResolution: 'node10' }, files: ['node10.ts'] },
  library: {
    compilerOptions: { ...base, module: 'nodenext', moduleResolution: 'nodenext', noEmit: false, declaration: true, emitDeclarationOnly: true, outDir: 'out' },
    files: ['library.mts'],
  },
};

let dir = '';
let packed: string[] = [];
const typechecks = new Map<string, Promise<Outcome>>();

async function typecheck(name: string): Promise<Outcome> {
  try {
    await run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: dir, timeout: 120_000 });
    return { ok: true };
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` || String(e) };
  }
}

/** Runs the projects two at a time (the slow strict one alone on one lane). */
function startTypechecks(): void {
  const lanes = [['nodenext'], ['library', 'node16', 'bundler', 'node10']];
  for (const lane of lanes) {
    let previous: Promise<unknown> = Promise.resolve();
    for (const name of lane) {
      const p = previous.then(() => typecheck(name));
      typechecks.set(name, p);
      previous = p;
    }
  }
}

/** A type check waits for tsc (run in the background since beforeAll); on a loaded machine that can take a while. */
const TYPECHECK_TIMEOUT = 150_000;

async function expectTypechecks(name: string): Promise<void> {
  const outcome = await typechecks.get(name);
  expect(outcome).toEqual({ ok: true });
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cjs', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  dir = mkdtempSync(join(tmpdir(), 'rxwire-consumer-'));
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: root, timeout: 60_000 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  packed = info.files.map((f) => f.path);
  const project = join(dir, 'project');
  mkdirSync(join(project, 'runtime'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'rxwire-consumer', private: true, version: '0.0.0' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', join(dir, info.filename), 'rxjs@^7.8', '@types/node@^20', '@bufbuild/protobuf@^2'], {
    cwd: project,
    timeout: 90_000,
  });
  dir = project;
  cpSync(join(fixture, 'subpaths.json'), join(dir, 'subpaths.json'));
  for (const f of ['check.cjs', 'check.mjs']) cpSync(join(fixture, 'runtime', f), join(dir, 'runtime', f));
  for (const f of ['esm.mts', 'cjs.cts', 'node10.ts', 'library.mts']) cpSync(join(fixture, 'types', f), join(dir, f));
  for (const [name, config] of Object.entries(projects)) writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify(config));
  startTypechecks();
}, 150_000);

afterAll(async () => {
  // Let any type check still running finish before its directory goes.
  await Promise.allSettled(typechecks.values());
  if (dir !== '') rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('the packed package, installed in a fresh project', () => {
  it('ships dist, README, LICENSE, CHANGELOG and package.json, nothing else', () => {
    expect(packed.filter((p) => !p.startsWith('dist/')).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
    expect(packed).toEqual(expect.arrayContaining(['dist/cjs/index.js', 'dist/esm/index.mjs', 'dist/cjs/ws.d.ts', 'dist/esm/ws.d.mts']));
  });

  it('CommonJS: every subpath loads; a mailtm error is the rxwire class, not retryable', () => {
    const checks = runChecks(join(dir, 'runtime', 'check.cjs'), dir);
    expect(Object.keys(checks).length).toBeGreaterThan(10);
    expect(failed(checks)).toEqual([]);
  });

  it('ESM and ESM mixed with CommonJS: every subpath loads; errors match across both builds', () => {
    const checks = runChecks(join(dir, 'runtime', 'check.mjs'), dir);
    expect(Object.keys(checks).length).toBeGreaterThan(15);
    expect(failed(checks)).toEqual([]);
  });

  it('the user installed no @types/ws: it comes with rxwire', () => {
    const consumer = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(consumer.dependencies).sort()).toEqual(['@bufbuild/protobuf', '@types/node', 'rxjs', 'rxwire']);
    const rxwire = JSON.parse(readFileSync(join(dir, 'node_modules', 'rxwire', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(rxwire.dependencies['@types/ws']).toBeDefined();
  });

  it('type-checks CJS and ESM consumers under nodenext, strict, with skipLibCheck off', async () => {
    await expectTypechecks('nodenext');
  }, TYPECHECK_TIMEOUT);

  it('type-checks CJS and ESM consumers under node16', async () => {
    await expectTypechecks('node16');
  }, TYPECHECK_TIMEOUT);

  it('type-checks an ESM consumer under bundler resolution', async () => {
    await expectTypechecks('bundler');
  }, TYPECHECK_TIMEOUT);

  it('type-checks a consumer under node10 resolution (subpaths through typesVersions)', async () => {
    await expectTypechecks('node10');
  }, TYPECHECK_TIMEOUT);

  it('a library emitting declarations names the transport types through rxwire/ws (no TS2742)', async () => {
    await expectTypechecks('library');
    const emitted = readFileSync(join(dir, 'out', 'library.d.mts'), 'utf8');
    expect(emitted).toContain('import("rxwire/ws").WsInbound');
    expect(emitted).not.toContain('dist/');
  }, TYPECHECK_TIMEOUT);
});
