import { map, timer } from 'rxjs';
import { AuthenticationFailedError } from '../../src/core';
import { testScheduler } from '../helpers';
import { at, makeWatch, record, type Recording } from './helpers';
import { ScriptedServer } from './scriptedServer';

const MIN = 60_000;

function run(body: () => void): void {
  testScheduler().run(body);
}

describe('IMAP watch: IDLE, renewal, user commands, teardown (virtual time)', () => {
  it('selects, catches up and IDLEs at once; events and commands in order; teardown sends DONE, LOGOUT and closes', () => {
    const server = new ScriptedServer();
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server).events$, 5000);
      at(1000, () => server.append('one'));
      at(2000, () => server.setFlags(1, ['\\Seen']));
      at(3000, () => server.expunge(1));
    });
    expect(rec.events).toEqual([
      [0, 'Connecting #1'],
      [1, 'Connected'],
      [3, 'MailboxSelected exists=0 uidvalidity=100'],
      [5, 'IdleStarted IDLE'],
      [5, 'Ready'],
      [1002, 'NewMessages 0->1 1@1:one'],
      [2000, 'FlagsChanged 1/1 \\Seen'],
      [3000, 'Expunged -/1'],
    ]);
    expect(server.log).toEqual([
      [1, 'ENABLE QRESYNC'],
      [2, 'SELECT INBOX'],
      [3, 'UID SEARCH ALL'],
      [4, 'IDLE'],
      [1000, 'DONE'],
      [1001, 'UID FETCH 1:* (UID FLAGS ENVELOPE MODSEQ)'],
      [1002, 'IDLE'],
      [5000, 'DONE'],
      [5000, 'LOGOUT'],
      [5000, 'CLOSE'],
    ]);
    expect(rec.errors).toEqual([]);
  });

  it('renews IDLE every idleRenewal (default 25 min)', () => {
    const server = new ScriptedServer();
    run(() => {
      record(makeWatch(server, { livenessTimeout: 40 * MIN }).events$, 60 * MIN);
    });
    const idle = server.log.filter(([, c]) => c === 'IDLE' || c === 'DONE');
    expect(idle).toEqual([
      [4, 'IDLE'],
      [5 + 25 * MIN, 'DONE'],
      [6 + 25 * MIN, 'IDLE'],
      [7 + 50 * MIN, 'DONE'],
      [8 + 50 * MIN, 'IDLE'],
      [60 * MIN, 'DONE'],
    ]);
  });

  it('renewal interval is configurable', () => {
    const server = new ScriptedServer();
    run(() => {
      record(makeWatch(server, { idleRenewal: 10 * MIN, livenessTimeout: 40 * MIN }).events$, 21 * MIN);
    });
    expect(server.log.filter(([, c]) => c === 'DONE').map(([t]) => t)).toEqual([5 + 10 * MIN, 7 + 20 * MIN, 21 * MIN]);
  });

  it('ends IDLE with DONE before a user command and resumes IDLE after it', () => {
    const server = new ScriptedServer();
    const results: string[] = [];
    run(() => {
      const watch = makeWatch(server);
      record(watch.events$, 3000);
      at(1000, () =>
        watch.run((conn) => timer(50).pipe(map(() => `ran on ${conn}`))).subscribe((v) => results.push(v)),
      );
    });
    expect(results).toEqual(['ran on connection 1']);
    expect(server.log.slice(3, 7)).toEqual([
      [4, 'IDLE'],
      [1000, 'DONE'],
      [1051, 'IDLE'],
      [3000, 'DONE'],
    ]);
  });

  it('queues user commands behind the catch-up and runs them one at a time', () => {
    const server = new ScriptedServer();
    const order: string[] = [];
    run(() => {
      const watch = makeWatch(server);
      record(watch.events$, 1000);
      at(2, () => {
        watch.run(() => timer(10).pipe(map(() => 'a'))).subscribe((v) => order.push(v));
        watch.run(() => timer(10).pipe(map(() => 'b'))).subscribe((v) => order.push(v));
      });
    });
    expect(order).toEqual(['a', 'b']);
    // No IDLE until both ran: SELECT, SEARCH, user a (4..14), user b (14..24), IDLE at 24.
    expect(server.log.slice(0, 4)).toEqual([
      [1, 'ENABLE QRESYNC'],
      [2, 'SELECT INBOX'],
      [3, 'UID SEARCH ALL'],
      [24, 'IDLE'],
    ]);
  });

  it('a user command after the watch is gone fails at once', () => {
    const server = new ScriptedServer();
    const errors: unknown[] = [];
    run(() => {
      const watch = makeWatch(server);
      record(watch.events$, 100);
      at(200, () => watch.run(() => timer(1)).subscribe({ error: (e: unknown) => errors.push(e) }));
    });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/not connected/);
  });

  it('polls with NOOP when the server has no IDLE, with the same events', () => {
    const server = new ScriptedServer({ capabilities: ['IMAP4rev1'] });
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server, { pollInterval: 10_000 }).events$, 25_000);
      at(5000, () => server.append('polled'));
    });
    expect(rec.events).toEqual([
      [0, 'Connecting #1'],
      [1, 'Connected'],
      [2, 'MailboxSelected exists=0 uidvalidity=100'],
      [3, 'IdleStarted NOOP'],
      [3, 'Ready'],
      [10_005, 'NewMessages 0->1 1@1:polled'],
    ]);
    expect(server.log.filter(([, c]) => c !== 'CLOSE')).toEqual([
      [1, 'SELECT INBOX'],
      [2, 'UID SEARCH ALL'],
      [10_003, 'NOOP'],
      [10_004, 'UID FETCH 1:* (UID FLAGS ENVELOPE)'],
      [20_005, 'NOOP'],
      [25_000, 'LOGOUT'],
    ]);
  });

  it('the graceful stop ends IDLE, logs out, emits ConnectionClosed and completes', () => {
    const server = new ScriptedServer();
    let rec!: Recording;
    run(() => {
      const stop$ = timer(1000);
      rec = record(makeWatch(server, {}, stop$).events$);
    });
    expect(rec.events.slice(-1)).toEqual([[1002, 'ConnectionClosed']]);
    expect(rec.completedAt).toBe(1002);
    expect(server.log.slice(-3)).toEqual([
      [1000, 'DONE'],
      [1001, 'LOGOUT'],
      [1002, 'CLOSE'],
    ]);
  });

  it('emits Alert, ModeChanged, MailboxFlags and Bye from unsolicited responses', () => {
    const server = new ScriptedServer();
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server).events$, 500);
      at(100, () => server.push({ kind: 'condition', status: 'OK', code: { name: 'ALERT' }, text: 'maintenance at 5' }));
      at(110, () => server.push({ kind: 'condition', status: 'OK', code: { name: 'READ-ONLY' }, text: '' }));
      at(120, () => server.push({ kind: 'flags', flags: ['\\Seen', '$Junk'] }));
      at(130, () => server.push({ kind: 'condition', status: 'OK', code: { name: 'PERMANENTFLAGS', flags: ['\\Seen'] }, text: '' }));
      at(140, () => server.push({ kind: 'unknown', raw: '* 1 XWEIRD', error: null }));
      at(150, () => server.push({ kind: 'condition', status: 'BYE', code: null, text: 'shutting down' }));
    });
    expect(rec.events.slice(5)).toEqual([
      [100, 'Alert maintenance at 5'],
      [110, 'ModeChanged READ-ONLY'],
      [120, 'MailboxFlags FLAGS \\Seen $Junk'],
      [130, 'MailboxFlags PERMANENTFLAGS \\Seen'],
      [140, 'Unknown'],
      [150, 'Bye shutting down'],
    ]);
  });

  it('wrong password: errors AuthenticationFailed at once and never retries', () => {
    const server = new ScriptedServer();
    server.refuseAuth = true;
    let rec!: Recording;
    run(() => {
      rec = record(makeWatch(server).events$, 60_000);
    });
    expect(rec.events).toEqual([
      [0, 'Connecting #1'],
      [1, 'Disconnected IMAP'],
      [1, 'Closed'],
    ]);
    expect(rec.errors).toHaveLength(1);
    expect(rec.errors[0]).toBeInstanceOf(AuthenticationFailedError);
    expect(server.connections).toBe(0);
  });
});
