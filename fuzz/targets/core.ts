// Core decode: any tag (prototype keys included) and any payload give an event, never a throw.
import * as t from 'io-ts';
import { decodeFrame } from '../../src/core/decode';
import type { FuzzTarget, Rng } from '../harness';

const codecs = { A: t.type({ id: t.string, n: t.number }), B: t.partial({ x: t.array(t.string) }) };
const TAGS = ['A', 'B', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'a'];

function value(rng: Rng, depth: number): unknown {
  switch (rng.int(depth > 6 ? 4 : 7)) {
    case 0:
      return rng.string(8);
    case 1:
      return rng.int(1000) - 500;
    case 2:
      return rng.chance(0.5) ? null : undefined;
    case 3:
      return rng.chance(0.5);
    case 4:
      return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--) o[rng.pick(['id', 'n', 'x', '__proto__', rng.string(4)])] = value(rng, depth + 1);
      return o;
    }
  }
}

export const targets: FuzzTarget<{ tag: string; payload: unknown }>[] = [
  {
    name: 'core.decodeFrame',
    generate: (rng) => ({ tag: rng.chance(0.8) ? rng.pick(TAGS) : rng.string(6), payload: value(rng, 0) }),
    run: (f) => [decodeFrame({ source: 'fuzz', codecs, tag: (x: typeof f) => x.tag, payload: (x: typeof f) => x.payload }, f)],
  },
];
