import { defer, Observable } from 'rxjs';
import { shareSource } from '../../src/core';
import { testScheduler } from '../helpers';

describe('shareSource', () => {
  it('connects once for overlapping subscribers, closes on the last, and reconnects for the next', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const conn = cold('a b c d e f');
      const events$ = shareSource(conn);
      expectObservable(events$, '^ - - - !').toBe('a b c d');
      expectObservable(events$, '- - ^ - - !').toBe('- - c d e');
      expectObservable(events$, '- - - - - - - ^ - !').toBe('- - - - - - - a b');
      expectSubscriptions(conn.subscriptions).toBe(['^ - - - - !', '- - - - - - - ^ - !']);
    });
  });

  it('a subscriber after an error starts a fresh connection', () => {
    let connections = 0;
    const events$ = shareSource(
      defer(() => {
        connections++;
        return new Observable<number>((s) => {
          s.next(connections);
          s.error(new Error('drop'));
        });
      }),
    );
    const seen: unknown[] = [];
    events$.subscribe({ next: (v) => seen.push(v), error: (e: Error) => seen.push(e.message) });
    events$.subscribe({ next: (v) => seen.push(v), error: (e: Error) => seen.push(e.message) });
    expect(seen).toEqual([1, 'drop', 2, 'drop']);
    expect(connections).toBe(2);
  });
});
