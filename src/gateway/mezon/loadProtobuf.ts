/**
 * Loads the protobuf wire runtime, `@bufbuild/protobuf/wire` (BinaryReader /
 * BinaryWriter), on first use. It is an optional peer dependency of rxwire:
 * only Mezon users install it, so the other sources cost nothing. Both of
 * rxwire's builds load its CommonJS build with `createRequire` anchored at
 * this module (`__filename` in CJS, `import.meta.url` in ESM).
 */
import { createRequire } from 'node:module';
import type * as Wire from '@bufbuild/protobuf/wire';

/** The part of `@bufbuild/protobuf/wire` rxwire uses. */
export type ProtobufWire = Pick<typeof Wire, 'BinaryReader' | 'BinaryWriter'>;

/** Thrown when `@bufbuild/protobuf` is not installed; the message says what to do. */
export class MezonRuntimeMissingError extends Error {
  constructor(cause: unknown) {
    super('rxwire/mezon needs the protobuf runtime @bufbuild/protobuf (an optional peer dependency): run `npm install @bufbuild/protobuf@^2`', { cause });
    this.name = 'MezonRuntimeMissingError';
  }
}

let loaded: ProtobufWire | undefined;

/** The wire runtime (loaded once). Throws MezonRuntimeMissingError when the package is missing. */
export function protobufWire(): ProtobufWire {
  if (loaded === undefined) {
    const here = typeof __filename === 'string' ? __filename : import.meta.url;
    try {
      loaded = createRequire(here)('@bufbuild/protobuf/wire') as ProtobufWire;
    } catch (e) {
      throw new MezonRuntimeMissingError(e);
    }
  }
  return loaded;
}
