// The fuzz harness's own checks: a leaked secret is found wherever it sits; a JSON escape that merely
// spells it is not a leak; a foreign exception is a failure, an rxwire error is not.
import { CommandFailedError } from '../../src/core';
import { fuzz, type FuzzTarget } from '../../fuzz/harness';

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.secret';

const target = (run: (i: number) => unknown[]): FuzzTarget<number> => {
  let n = 0;
  return { name: 't', secrets: [SECRET], generate: () => n++, run };
};

test('finds a secret in a nested error field, and fails a foreign exception', async () => {
  const leak = await fuzz(target(() => [{ a: [new CommandFailedError('X', 'NO', `echo ${SECRET}`)] }]), { count: 3 });
  expect(leak.failures.map((f) => f.kind)).toEqual(['secret', 'secret', 'secret']);
  const thrown = await fuzz(
    target((i) => {
      if (i === 1) throw new TypeError('boom');
      return [];
    }),
    { count: 3 },
  );
  expect(thrown.failures.map((f) => [f.kind, f.index])).toEqual([['exception', 1]]);
});

test('a control character before the rest of a secret is not a leak (JSON would spell it as \\u000e + yJhb...)', async () => {
  const r = await fuzz(target(() => [{ raw: `\u000e${SECRET.slice(1)}` }]), { count: 2 });
  expect(r.failures).toEqual([]);
  expect(r.inputs).toBe(2);
});

test('a typed rxwire error thrown by the parser is not a failure', async () => {
  const r = await fuzz(
    target(() => {
      throw new CommandFailedError('X', 'BAD', 'no');
    }),
    { count: 2 },
  );
  expect(r.failures).toEqual([]);
});
