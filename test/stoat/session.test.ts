import { AuthenticationFailedError, ProtocolViolationError, TimeoutError, TransportClosedError } from '../../src/core';
import { initialSession, stepSession, type SessionInput, type SessionOutput, type SessionState } from '../../src/gateway/stoat';

const config = { authenticate: true, token: 'Zq9-secret-Xy', pingInterval: 10_000, pongTimeout: 5_000, readyTimeout: 20_000, hadReady: false };

function run(inputs: SessionInput[], state: SessionState = initialSession(config)): [SessionState, SessionOutput[]] {
  const all: SessionOutput[] = [];
  for (const input of inputs) {
    const [next, out] = stepSession(state, input);
    state = next;
    all.push(...out);
  }
  return [state, all];
}
const frame = (f: Record<string, unknown>): SessionInput => ({ kind: 'Frame', frame: f, raw: f });
const emitted = (out: SessionOutput[]) => out.flatMap((o) => (o.kind === 'emit' ? [o.event.type] : []));
const failure = (out: SessionOutput[]) => out.find((o): o is Extract<SessionOutput, { kind: 'fail' }> => o.kind === 'fail')?.error;
const open: SessionInput = { kind: 'Open', url: 'ws://x/' };

describe('stoat session step', () => {
  it('on open: AfterConnect, a Ready deadline, and Authenticate (not when the token is in the URL)', () => {
    const [, out] = run([open]);
    expect(out).toEqual([
      { kind: 'emit', event: { source: 'stoat', type: 'AfterConnect', data: { url: 'ws://x/' } } },
      { kind: 'schedule', input: { kind: 'ReadyTimeout' }, delay: 20_000 },
      { kind: 'send', message: { type: 'Authenticate', token: 'Zq9-secret-Xy' } },
    ]);
    const [, viaQuery] = run([open], initialSession({ ...config, authenticate: false }));
    expect(viaQuery.some((o) => o.kind === 'send')).toBe(false);
  });

  it('Authenticated starts the ping clock; Ready carries reconnect=hadReady', () => {
    const [state, out] = run([open, frame({ type: 'Authenticated' }), frame({ type: 'Ready', users: [] })], initialSession({ ...config, hadReady: true }));
    expect(state.phase).toBe('ready');
    expect(out).toContainEqual({ kind: 'schedule', input: { kind: 'PingDue', now: 0 }, delay: 10_000 });
    const ready = out.find((o) => o.kind === 'emit' && o.event.type === 'Ready');
    expect(ready).toMatchObject({ event: { type: 'Ready', reconnect: true } });
  });

  it('unpacks Bulk in order, including nested Bulk', () => {
    const [, out] = run([
      open,
      frame({ type: 'Bulk', v: [{ type: 'ChannelStartTyping', id: 'c', user: 'u' }, { type: 'Bulk', v: [{ type: 'Bees' }, { type: 'ChannelAck', id: 'c', user: 'u', message_id: 'm' }] }, { type: 'ServerDelete', id: 's' }] }),
    ]);
    expect(emitted(out)).toEqual(['AfterConnect', 'ChannelStartTyping', 'Bees', 'MessageAck', 'ServerDelete']);
  });

  it.each([
    ['{type:"Error", data:{type}}', { type: 'Error', data: { type: 'InvalidSession', location: 'x' } }],
    ['the older {type:"Error", error}', { type: 'Error', error: 'InvalidSession' }],
    ['{type:"Error", error:{type}}', { type: 'Error', error: { type: 'InvalidCredentials' } }],
  ])('an authentication Error frame in the shape %s is fatal', (_, f) => {
    const [state, out] = run([open, frame(f)]);
    expect(failure(out)).toBeInstanceOf(AuthenticationFailedError);
    expect(failure(out)?.message).not.toContain('Zq9-secret-Xy');
    expect(state.phase).toBe('closed');
    expect(run([frame({ type: 'Message' })], state)[1]).toEqual([]); // nothing after the end
  });

  it('other Error frames are retryable protocol errors', () => {
    const [, out] = run([open, frame({ type: 'Error', data: { type: 'InternalError' } })]);
    expect(failure(out)).toBeInstanceOf(ProtocolViolationError);
  });

  it('session events in both shapes map to the same names', () => {
    const [, out] = run([
      open,
      frame({ type: 'Auth', event_type: 'DeleteSession', user_id: 'u', session_id: 's' }),
      frame({ type: 'DeleteSession', user_id: 'u', session_id: 's' }),
      frame({ type: 'Auth', event_type: 'DeleteAllSessions', user_id: 'u', exclude_session_id: 's' }),
      frame({ type: 'DeleteAllSessions', user_id: 'u', exclude_session_id: null }),
      frame({ type: 'Auth', event_type: 'CreateSession', session: { _id: 's', user_id: 'u', token: 'tok', name: 'n', last_seen: '2025-01-01T00:00:00.000Z' } }),
    ]);
    expect(emitted(out)).toEqual(['AfterConnect', 'SessionDelete', 'SessionDelete', 'SessionDeleteAll', 'SessionDeleteAll', 'SessionCreate']);
  });

  it('Logout is emitted, then the session fails with AuthenticationFailedError', () => {
    const [, out] = run([open, frame({ type: 'Logout' })]);
    expect(emitted(out)).toEqual(['AfterConnect', 'Logout']);
    expect(failure(out)).toBeInstanceOf(AuthenticationFailedError);
  });

  it('a missing Pong fails with TimeoutError; an answered one does not', () => {
    const authed = run([open, frame({ type: 'Authenticated' }), frame({ type: 'Ready' })])[0];
    const [afterPing, sent] = run([{ kind: 'PingDue', now: 123 }], authed);
    expect(sent).toEqual([
      { kind: 'send', message: { type: 'Ping', data: 123 } },
      { kind: 'schedule', input: { kind: 'PongTimeout', seq: 1 }, delay: 5_000 },
      { kind: 'schedule', input: { kind: 'PingDue', now: 0 }, delay: 10_000 },
    ]);
    expect(failure(run([{ kind: 'PongTimeout', seq: 1 }], afterPing)[1])).toBeInstanceOf(TimeoutError);
    expect(run([frame({ type: 'Pong', data: 123 }), { kind: 'PongTimeout', seq: 1 }], afterPing)[1]).toEqual([]);
  });

  it('answers a server Ping with a Pong carrying the same data', () => {
    expect(run([open, frame({ type: 'Ping', data: [1, 2] })])[1]).toContainEqual({ kind: 'send', message: { type: 'Pong', data: [1, 2] } });
  });

  it('close codes: 1007 and 3000 are protocol violations, others transport closes, all retryable', () => {
    const close = (code: number) => failure(run([open, { kind: 'Closed', code, reason: '' }])[1]);
    expect(close(1007)).toBeInstanceOf(ProtocolViolationError);
    expect(close(3000)).toBeInstanceOf(ProtocolViolationError);
    expect(close(1006)).toBeInstanceOf(TransportClosedError);
  });

  it('non-object frames and bad Bulk become DecodeError events', () => {
    const [, out] = run([open, frame({ type: 'Bulk', v: 3 }), { kind: 'Frame', frame: [1], raw: '[1]' }, { kind: 'BadFrame', raw: '{', error: 'invalid JSON' }]);
    expect(emitted(out)).toEqual(['AfterConnect', 'DecodeError', 'DecodeError', 'DecodeError']);
  });
});
