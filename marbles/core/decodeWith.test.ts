import * as t from 'io-ts';
import { decodeWith, type DecodeSpec } from '../../src/core';
import { testScheduler } from '../helpers';

const codecs = {
  Ping: t.type({ n: t.number }),
  Say: t.type({ text: t.string, to: t.array(t.string) }),
};
type Frame = { op: string; d: unknown };
const spec: DecodeSpec<'test', typeof codecs, Frame> = { source: 'test', codecs, tag: (f) => f.op, payload: (f) => f.d };

describe('decodeWith', () => {
  it('decodes in order and puts DecodeError and Unknown inline at their frame', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const frames: Record<string, Frame> = {
        p: { op: 'Ping', d: { n: 1 } },
        s: { op: 'Say', d: { text: 'hi', to: ['a'] } },
        x: { op: 'Say', d: { text: 7, to: ['a'] } },
        u: { op: 'Nope', d: null },
      };
      const out = {
        p: { source: 'test', type: 'Ping', data: { n: 1 } },
        s: { source: 'test', type: 'Say', data: { text: 'hi', to: ['a'] } },
        x: { source: 'test', type: 'DecodeError', data: { tag: 'Say', raw: frames.x, errors: ['Say.text: expected string, got 7'] } },
        u: { source: 'test', type: 'Unknown', data: { tag: 'Nope', raw: frames.u } },
      };
      expectObservable(cold('p-x-u-s|', frames).pipe(decodeWith(spec))).toBe('p-x-u-s|', out);
    });
  });

  it('does not error the stream when the tag function throws', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const bad = { op: 'Ping', d: { n: 1 } } as Frame;
      const throwing: DecodeSpec<'test', typeof codecs, Frame> = {
        ...spec,
        tag: (f) => {
          if (f.d === null) throw new Error('no tag');
          return f.op;
        },
      };
      const frames = { a: { op: 'Ping', d: null }, b: bad };
      expectObservable(cold('a-b|', frames).pipe(decodeWith(throwing))).toBe('a-b|', {
        a: { source: 'test', type: 'DecodeError', data: { tag: undefined, raw: frames.a, errors: ['frame: no tag'] } },
        b: { source: 'test', type: 'Ping', data: { n: 1 } },
      });
    });
  });

  it('unsubscribes from the frames on teardown', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const frames = { p: { op: 'Ping', d: { n: 1 } } };
      const src = cold<Frame>('p-p-p-p', frames);
      expectObservable(src.pipe(decodeWith(spec)), '^--!').toBe('p-p', { p: { source: 'test', type: 'Ping', data: { n: 1 } } });
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });
});
