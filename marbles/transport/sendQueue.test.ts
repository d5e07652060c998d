import { createSendQueue } from '../../src/gateway/transport';
import { testScheduler } from '../helpers';

describe('createSendQueue (virtual time)', () => {
  it('sends at most limit - reserve queued messages per window, then drains when the window slides', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const sent: Array<[number, string]> = [];
      const q = createSendQueue((d) => (sent.push([ts.now(), String(d)]), true), { limit: 4, reserve: 1, windowMs: 1000, scheduler: ts });
      for (let i = 0; i < 7; i++) q.send(`m${i}`);
      expect(q.pending).toBe(4);
      flush();
      expect(sent).toEqual([
        [0, 'm0'],
        [0, 'm1'],
        [0, 'm2'],
        [1000, 'm3'],
        [1000, 'm4'],
        [1000, 'm5'],
        [2000, 'm6'],
      ]);
    });
  });

  it('lets bypassing sends (heartbeat, identify, resume) through at once, using the reserve', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const sent: Array<[number, string]> = [];
      const q = createSendQueue((d) => (sent.push([ts.now(), String(d)]), true), { limit: 3, reserve: 1, windowMs: 1000, scheduler: ts });
      q.send('a');
      q.send('b');
      q.send('c');
      q.send('beat', true);
      flush();
      expect(sent).toEqual([
        [0, 'a'],
        [0, 'b'],
        [0, 'beat'],
        [1000, 'c'],
      ]);
    });
  });

  it('drops the queue on dispose', () => {
    const ts = testScheduler();
    ts.run(({ flush }) => {
      const sent: string[] = [];
      const q = createSendQueue((d) => (sent.push(String(d)), true), { limit: 2, reserve: 0, windowMs: 1000, scheduler: ts });
      q.send('a');
      q.send('b');
      q.send('c');
      q.dispose();
      flush();
      expect(sent).toEqual(['a', 'b']);
      expect(q.send('d')).toBe(false);
    });
  });
});
