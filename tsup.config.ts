import { defineConfig } from 'tsup';

// One entry per public subpath; everything else under src/ is internal.
const entry = {
  index: 'src/index.ts',
  imap: 'src/imap/index.ts',
  mailtm: 'src/mailtm/index.ts',
  discord: 'src/gateway/discord/index.ts',
  stoat: 'src/gateway/stoat/index.ts',
  mezon: 'src/gateway/mezon/index.ts',
  testing: 'src/testing/index.ts',
};

export default defineConfig([
  { entry, format: ['esm'], outDir: 'dist/esm', dts: true, sourcemap: true, clean: true, target: 'node20', splitting: true },
  { entry, format: ['cjs'], outDir: 'dist/cjs', dts: true, sourcemap: true, clean: true, target: 'node20' },
]);
