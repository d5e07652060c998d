/**
 * PersistentMap.from / .of build in place (no path copy per entry): the map
 * they build must be the map n `set`s build, and stay immutable afterwards.
 */
import { PersistentMap } from '../../src/gateway/stoat/persistentMap';

const keys = Array.from({ length: 5000 }, (_, i) => `k${(i * 7919) % 3001}-${i % 3}`);
const entries = keys.map((k, i) => [k, i] as const);

function bySets(): PersistentMap<number> {
  let m = PersistentMap.empty<number>();
  for (const [k, v] of entries) m = m.set(k, v);
  return m;
}

test('from builds the same map as repeated set (later keys win), of keys items by a function', () => {
  const expected = bySets();
  const built = PersistentMap.from(entries);
  const viaOf = PersistentMap.of(entries, ([k]) => k);
  expect(built.size).toBe(new Set(keys).size);
  expect(built.size).toBe(expected.size);
  expect(built.toObject()).toEqual(expected.toObject());
  expect(Object.fromEntries([...viaOf.entries()].map(([k, [, v]]) => [k, v]))).toEqual(expected.toObject());
  for (const k of keys) expect(built.get(k)).toBe(expected.get(k));
  expect(built.get('absent')).toBeUndefined();
});

test('a built map is persistent: set and delete on it leave it unchanged', () => {
  const built = PersistentMap.from(entries);
  const snapshot = built.toObject();
  const model = new Map(Object.entries(snapshot));
  let next = built;
  for (const k of keys.slice(0, 500)) {
    next = next.delete(k);
    model.delete(k);
  }
  for (let i = 0; i < 500; i++) {
    next = next.set(`new${i}`, i).set(keys[1000 + i], -i - 1);
    model.set(`new${i}`, i).set(keys[1000 + i], -i - 1);
  }
  expect(built.toObject()).toEqual(snapshot);
  expect(next.toObject()).toEqual(Object.fromEntries(model));
  expect(next.size).toBe(model.size);
});

test('from of nothing is the empty map', () => {
  expect(PersistentMap.from([]).size).toBe(0);
  expect(PersistentMap.of([], String).set('a', 'a').get('a')).toBe('a');
});
