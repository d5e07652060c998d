/**
 * The Mezon client driver in virtual time, over a scripted in-memory socket:
 * ping/pong deadline, reconnect backoff 5 s → 60 s (reset after a healthy
 * connection), and join-before-send ordering of an action.
 */
import { Observable, map, of, type SchedulerLike } from 'rxjs';
import { TransportClosedError } from '../../src/core';
import { decodeEnvelopeBinary, encodeEnvelopeBinary, envelopeField, mezon, type MezonEvent } from '../../src/gateway/mezon';
import type { WsConnection, WsInbound } from '../../src/gateway/transport';
import { testScheduler } from '../helpers';
import { timeline } from '../../src/testing';

interface Script {
  /** Answer the n-th ping (1-based, per connection)? Default: always. */
  readonly pong?: (n: number) => boolean;
  /** Connection attempts (1-based) that fail before opening. */
  readonly refuse?: (attempt: number) => boolean;
  /** Drop connection number `n` (1-based) at this absolute time. */
  readonly dropAt?: Readonly<Record<number, number>>;
}

/** A scripted Mezon socket: answers joins, pings and sends 10 ms later. Logs `[time, field, cid]` of what it received. */
function fakeMezon(scheduler: SchedulerLike, script: Script = {}) {
  const log: Array<[number, string, string]> = [];
  let attempts = 0;
  let opened = 0;
  const transport = (url: string): Observable<WsInbound> =>
    new Observable<WsInbound>((sub) => {
      attempts++;
      if (script.refuse?.(attempts)) {
        sub.error(new TransportClosedError('could not connect to ws://mezon.test/ws?…: ECONNREFUSED'));
        return;
      }
      const n = ++opened;
      let pings = 0;
      const reply = (envelope: Record<string, unknown>) =>
        scheduler.schedule(() => sub.next({ kind: 'Binary', connection, data: Buffer.from(encodeEnvelopeBinary(envelope)) }), 10);
      const connection: WsConnection = {
        id: n,
        url,
        send(data) {
          const env = decodeEnvelopeBinary(typeof data === 'string' ? Buffer.from(data) : data);
          const field = envelopeField(env) ?? '';
          const cid = String(env.cid);
          log.push([scheduler.now(), field, cid]);
          if (field === 'clan_join') reply({ cid, clan_join: env.clan_join });
          else if (field === 'ping' && (script.pong?.(++pings) ?? true)) reply({ cid, pong: {} });
          else if (field === 'channel_message_send') reply({ cid, channel_message_ack: { channel_id: '9', message_id: '77' } });
          return true;
        },
        close: () => undefined,
        terminate: () => undefined,
      };
      sub.next({ kind: 'Open', connection });
      const drop = script.dropAt?.[n];
      if (drop !== undefined) {
        scheduler.schedule(() => {
          sub.next({ kind: 'Close', connection, code: 1006, reason: '', initiatedByClient: false });
          sub.complete();
        }, drop - scheduler.now());
      }
    });
  return { transport, log };
}

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
