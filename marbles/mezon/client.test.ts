/**
 * The Mezon client driver in virtual time, over a scripted in-memory socket:
 * ping/pong deadline, reconnect backoff 5 s → 60 s (reset after a healthy
 * connection), and join-before-send ordering of an action. The socket is
 * rxwire/testing's fakeMezonSocket.
 */
import { map, of } from 'rxjs';
import { mezon, type MezonEvent } from '../../src/gateway/mezon';
import { testScheduler } from '../helpers';
import { fakeMezonSocket as fakeMezon, timeline } from '../../src/testing';

function label(e: MezonEvent): string {
  switch (e.type) {
    case 'Reconnecting':
      return `Reconnecting #${e.data.attempt} in ${e.data.delay}`;
    case 'Disconnected':
      return `Disconnected: ${e.data.reason}`;
    case 'Connecting':
      return `Connecting #${e.data.attempt}`;
    default:
      return e.type;
  }
}

const base = { clientId: 'bot', apiKey: 'key', socketUrl: 'ws://mezon.test', authenticate: () => of({ token: 'session-token' }) };

test('a missed pong: the next beat (10 s later) closes the socket, Disconnected, and a reconnect 5 s later', () => {
  const ts = testScheduler();
  ts.run(({ expectObservable, flush }) => {
    const server = fakeMezon(ts, { pong: (n) => n === 1 });
    const client = mezon({ ...base, clans: ['5'], scheduler: ts, transport: server.transport });
    const expected = timeline([
      [0, ['Connecting #1', 'Connected']],
      [10, ['Ready']],
      [30_000, ['Disconnected: mezon pong did not arrive within 10000 ms; the connection is treated as dead and reopened', 'Reconnecting #1 in 5000']],
      [35_000, ['Connecting #1', 'Connected']],
      [35_010, ['Ready']],
    ]);
    expectObservable(client.events$.pipe(map(label)), '40s !').toBe(expected.marble, expected.values);
    flush();
    expect(server.log.filter(([, f]) => f === 'ping')).toEqual([
      [10_000, 'ping', '3'],
      [20_000, 'ping', '4'],
    ]);
  });
});

test('reconnect backoff doubles from 5 s to a 60 s cap, and resets after a healthy connection', () => {
  const ts = testScheduler();
  ts.run(({ expectObservable }) => {
    // attempts 1-6 refused; the 7th (at 195 s) connects and is dropped at 200 s.
    const server = fakeMezon(ts, { refuse: (n) => n <= 6, dropAt: { 1: 200_000 } });
    const client = mezon({ ...base, scheduler: ts, transport: server.transport });
    const refused = 'Disconnected: connection closed: could not connect to ws://mezon.test/ws?…: ECONNREFUSED. check the host and port if this persists';
    const expected = timeline([
      [0, ['Connecting #1', refused, 'Reconnecting #1 in 5000']],
      [5_000, ['Connecting #2', refused, 'Reconnecting #2 in 10000']],
      [15_000, ['Connecting #3', refused, 'Reconnecting #3 in 20000']],
      [35_000, ['Connecting #4', refused, 'Reconnecting #4 in 40000']],
      [75_000, ['Connecting #5', refused, 'Reconnecting #5 in 60000']],
      [135_000, ['Connecting #6', refused, 'Reconnecting #6 in 60000']],
      [195_000, ['Connecting #7', 'Connected']],
      [195_010, ['Ready']],
      [
        200_000,
        [
          'Disconnected: connection closed: the mezon socket closed (code 1006). check the host and port if this persists',
          'Reconnecting #1 in 5000',
        ],
      ],
      [205_000, ['Connecting #1', 'Connected']],
      [205_010, ['Ready']],
    ]);
    expectObservable(client.events$.pipe(map(label)), '210s !').toBe(expected.marble, expected.values);
  });
});

test('an action subscribed before the socket opens is sent only after every clan join has answered', () => {
  const ts = testScheduler();
  ts.run(({ expectObservable, flush }) => {
    const server = fakeMezon(ts);
    const client = mezon({ ...base, clans: ['5', '6'], scheduler: ts, transport: server.transport });
    const ack = client.sendMessage({ clan_id: '5', channel_id: '9', mode: 2, is_public: true, content: { t: 'hi' } });
    expectObservable(ack.pipe(map((a) => a.message_id))).toBe('20ms (a|)', { a: '77' });
    flush();
    expect(server.log.filter(([, f]) => f !== 'ping')).toEqual([
      [0, 'clan_join', '1'],
      [0, 'clan_join', '2'],
      [0, 'clan_join', '3'],
      [10, 'channel_message_send', '4'],
    ]);
  });
});
