/**
 * Loads mezon-js-protobuf. Its ESM build cannot be imported by Node (it
 * imports `protobufjs/minimal` without a file extension, and protobufjs has
 * no exports map), so both of rxwire's builds load its CommonJS build: with
 * `createRequire` anchored at this module (`__filename` in CJS, `import.meta.url` in ESM).
 */
import { createRequire } from 'node:module';
import type * as MezonPb from 'mezon-js-protobuf';

export type MezonProtobuf = typeof MezonPb;

let loaded: MezonProtobuf | undefined;

export function mezonProtobuf(): MezonProtobuf {
  if (loaded === undefined) {
    const here = typeof __filename === 'string' ? __filename : import.meta.url;
    loaded = createRequire(here)('mezon-js-protobuf') as MezonProtobuf;
  }
  return loaded;
}
