/**
 * The compiled fast-path guard (codecs/guard.ts) answers exactly as io-ts's
 * own `is`, over the corpus and over mutations of it (missing keys, wrong
 * types, byte arrays and arrays where records go, prototype keys).
 */
import * as t from 'io-ts';
import { StoatModels } from '../../src/gateway/stoat';
import { withStoatGuard } from '../../src/gateway/stoat/codecs/guard';
import { corpus, jsonForm } from './corpus/events';

const codecs: Array<[string, t.Mixed]> = Object.entries(StoatModels).filter((e): e is [string, t.Mixed] => e[1] instanceof t.Type);

function* mutations(v: unknown, depth = 0): Generator<unknown> {
  yield v;
  if (depth > 1 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    if (v.length > 0) for (const m of mutations(v[0], depth + 1)) yield [m, ...v.slice(1)];
    yield [...v, 1];
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const { [k]: _gone, ...rest } = o;
    yield rest;
    for (const bad of [1, 'x', null, [], new Uint8Array(2), { type: 'x' }]) yield { ...o, [k]: bad };
    for (const m of mutations(o[k], depth + 1)) yield { ...o, [k]: m };
  }
  yield { ...o, __proto__: { polluted: true } };
  yield JSON.parse(`{"__proto__":1,${JSON.stringify(o).slice(1)}`) as unknown;
}

it('agrees with io-ts on every model codec over the corpus and its mutations', () => {
  let checked = 0;
  const samples = corpus.map((c) => jsonForm(c.frame));
  const fast = codecs.map(([name, c]) => [name, c, withStoatGuard(c)] as const);
  for (const sample of samples) {
    for (const m of mutations(sample)) {
      // Byte arrays are not records to the compiled guard (io-ts's UnknownRecord lets them pass):
      // there it may only be stricter, which sends the value down io-ts's decode path. Elsewhere, equal.
      const bytes = JSON.stringify(m, (_k, x: unknown) => (x instanceof Uint8Array ? '\u0000bytes' : x)).includes('\\u0000bytes');
      for (const [name, c, g] of fast) {
        const a = c.is(m);
        const b = g.is(m);
        if (b && !a) throw new Error(`${name} accepts what io-ts refuses: ${JSON.stringify(m)}`);
        if (a !== b && !bytes) throw new Error(`${name} disagrees on ${JSON.stringify(m)}: io-ts ${a}, compiled ${b}`);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(10_000);
});
