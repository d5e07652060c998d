import fc from 'fast-check';
import * as t from 'io-ts';
import { discordCodecs } from '../../src/gateway/discord';
import { compileGuard, generateGuard } from '../../src/gateway/discord/codecs/fastGuard';
import { discordMessageCreate } from '../../src/testing/discord';

const Sample = t.intersection([
  t.type({ id: t.string, n: t.union([t.number, t.null]), tags: t.array(t.string), pair: t.tuple([t.number, t.number]), kind: t.literal('x') }),
  t.partial({ flag: t.boolean, extra: t.unknown, meta: t.UnknownRecord }),
]);

describe.each([
  ['compileGuard', compileGuard],
  ['generateGuard', generateGuard],
] as const)('%s answers as io-ts `is` on JSON values', (_name, compile) => {
  it('agrees on arbitrary JSON values and on near-miss objects', () => {
    const guard = compile(Sample);
    const nearMiss = fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer()),
        n: fc.oneof(fc.integer(), fc.constant(null), fc.string()),
        tags: fc.array(fc.oneof(fc.string(), fc.integer())),
        pair: fc.array(fc.integer(), { maxLength: 3 }),
        kind: fc.constantFrom('x', 'y'),
        flag: fc.oneof(fc.boolean(), fc.constant(1)),
        meta: fc.oneof(fc.dictionary(fc.string(), fc.integer()), fc.array(fc.integer()), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), nearMiss), (v) => guard(v) === Sample.is(v)), { numRuns: 2000 });
  });

  it('agrees with io-ts on every corpus fixture and on mutations of them, for every codec', () => {
    const corpus = require('node:fs')
      .readdirSync(`${__dirname}/corpus`)
      .flatMap((f: string) => (JSON.parse(require('node:fs').readFileSync(`${__dirname}/corpus/${f}`, 'utf8')) as { fixtures: Array<{ d: unknown }> }).fixtures.map((x) => x.d));
    // near misses: each fixture without one of its keys, and with one key set to null
    const mutations = corpus.flatMap((d: unknown) =>
      d !== null && typeof d === 'object' && !Array.isArray(d)
        ? Object.keys(d).flatMap((k) => {
            const { [k]: _drop, ...without } = d as Record<string, unknown>;
            return [without, { ...(d as Record<string, unknown>), [k]: null }];
          })
        : [],
    );
    const values = [...corpus, ...mutations, ...fc.sample(fc.jsonValue(), 50)];
    const disagreements: string[] = [];
    for (const [name, codec] of Object.entries(discordCodecs)) {
      const plain = codec as unknown as t.Mixed;
      const guard = compile(plain);
      for (const v of values) if (guard(v) !== (plain.validate(v, [])._tag === 'Right')) disagreements.push(`${name}: ${JSON.stringify(v).slice(0, 80)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('accepts a realistic MESSAGE_CREATE and rejects it with a wrong field, like io-ts', () => {
    const m = JSON.parse(JSON.stringify(discordMessageCreate('x'))) as Record<string, unknown>;
    expect(discordCodecs.MessageCreate.is(m)).toBe(true);
    const bad = { ...m, author: { ...(m.author as object), id: 5 } };
    expect(discordCodecs.MessageCreate.is(bad)).toBe(false);
    expect(discordCodecs.MessageCreate.decode(bad)._tag).toBe('Left');
  });
});
