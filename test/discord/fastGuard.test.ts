import fc from 'fast-check';
import * as t from 'io-ts';
import { discordCodecs } from '../../src/gateway/discord';
import { compileGuard } from '../../src/gateway/discord/codecs/fastGuard';
import { discordMessageCreate } from '../../src/testing/discord';

const Sample = t.intersection([
  t.type({ id: t.string, n: t.union([t.number, t.null]), tags: t.array(t.string), pair: t.tuple([t.number, t.number]), kind: t.literal('x') }),
  t.partial({ flag: t.boolean, extra: t.unknown, meta: t.UnknownRecord }),
]);

describe('compileGuard answers as io-ts `is` on JSON values', () => {
  it('agrees on arbitrary JSON values and on near-miss objects', () => {
    const guard = compileGuard(Sample);
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

  it('accepts a realistic MESSAGE_CREATE and rejects it with a wrong field, like io-ts', () => {
    const m = JSON.parse(JSON.stringify(discordMessageCreate('x'))) as Record<string, unknown>;
    expect(discordCodecs.MessageCreate.is(m)).toBe(true);
    const bad = { ...m, author: { ...(m.author as object), id: 5 } };
    expect(discordCodecs.MessageCreate.is(bad)).toBe(false);
    expect(discordCodecs.MessageCreate.decode(bad)._tag).toBe('Left');
  });
});
