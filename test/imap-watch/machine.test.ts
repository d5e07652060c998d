/** The watch machine as a pure function: edge cases driven input by input. */
import { CommandFailedError, ProtocolViolationError, TransportClosedError } from '../../src/core';
import { initialWatchState, step, type WatchInput, type WatchOutput, type WatchState } from '../../src/imap/watch/machine';

const OK: WatchInput = { kind: 'completed', status: 'OK', code: null, text: 'done' };

function drive(state: WatchState, inputs: readonly WatchInput[]): [WatchState, WatchOutput[]] {
  const all: WatchOutput[] = [];
  let s = state;
  for (const i of inputs) {
    const [next, out] = step(s, i);
    s = next;
    all.push(...out);
  }
  return [s, all];
}

const events = (out: readonly WatchOutput[]) => out.flatMap((o) => (o.kind === 'emit' ? [o.event] : []));
const sends = (out: readonly WatchOutput[]) => out.flatMap((o) => (o.kind === 'send' ? [o.command.kind] : []));
const failure = (out: readonly WatchOutput[]) => out.flatMap((o) => (o.kind === 'fail' ? [o.error] : []))[0];

/** Connected (IDLE, no CONDSTORE), INBOX with UIDs 10, 11, 12, idling. */
function idling(): WatchState {
  const [s] = drive(initialWatchState({ mailbox: 'INBOX' }), [
    { kind: 'connecting', attempt: 1, host: 'h', port: 143 },
    { kind: 'connected', capabilities: ['IMAP4rev1', 'IDLE'] },
    { kind: 'exists', count: 3 },
    { kind: 'condition', status: 'OK', code: { name: 'UIDVALIDITY', value: 7 }, text: '' },
    { kind: 'condition', status: 'OK', code: { name: 'UIDNEXT', value: 13 }, text: '' },
    OK,
    { kind: 'search', uids: [12, 10, 11] },
    OK,
    { kind: 'continuation' },
  ]);
  return s;
}

describe('watch machine', () => {
  it('maps EXPUNGE sequence numbers to UIDs and keeps the map in step', () => {
    const [s, out] = drive(idling(), [
      { kind: 'expunge', seq: 2 },
      { kind: 'expunge', seq: 2 },
      { kind: 'fetch', seq: 1, uid: null, flags: ['\\Seen'], modseq: null, envelope: null },
    ]);
    expect(events(out).map((e) => e.data)).toEqual([
      { seq: 2, uids: [11], earlier: false },
      { seq: 2, uids: [12], earlier: false },
      { seq: 1, uid: 10, flags: ['\\Seen'], modseq: null },
    ]);
    expect(s.conn?.uids).toEqual([10]);
    expect(s.conn?.exists).toBe(1);
  });

  it('a FETCH for a message not reported yet is not a FlagsChanged (its flags come with NewMessages)', () => {
    const [, out] = drive(idling(), [
      { kind: 'exists', count: 4 },
      { kind: 'fetch', seq: 4, uid: null, flags: ['\\Recent'], modseq: null, envelope: null },
    ]);
    expect(events(out)).toEqual([]);
    expect(sends(out)).toEqual(['DONE']);
  });

  it('VANISHED for a message whose UID was not fetched yet drops the unknown tail entry', () => {
    const [s, out] = drive(idling(), [
      { kind: 'exists', count: 4 },
      { kind: 'vanished', earlier: false, uids: [13] },
    ]);
    expect(s.conn?.uids).toEqual([10, 11, 12]);
    expect(s.conn?.exists).toBe(3);
    expect(events(out).map((e) => e.type)).toEqual(['Expunged']);
  });

  it('the UID FETCH quirk (n:* returns the last message when none is newer) reports nothing', () => {
    const [s, out] = drive(idling(), [
      { kind: 'exists', count: 4 },
      OK, // IDLE done after DONE
      { kind: 'expunge', seq: 4 },
      { kind: 'fetch', seq: 3, uid: 12, flags: [], modseq: null, envelope: { date: null, subject: 'old', from: null, sender: null, replyTo: null, to: null, cc: null, bcc: null, inReplyTo: null, messageId: null } },
      OK,
    ]);
    expect(events(out).map((e) => e.type)).toEqual(['Expunged']);
    expect(s.memory.lastUid).toBe(12);
    expect(sends(out)).toEqual(['DONE', 'UID FETCH NEW', 'IDLE']);
  });

  it('new mail while IDLE is not yet accepted: DONE goes out right after the `+`', () => {
    const [s0] = drive(idling(), [{ kind: 'exists', count: 4 }, OK]);
    // after the fetch, IDLE is sent again; EXISTS arrives before its `+`
    const [s1, out1] = drive(s0, [{ kind: 'fetch', seq: 4, uid: 13, flags: [], modseq: null, envelope: null }, OK, { kind: 'exists', count: 5 }]);
    expect(sends(out1)).toEqual(['IDLE']);
    const [, out2] = step(s1, { kind: 'continuation' });
    expect(sends(out2)).toEqual(['DONE']);
  });

  it('SELECT refused (no such mailbox) is fatal: CommandFailedError, not a reconnect loop', () => {
    const [, out] = drive(initialWatchState({ mailbox: 'Nope' }), [
      { kind: 'connecting', attempt: 1, host: 'h', port: 143 },
      { kind: 'connected', capabilities: ['IMAP4rev1', 'IDLE'] },
      { kind: 'completed', status: 'NO', code: { name: 'NONEXISTENT' }, text: 'Mailbox does not exist' },
    ]);
    const err = failure(out);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect(String(err?.message)).toContain('SELECT Nope');
  });

  it('UIDVALIDITY changing while selected fails the connection (retryable) so the reselect reports MailboxReset', () => {
    const [, out] = drive(idling(), [{ kind: 'condition', status: 'OK', code: { name: 'UIDVALIDITY', value: 8 }, text: '' }]);
    expect(failure(out)).toBeInstanceOf(ProtocolViolationError);
  });

  it('a dropped socket is a retryable TransportClosedError that carries the BYE text', () => {
    const [, out] = drive(idling(), [
      { kind: 'condition', status: 'BYE', code: null, text: 'Server shutting down' },
      { kind: 'closed', reason: 'socket closed' },
    ]);
    expect(events(out).map((e) => e.type)).toEqual(['Bye']);
    const err = failure(out);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect(String(err?.message)).toContain('Server shutting down');
  });

  it('the BYE text is said once when the connection\'s reason already names it (#15)', () => {
    const [, out] = drive(idling(), [
      { kind: 'condition', status: 'BYE', code: null, text: 'Server shutting down' },
      { kind: 'closed', reason: 'server said BYE: Server shutting down' },
    ]);
    const err = failure(out) as TransportClosedError;
    expect(err.reason).toBe('server said BYE: Server shutting down');
    expect(err.message.split('Server shutting down')).toHaveLength(2);
  });

  it('IDLE refused by the server falls back to NOOP polling', () => {
    const [, out] = drive(idling(), [{ kind: 'completed', status: 'BAD', code: null, text: 'IDLE not allowed' }]);
    expect(out).toContainEqual({ kind: 'startTimer', timer: 'poll', delay: 60_000 });
  });

  it('unparsable untagged data becomes a DecodeError event and the watch goes on', () => {
    const [s, out] = drive(idling(), [{ kind: 'unknown', raw: '* 3 FETCH (FLAGS (\\Seen', error: 'unterminated list' }]);
    expect(events(out)).toEqual([{ source: 'imap', type: 'DecodeError', data: { tag: '*', raw: '* 3 FETCH (FLAGS (\\Seen', errors: ['unterminated list'] } }]);
    expect(s.conn?.phase).toBe('ready');
  });
});
