import { isRight } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { share } from 'rxjs';
import { ofType } from '../../src/core';
import { ImapEventData, type ImapEvent } from '../../src/imap/watch/events';
import { testScheduler } from '../helpers';
import { at, makeWatch } from './helpers';
import { ScriptedServer } from './scriptedServer';

describe('ImapEvent data is what its codec says', () => {
  it('every event of a session with reconnects, catch-up and unsolicited data decodes with ImapEventData[type]', () => {
    const server = new ScriptedServer();
    server.append('old');
    const seen: ImapEvent[] = [];
    const subjects: string[] = [];
    testScheduler().run(() => {
      // cold: one connection per subscription, so share it between the two subscribers
      const events$ = makeWatch(server).events$.pipe(share());
      const sub = events$.subscribe((e) => seen.push(e));
      const news = events$.pipe(ofType('NewMessages')).subscribe((e) => subjects.push(...e.data.messages.map((m) => m.envelope?.subject ?? '')));
      at(100, () => server.append('a'));
      at(200, () => server.setFlags(1, ['\\Seen']));
      at(300, () => {
        server.kill();
        server.append('b');
        server.expunge(1);
      });
      at(2000, () => server.push({ kind: 'condition', status: 'OK', code: { name: 'ALERT' }, text: 'hello' }));
      at(2100, () => server.push({ kind: 'flags', flags: ['\\Seen', '$Label1'] }));
      at(3000, () => {
        sub.unsubscribe();
        news.unsubscribe();
      });
    });
    expect(subjects).toEqual(['a', 'b']);
    expect(new Set(seen.map((e) => e.type))).toEqual(
      new Set(['Connecting', 'Connected', 'MailboxSelected', 'IdleStarted', 'Ready', 'Resumed', 'NewMessages', 'FlagsChanged', 'Disconnected', 'Reconnecting', 'Expunged', 'MailboxFlags', 'Alert']),
    );
    for (const e of seen) {
      if (e.type === 'Unknown' || e.type === 'DecodeError') continue;
      const codec: t.Decoder<unknown, unknown> = ImapEventData[e.type];
      expect([e.type, isRight(codec.decode(e.data))]).toEqual([e.type, true]);
    }
  });
});
