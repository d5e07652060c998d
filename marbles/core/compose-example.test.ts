import { map } from 'rxjs';
import { composed } from '../../examples/compose';
import { testScheduler } from '../helpers';

describe('examples/compose', () => {
  it('merges two decoded streams in time order, with the bad frame and the canceled update in place', () => {
    testScheduler().run(({ expectObservable }) => {
      const out = composed(10);
      const types = (e: { source: string; type: string; canceled: boolean; after: { seen: number } }) => `${e.source}:${e.type}:${e.canceled}:${e.after.seen}`;
      // chat every 10 frames (4 values), mail every 15 frames (3 values)
      expectObservable(out.pipe(map(types))).toBe('10ms a 4ms b 4ms c 9ms (de) 6ms f 4ms (g|)', {
        a: 'chat:MessageCreate:false:1',
        b: 'mail:NewMessage:false:2',
        c: 'chat:MessageCreate:false:3',
        d: 'chat:DecodeError:false:4',
        e: 'mail:NewMessage:false:5',
        f: 'chat:MessageCreate:true:5',
        g: 'mail:NewMessage:false:6',
      });
    });
  });
});
