import { testScheduler } from '../helpers';
import { at, makeWatch, record, type Recording } from './helpers';
import { ScriptedServer } from './scriptedServer';

function run(body: () => void): void {
  testScheduler().run(body);
}

describe('IMAP watch: liveness, reconnect backoff, catch-up (virtual time)', () => {
  it('a quiet IDLE is probed with DONE + NOOP and resumed when the server answers', () => {
    const server = new ScriptedServer();
    run(() => {
      record(makeWatch(server, { livenessTimeout: 60_000 }).events$, 70_000);
    });
    expect(server.log.slice(3)).toEqual([
      [4, 'IDLE'],
      [60_005, 'DONE'],
      [60_006, 'NOOP'],
      [60_007, 'IDLE'],
      [70_000, 'DONE'],
      [70_000, 'LOGOUT'],
      [70_000, 'CLOSE'],
    ]);
  });

  it('server data keeps the liveness deadline from firing', () => {
    const server = new ScriptedServer();
    run(() => {
      record(makeWatch(server, { livenessTimeout: 60_000 }).events$, 150_000);
      for (let t = 50_000; t < 150_000; t += 50_000) at(t, () => server.push({ kind: 'activity' }));
    });
    expect(server.log.filter(([, c]) => c === 'NOOP')).toEqual([]);
  });

  it('a half-open connection: the probe gets no answer → Disconnected, backoff, reconnect, IDLE again', () => {
    const server = new ScriptedServer();
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server, { livenessTimeout: 60_000, replyTimeout: 5_000 }).events$, 80_000);
      at(10_000, () => server.halfOpen());
    });
    expect(rec.events).toEqual([
      [0, 'Connecting #1'],
      [1, 'Connected'],
      [3, 'MailboxSelected exists=0 uidvalidity=100'],
      [5, 'IdleStarted IDLE'],
      [5, 'Ready'],
      [65_005, 'Disconnected the IMAP server reply to the liveness probe did not arrive within 5000 ms; the connection is treated as dead and reopened'],
      [65_005, 'Reconnecting #1 +1000'],
      [66_005, 'Connecting #1'],
      [66_006, 'Connected'],
      [66_008, 'MailboxSelected exists=0 uidvalidity=100'],
      [66_010, 'IdleStarted IDLE'],
      [66_010, 'Resumed'],
    ]);
    expect(server.log.filter(([t]) => t >= 60_000 && t < 66_000)).toEqual([
      [60_005, 'DONE'],
      [65_005, 'CLOSE'],
    ]);
  });

  it('reconnect delays grow with backoff while the server is down, and reset after a healthy connection', () => {
    const server = new ScriptedServer();
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server).events$, 20_000);
      at(1000, () => {
        server.down = true;
        server.kill();
      });
      at(5000, () => (server.down = false));
      at(10_000, () => server.kill());
    });
    expect(rec.events.filter(([, e]) => /Connecting|Reconnecting|Disconnected|IdleStarted/.test(e))).toEqual([
      [0, 'Connecting #1'],
      [5, 'IdleStarted IDLE'],
      [1000, 'Disconnected connection reset by peer'],
      [1000, 'Reconnecting #1 +1000'],
      [2000, 'Connecting #1'],
      [2001, 'Disconnected connect ECONNREFUSED 127.0.0.1'],
      [2001, 'Reconnecting #2 +2000'],
      [4001, 'Connecting #2'],
      [4002, 'Disconnected connect ECONNREFUSED 127.0.0.1'],
      [4002, 'Reconnecting #3 +4000'],
      [8002, 'Connecting #3'],
      [8007, 'IdleStarted IDLE'],
      [10_000, 'Disconnected connection reset by peer'],
      [10_000, 'Reconnecting #1 +1000'],
      [11_000, 'Connecting #1'],
      [11_005, 'IdleStarted IDLE'],
    ]);
  });

  it('catch-up after a reconnect (QRESYNC): flag changes, expunges and every new message exactly once', () => {
    const server = new ScriptedServer();
    server.append('old-1');
    server.append('old-2');
    server.append('old-3');
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server).events$, 10_000);
      at(1000, () => server.append('live-4'));
      at(2000, () => {
        server.kill();
        server.append('away-5');
        server.setFlags(2, ['\\Seen']);
        server.expunge(1);
        server.append('away-6');
      });
      at(3100, () => server.append('live-7'));
    });
    expect(rec.events.filter(([, e]) => !/^Connect|^Reconnecting|^Disconnected/.test(e))).toEqual([
      [3, 'MailboxSelected exists=3 uidvalidity=100'],
      [5, 'IdleStarted IDLE'],
      [5, 'Ready'],
      [1002, 'NewMessages 3->4 4@4:live-4'],
      [3003, 'MailboxSelected exists=5 uidvalidity=100'],
      [3003, 'FlagsChanged 1/2 \\Seen'],
      [3004, 'Expunged -/1 earlier'],
      [3005, 'NewMessages 3->5 5@4:away-5,6@5:away-6'],
      [3006, 'IdleStarted IDLE'],
      [3006, 'Resumed'],
      [3102, 'NewMessages 5->6 7@6:live-7'],
    ]);
    expect(server.log.filter(([t, c]) => t >= 3000 && t < 4000 && c !== 'CLOSE')).toEqual([
      [3001, 'ENABLE QRESYNC'],
      [3002, 'SELECT INBOX (QRESYNC (100 4 1:4))'],
      [3003, 'UID SEARCH ALL'],
      [3004, 'UID FETCH 5:* (UID FLAGS ENVELOPE MODSEQ)'],
      [3005, 'IDLE'],
      [3100, 'DONE'],
      [3101, 'UID FETCH 7:* (UID FLAGS ENVELOPE MODSEQ)'],
      [3102, 'IDLE'],
    ]);
  });

  it('catch-up with CONDSTORE only: UID FETCH ... (CHANGEDSINCE m), expunges by UID diff', () => {
    const server = new ScriptedServer({ capabilities: ['IMAP4rev1', 'IDLE', 'CONDSTORE'] });
    server.append('a');
    server.append('b');
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server).events$, 10_000);
      at(1000, () => {
        server.kill();
        server.setFlags(1, ['\\Flagged']);
        server.expunge(2);
        server.append('c');
      });
    });
    expect(rec.events.filter(([t]) => t > 1000).map(([, e]) => e)).toEqual([
      'Connecting #1',
      'Connected',
      'MailboxSelected exists=2 uidvalidity=100',
      'Expunged -/2 earlier',
      'FlagsChanged 1/1 \\Flagged',
      'NewMessages 1->2 3@2:c',
      'IdleStarted IDLE',
      'Resumed',
    ]);
    expect(server.log.filter(([t, c]) => t > 1000 && c !== 'CLOSE').map(([, c]) => c)).toEqual([
      'SELECT INBOX (CONDSTORE)',
      'UID SEARCH ALL',
      'UID FETCH 1:2 (UID FLAGS) (CHANGEDSINCE 3)',
      'UID FETCH 3:* (UID FLAGS ENVELOPE MODSEQ)',
      'IDLE',
      'DONE',
      'LOGOUT',
    ]);
  });

  it('UIDVALIDITY changed while away: MailboxReset, then watching resumes from the new state', () => {
    const server = new ScriptedServer();
    server.append('a');
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server).events$, 10_000);
      at(1000, () => {
        server.kill();
        server.uidValidity = 200;
        server.messages = [];
        server.uidNext = 1;
        server.append('renumbered');
      });
      at(5000, () => server.append('after-reset'));
    });
    expect(rec.events.filter(([t]) => t > 1000).map(([, e]) => e)).toEqual([
      'Connecting #1',
      'Connected',
      'MailboxSelected exists=1 uidvalidity=200',
      'MailboxReset 100->200',
      'IdleStarted IDLE',
      'Ready',
      'NewMessages 1->2 2@2:after-reset',
    ]);
  });

  it('messages keep arriving through repeated kills: each reported exactly once, in UID order', () => {
    const server = new ScriptedServer();
    const subjects: string[] = [];
    run(() => {
      const watch = makeWatch(server);
      const sub = watch.events$.subscribe((e) => {
        if (e.type === 'NewMessages') for (const m of e.data.messages) subjects.push(m.envelope?.subject ?? '');
      });
      at(20_000, () => sub.unsubscribe());
      for (let i = 0; i < 60; i++) at(100 + i * 137, () => server.append(`m${i}`));
      for (let k = 0; k < 8; k++) at(300 + k * 1000 + (k % 3), () => server.kill());
    });
    expect(subjects).toEqual(Array.from({ length: 60 }, (_, i) => `m${i}`));
  });
});
