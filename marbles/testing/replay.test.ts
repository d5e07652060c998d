/**
 * replayWebSocket / replayImapBytes in virtual time: each inbound item at its
 * recorded offset from its segment's open, one segment per subscription, sends
 * collected with their virtual times.
 */
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { parseRecording, replayImapBytes, replayWebSocket } from '../../src/testing/record';

const recording = parseRecording(
  [
    '{"t":1000,"dir":"open","data":"ws://x/","connection":7}',
    '{"t":1010,"dir":"in","kind":"text","data":"hello"}',
    '{"t":1010,"dir":"in","kind":"binary","data":"AAE="}',
    '{"t":1500,"dir":"close","data":"bye","code":4000}',
    '{"t":3000,"dir":"open","data":"ws://x/"}',
    '{"t":3020,"dir":"in","kind":"text","data":"again"}',
  ].join('\n'),
);

const testScheduler = (): TestScheduler => new TestScheduler((a, b) => expect(a).toEqual(b));

test('plays each segment on its own subscription, at recorded offsets', () => {
  testScheduler().run(({ expectObservable }) => {
    const replay = replayWebSocket(recording);
    const show = (item: { kind: string; data?: unknown; code?: number; connection: { id: number } }): string =>
      `${item.kind}:${item.kind === 'Binary' ? Buffer.from(item.data as Buffer).toString('hex') : (item.data ?? item.code ?? '')}@${item.connection.id}`;
    expectObservable(replay.transport('ws://x/').pipe(map(show))).toBe('a 9ms (bc) 486ms (d|)', {
      a: 'Open:@7',
      b: 'Text:hello@7',
      c: 'Binary:0001@7',
      d: 'Close:4000@7',
    });
    // the second subscription (a reconnect at frame 600) gets the second segment
    expectObservable(replay.transport('ws://x/').pipe(map(show)), '600ms ^').toBe('600ms a 19ms b', { a: 'Open:@1000001', b: 'Text:again@1000001' });
  });
});

test('sends are collected with their virtual time since the open', () => {
  testScheduler().run(({ flush }) => {
    const replay = replayWebSocket(recording);
    replay.transport('ws://x/').subscribe((item) => {
      if (item.kind === 'Text') item.connection.send('pong');
    });
    flush();
    expect(replay.sent).toEqual([{ t: 10, segment: 0, data: 'pong' }]);
  });
});

test('replayImapBytes: the in-bytes of a segment, scaled, then completion at the close', () => {
  const imap = parseRecording(
    [
      '{"t":0,"dir":"open","data":"imap://h:1"}',
      '{"t":2,"dir":"in","kind":"text","data":"* OK hi\\r\\n"}',
      '{"t":3,"dir":"out","kind":"text","data":"a LOGIN u ***\\r\\n"}',
      '{"t":5,"dir":"in","kind":"text","data":"a OK\\r\\n"}',
      '{"t":9,"dir":"close","data":"closed"}',
    ].join('\n'),
  );
  testScheduler().run(({ expectObservable }) => {
    expectObservable(replayImapBytes(imap, { timeScale: 10 }).pipe(map((b) => b.toString()))).toBe('20ms a 29ms b 39ms |', { a: '* OK hi\r\n', b: 'a OK\r\n' });
  });
});
