/**
 * A user's marble test against rxwire/testing's fakeMezonSocket: a typed
 * ChannelMessage pushed at a virtual time reaches the app; a dropped socket
 * reconnects after the backoff.
 */
import { filter, map, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mezon } from '../../src/gateway/mezon';
import { fakeMezonSocket, mezonChannelMessage, timeline } from '../../src/testing';

test('pushed channel messages arrive decoded, in order, across a reconnect', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ expectObservable, flush }) => {
    const socket = fakeMezonSocket(ts, { dropAt: { 1: 1_000 } });
    const client = mezon({ clientId: 'bot', apiKey: 'key', socketUrl: 'ws://mezon.test', authenticate: () => of({ token: 'session-token' }), scheduler: ts, transport: socket.transport });
    ts.schedule(() => socket.pushEvent('ChannelMessage', mezonChannelMessage({ message_id: '1', content: { t: 'hello' } })), 100);
    ts.schedule(() => socket.pushEvent('ChannelMessage', mezonChannelMessage({ message_id: '2', content: { t: 'again' } })), 7_000);
    const seen = client.events$.pipe(
      filter((e) => e.type === 'ChannelMessage' || e.type === 'Ready'),
      map((e) => (e.type === 'ChannelMessage' ? `${e.data.message_id}: ${e.data.content.t ?? ''}` : e.type)),
    );
    // Ready once the join answers (10 ms), again after the 5 s reconnect (6 010 ms)
    const expected = timeline([
      [10, ['Ready']],
      [100, ['1: hello']],
      [6_010, ['Ready']],
      [7_000, ['2: again']],
    ]);
    expectObservable(seen, '^ 8s !').toBe(expected.marble, expected.values);
    flush();
    expect(socket.opened()).toBe(2);
    expect(socket.log.filter(([, field]) => field === 'clan_join').map(([at]) => at)).toEqual([0, 6_000]);
  });
});
