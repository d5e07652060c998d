import { ofType } from '../../src/core';
import { testScheduler } from '../helpers';

type E = { type: 'A'; data: number } | { type: 'B'; data: string } | { type: 'C'; data: boolean };

const values: Record<string, E> = {
  a: { type: 'A', data: 1 },
  b: { type: 'B', data: 'x' },
  c: { type: 'C', data: true },
};

describe('ofType', () => {
  it('keeps one type, in order and at the same frames', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold<E>('a-b-c-a-|', values);
      expectObservable(src.pipe(ofType('A'))).toBe('a-----a-|', values);
    });
  });

  it('keeps several types', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold<E>('a-b-c-a-b|', values);
      expectObservable(src.pipe(ofType('A', 'C'))).toBe('a---c-a--|', values);
    });
  });

  it('passes errors through', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold<E>('a-b-#', values, new Error('boom'));
      expectObservable(src.pipe(ofType('B'))).toBe('--b-#', values, new Error('boom'));
    });
  });

  it('unsubscribes from the source when the subscriber does', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const src = cold<E>('a-b-c-a-b-c', values);
      expectObservable(src.pipe(ofType('C')), '^------!').toBe('----c---', values);
      expectSubscriptions(src.subscriptions).toBe('^------!');
    });
  });
});
