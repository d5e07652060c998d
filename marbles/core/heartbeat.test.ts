import { Subject } from 'rxjs';
import { heartbeat, TimeoutError } from '../../src/core';
import { testScheduler } from '../helpers';

describe('heartbeat', () => {
  it('beats after the first delay, then every interval, while acks arrive', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const acks = cold('     -----a----a----a----a', { a: 1 });
      const beats = heartbeat(acks, { interval: 5, firstDelay: 3});
      expectObservable(beats, '^ 20ms !').toBe('---1----2----3----4---', { 1: 1, 2: 2, 3: 3, 4: 4 });
    });
  });

  it('errors with a TimeoutError when a beat is due and the last one was not acked (zombie)', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const acks = cold('----a', { a: 1 }); // only the first beat is acked
      const beats = heartbeat(acks, { interval: 5, firstDelay: 2, what: 'Heartbeat ACK' });
      expectObservable(beats).toBe('--1----2----#', { 1: 1, 2: 2 }, new TimeoutError('Heartbeat ACK', 5));
    });
  });

  it('stops its timer and its ack subscription on unsubscribe', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const acks = cold('-a-a-a-a-a-a-a-a', { a: 1 });
      expectObservable(heartbeat(acks, { interval: 2 }), '^----!').toBe('--1-2-', { 1: 1, 2: 2 });
      expectSubscriptions(acks.subscriptions).toBe('^----!');
    });
  });

  it('works with a hot ack subject', () => {
    testScheduler().run(({ expectObservable, hot }) => {
      const acks = new Subject<number>();
      hot('--a--a--a').subscribe(() => acks.next(1));
      expectObservable(heartbeat(acks, { interval: 3, firstDelay: 1 }), '^ 9ms !').toBe('-1--2--3--', { 1: 1, 2: 2, 3: 3 });
    });
  });
});
