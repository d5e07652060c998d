import { connectionState, type ConnectionState } from '../../src/core';
import { testScheduler } from '../helpers';

const ev = (type: string, data: unknown = {}) => ({ source: 'x', type, data });

describe('connectionState', () => {
  it('derives one state per change from the shared lifecycle vocabulary, ignoring data events', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold('a b c d e f g h i j |', {
        a: ev('Connecting', { url: 'wss://h', attempt: 1 }),
        b: ev('Connected', { url: 'wss://h' }),
        c: ev('Ready', { user: 'me' }),
        d: ev('MessageCreate', { content: 'hi' }),
        e: ev('Disconnected', { reason: 'reset', willReconnect: true, code: 1006 }),
        f: ev('Reconnecting', { attempt: 1, delay: 500 }),
        g: ev('Connecting', { url: 'wss://h', attempt: 2 }),
        h: ev('Resumed', { replayed: 3 }),
        i: ev('MessageCreate', { content: 'again' }),
        j: ev('Closed', { reason: 'unsubscribed' }),
      });
      const s = (x: Partial<ConnectionState> & Pick<ConnectionState, 'status' | 'cause'>): ConnectionState => ({ resumed: false, ...x });
      expectObservable(src.pipe(connectionState())).toBe('a b c - e f g h - j |', {
        a: s({ status: 'connecting', cause: 'Connecting', attempt: 1 }),
        b: s({ status: 'connected', cause: 'Connected' }),
        c: s({ status: 'ready', cause: 'Ready' }),
        e: s({ status: 'disconnected', cause: 'Disconnected', reason: 'reset', willReconnect: true }),
        f: s({ status: 'reconnecting', cause: 'Reconnecting', attempt: 1 }),
        g: s({ status: 'connecting', cause: 'Connecting', attempt: 2 }),
        h: s({ status: 'ready', cause: 'Resumed', resumed: true }),
        j: s({ status: 'closed', cause: 'Closed', reason: 'unsubscribed' }),
      });
    });
  });

  it('reads the seed names (Stoat BeforeConnect/AfterConnect, Mail.tm ServerCalledOff)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold('a b c d |', {
        a: ev('BeforeConnect', { url: 'wss://ws.stoat', attempt: 1 }),
        b: ev('AfterConnect', { url: 'wss://ws.stoat' }),
        c: ev('Ready', {}),
        d: ev('ServerCalledOff', { reason: 'stopped' }),
      });
      expectObservable(src.pipe(connectionState())).toBe('a b c d |', {
        a: { status: 'connecting', cause: 'BeforeConnect', resumed: false, attempt: 1 },
        b: { status: 'connected', cause: 'AfterConnect', resumed: false },
        c: { status: 'ready', cause: 'Ready', resumed: false },
        d: { status: 'closed', cause: 'ServerCalledOff', resumed: false, reason: 'stopped' },
      });
    });
  });

  it('ends with closed when the source completes or errors without a Closed event, passing the error on', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const done = cold('a |', { a: ev('Ready') });
      expectObservable(done.pipe(connectionState())).toBe('a (c|)', {
        a: { status: 'ready', cause: 'Ready', resumed: false },
        c: { status: 'closed', cause: 'complete', resumed: false, reason: 'stream completed' },
      });
      const failed = cold('a #', { a: ev('Ready') }, new Error('bad credentials'));
      expectObservable(failed.pipe(connectionState())).toBe('a (c#)', {
        a: { status: 'ready', cause: 'Ready', resumed: false },
        c: { status: 'closed', cause: 'error', resumed: false, reason: 'bad credentials' },
      }, new Error('bad credentials'));
    });
  });

  it('does not repeat a state, and a prototype key as a type is a data event', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const src = cold('a b c d', { a: ev('Ready'), b: ev('Ready'), c: ev('__proto__'), d: ev('constructor') });
      expectObservable(src.pipe(connectionState())).toBe('a ---', { a: { status: 'ready', cause: 'Ready', resumed: false } });
    });
  });
});
