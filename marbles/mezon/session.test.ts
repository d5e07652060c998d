/**
 * The pure Mezon session step, driven by marbles: join-before-send ordering,
 * cid matching with out-of-order replies, error replies, ping/pong matching,
 * raw API-response reassembly, and what a close does to requests in flight.
 */
import { mergeMap, scan, type Observable } from 'rxjs';
import { encodeApiChunk, initialMezonSession, mezonSessionStep, type MezonInbound, type MezonSessionInput, type MezonSessionOutput, type MezonSessionState } from '../../src/gateway/mezon';
import { testScheduler } from '../helpers';
import { timeline } from '../../src/testing';

/** Runs the step function over an input stream, emitting every output, compactly labelled. */
function run(inputs: Observable<MezonSessionInput>): Observable<string> {
  return inputs.pipe(
    scan<MezonSessionInput, [MezonSessionState, MezonSessionOutput[]]>(([s], i) => mezonSessionStep(s, i), [initialMezonSession, []]),
    mergeMap(([, outs]) => outs.map(label)),
  );
}

function label(o: MezonSessionOutput): string {
  switch (o.kind) {
    case 'Send': {
      const field = Object.keys(o.envelope).find((k) => k !== 'cid');
      return `send ${field} cid=${String(o.envelope.cid)}${o.requestId !== undefined ? ` req=${o.requestId}` : ''}`;
    }
    case 'Resolve':
      return `ok req=${o.id}${o.reply.kind === 'ApiResponse' ? ` api ${o.reply.code} ${o.reply.data.length}B` : ''}`;
    case 'Fail':
      return `fail req=${o.id} ${o.error.name}: ${o.error.message}`;
    case 'Ready':
      return `ready ${o.clans.join(',')}${o.failed.length ? ` failed ${o.failed.join(',')}` : ''}`;
    case 'Emit':
      return `event ${o.event.type}`;
    case 'Pong':
      return 'pong';
  }
}

const reply = (cid: number, field: string, payload: unknown = {}): MezonSessionInput => ({
  kind: 'Inbound',
  item: { kind: 'Envelope', frame: { cid, cidString: false, field, payload, raw: '' } },
});
const req = (id: number, field = 'channel_message_send'): MezonSessionInput => ({ kind: 'Request', request: { id, field, payload: { channel_id: '9' } } });
const open: MezonSessionInput = { kind: 'Open', clans: ['5'] };

/** Feeds inputs at the given frames and expects the outputs at theirs. */
function check(inputs: ReadonlyArray<readonly [number, readonly MezonSessionInput[]]>, outputs: ReadonlyArray<readonly [number, readonly string[]]>): void {
  testScheduler().run(({ hot, expectObservable }) => {
    const i = timeline(inputs);
    const o = timeline(outputs);
    expectObservable(run(hot(i.marble, i.values))).toBe(o.marble, o.values);
  });
}

test('joins every clan and clan "0" first; requests wait until every join has answered', () => {
  check(
    [[0, [open]], [10, [req(1)]], [20, [req(2, 'message_reaction_event')]], [30, [reply(2, 'clan_join')]], [40, [reply(1, 'clan_join')]]],
    [
      [0, ['send clan_join cid=1', 'send clan_join cid=2']],
      [40, ['ready 0,5', 'send channel_message_send cid=3 req=1', 'send message_reaction_event cid=4 req=2']],
    ],
  );
});

test('cids count up; out-of-order replies settle the right requests; an error reply fails only its own', () => {
  check(
    [
      [0, [open]],
      [10, [reply(1, 'clan_join'), reply(2, 'clan_join')]],
      [20, [req(10), req(11)]],
      [30, [req(12)]],
      [40, [reply(5, 'channel_message_ack')]],
      [50, [reply(3, 'error', { code: 3, message: 'Must join channel before sending messages' })]],
      [60, [reply(4, 'channel_message_ack')]],
    ],
    [
      [0, ['send clan_join cid=1', 'send clan_join cid=2']],
      [10, ['ready 5,0']],
      [20, ['send channel_message_send cid=3 req=10', 'send channel_message_send cid=4 req=11']],
      [30, ['send channel_message_send cid=5 req=12']],
      [40, ['ok req=12']],
      [50, ['fail req=10 CommandFailedError: mezon channel_message_send failed: error 3 Must join channel before sending messages']],
      [60, ['ok req=11']],
    ],
  );
});

test('a refused clan join still lets requests through and is reported in Ready', () => {
  check(
    [[0, [open]], [10, [req(1)]], [20, [reply(1, 'error', { code: 3, message: 'You are not a member of clan 5' })]], [30, [reply(2, 'clan_join')]]],
    [
      [0, ['send clan_join cid=1', 'send clan_join cid=2']],
      [30, ['ready 0 failed 5', 'send channel_message_send cid=3 req=1']],
    ],
  );
});

test('pings get their own cids; only the pong with that cid counts; pushes become events', () => {
  const push: MezonInbound = { kind: 'Envelope', frame: { cid: 0, cidString: false, field: 'voice_started_event', payload: { id: 'v', clan_id: '1', voice_channel_id: '2' }, raw: '' } };
  check(
    [
      [0, [{ kind: 'Open', clans: [] }]],
      [10, [{ kind: 'Ping' }]],
      [20, [reply(99, 'pong')]], // nobody asked: ignored
      [30, [reply(2, 'pong')]],
      [40, [{ kind: 'Inbound', item: push }]],
    ],
    [
      [0, ['send clan_join cid=1']],
      [10, ['send ping cid=2']],
      [30, ['pong']],
      [40, ['event VoiceStartedEvent']],
    ],
  );
});

test('raw API-response chunks are reassembled per cid, interleaved', () => {
  const chunk = (cid: number, fin: boolean, n: number, code = 200): MezonSessionInput => {
    const frame = encodeApiChunk(cid, code, fin, new Uint8Array(n));
    return { kind: 'Inbound', item: { kind: 'ApiChunk', cid, code, fin, chunk: frame.subarray(7) } };
  };
  check(
    [
      [0, [{ kind: 'Open', clans: [] }]],
      [10, [reply(1, 'clan_join')]],
      [20, [req(1, 'list_data_socket'), req(2, 'list_data_socket')]],
      [30, [chunk(2, false, 10)]],
      [40, [chunk(3, false, 5)]],
      [50, [chunk(2, true, 7)]],
      [60, [chunk(3, true, 1)]],
    ],
    [
      [0, ['send clan_join cid=1']],
      [10, ['ready 0']],
      [20, ['send list_data_socket cid=2 req=1', 'send list_data_socket cid=3 req=2']],
      [50, ['ok req=1 api 200 17B']],
      [60, ['ok req=2 api 200 6B']],
    ],
  );
});

test('a close fails the requests in flight (not the queued ones, which the driver keeps)', () => {
  check(
    [[0, [{ kind: 'Open', clans: [] }]], [10, [reply(1, 'clan_join')]], [20, [req(7)]], [30, [{ kind: 'Closed', reason: 'the socket closed (code 1006)' }]]],
    [
      [0, ['send clan_join cid=1']],
      [10, ['ready 0']],
      [20, ['send channel_message_send cid=2 req=7']],
      [
        30,
        [
          'fail req=7 ActionDroppedError: mezon channel_message_send was dropped by a disconnect before the server accepted it (the socket closed (code 1006)); it may not have been applied: run it again once the source is ready if it is safe to repeat',
        ],
      ],
    ],
  );
});

test('joins left unanswered at the join deadline count as failed, and the queued requests go out', () => {
  check(
    [[0, [open]], [10, [req(1)]], [20, [reply(2, 'clan_join')]], [30, [{ kind: 'JoinDeadline' }]], [40, [reply(1, 'clan_join')]]],
    [
      [0, ['send clan_join cid=1', 'send clan_join cid=2']],
      [30, ['ready 0 failed 5', 'send channel_message_send cid=3 req=1']],
    ],
  );
});
