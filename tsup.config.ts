import { defineConfig } from 'tsup';

// One entry per public subpath; everything else under src/ is internal.
// Both builds split shared code into chunks, so the core (error classes,
// operators) exists once per build: a subpath never carries its own copy.
const entry = {
  index: 'src/index.ts',
  imap: 'src/imap/index.ts',
  mailtm: 'src/mailtm/index.ts',
  discord: 'src/gateway/discord/index.ts',
  stoat: 'src/gateway/stoat/index.ts',
  mezon: 'src/gateway/mezon/index.ts',
  ws: 'src/gateway/transport/index.ts',
  jetstream: 'src/jetstream/index.ts',
  testing: 'src/testing/index.ts',
};

const common = { entry, dts: true, sourcemap: true, clean: true, target: 'node20', splitting: true } as const;

export default defineConfig([
  { ...common, format: ['esm'], outDir: 'dist/esm' },
  // shims: `import.meta.url` becomes a CommonJS equivalent (left as is, Node
  // would take the chunk that holds it for an ES module and fail on `exports`).
  { ...common, format: ['cjs'], outDir: 'dist/cjs', shims: true },
  // The `rxwire` command (bin): CommonJS, shebang kept, no declarations (it is not an import surface).
  { entry: { rxwire: 'src/cli/main.ts' }, format: ['cjs'], outDir: 'dist/bin', dts: false, sourcemap: true, clean: true, target: 'node20', shims: true },
]);
