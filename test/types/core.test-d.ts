/**
 * Type tests, checked by `npm run typecheck` (tsc -p tsconfig.test.json), not run by jest.
 * A `@ts-expect-error` line fails the type check if the error it expects goes away.
 */
import * as t from 'io-ts';
import { of, type Observable } from 'rxjs';
import { decodeWith, ofType, withCache, type Cached, type DecodeErrorEvent, type SourceEvent, type UnknownEvent } from '../../src/core';
import { expectType, type Equal } from './expect';

type A = SourceEvent<'s', 'A', { n: number }>;
type B = SourceEvent<'s', 'B', { text: string }>;
type C = SourceEvent<'s', 'C', null>;
type E = A | B | C;
declare const events$: Observable<E>;

// One type narrows to that member.
const onlyA = events$.pipe(ofType('A'));
expectType<Equal<typeof onlyA, Observable<A>>>(true);

// Several types narrow to their union.
const ab = events$.pipe(ofType('A', 'B'));
expectType<Equal<typeof ab, Observable<A | B>>>(true);

// The narrowed data is usable without casts.
events$.pipe(ofType('B')).subscribe((e) => e.data.text.toUpperCase());

// A type name the union does not have does not compile.
// @ts-expect-error 'D' is not a member of E['type']
events$.pipe(ofType('D'));

// ofType needs at least one name.
// @ts-expect-error no type given
events$.pipe(ofType());

// decodeWith infers the event union from the codec table.
const codecs = { Ping: t.type({ n: t.number }), Say: t.type({ text: t.string }) };
const decoded = of({ op: 'Ping', d: {} as unknown }).pipe(decodeWith({ source: 'x', codecs, tag: (f) => f.op, payload: (f) => f.d }));
type Decoded = typeof decoded extends Observable<infer D> ? D : never;
expectType<
  Equal<Decoded, SourceEvent<'x', 'Ping', { n: number }> | SourceEvent<'x', 'Say', { text: string }> | UnknownEvent<'x'> | DecodeErrorEvent<'x'>>
>(true);
decoded.pipe(ofType('Say')).subscribe((e) => e.data.text.length);
// @ts-expect-error 'Pong' is not decoded by this table
decoded.pipe(ofType('Pong'));

// Cached events keep the union (ofType still narrows) and carry the snapshots.
type S = { count: number };
const cached = events$.pipe(withCache<E, S>({ initial: { count: 0 }, reduce: (s) => ({ count: s.count + 1 }) }));
const cachedA = cached.pipe(ofType('A'));
expectType<Equal<typeof cachedA, Observable<Cached<A, S>>>>(true);
cachedA.subscribe((e) => {
  const n: number = e.data.n + e.before.count + e.after.count;
  const c: boolean = e.canceled;
  return [n, c];
});
