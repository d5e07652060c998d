import { createRedactor } from '../../src/core';
import type { DiscordEvent } from '../../src/gateway/discord';
import { stepFrame, textInput } from '../../src/gateway/discord/decoder';
import { redactEvent } from '../../src/gateway/discord/redact';
import { initialSession, step, type SessionState } from '../../src/gateway/discord/session';
import { discordMessageCreate } from '../../src/testing/discord';

const TOKEN = 'decoder-test-secret-token';

function helloSession(): SessionState {
  let s = initialSession({ token: TOKEN, intents: 1, shard: [0, 1], properties: { os: 'linux', browser: 'rxwire', device: 'rxwire' }, gatewayUrl: 'wss://gateway.example', query: 'v=10&encoding=json', random: () => 0.5, backoff: { initialDelay: 1000, maxDelay: 60_000 }, helloTimeout: 60_000, readyTimeout: 15_000 });
  s = step(s, { kind: 'Start' })[0];
  return step(s, { kind: 'Open', conn: s.conn })[0];
}

describe('frame decoder (what the live path runs per message)', () => {
  it('textInput: a frame, or a BadFrame with the reason; the inflater error names the placeholder', () => {
    expect(textInput(1, '{"op":11,"d":null}')).toEqual({ kind: 'Frame', conn: 1, frame: { op: 11, d: null, s: null, t: null } });
    expect(textInput(1, 'nope')).toMatchObject({ kind: 'BadFrame', conn: 1, raw: 'nope' });
    expect(textInput(1, '', 'inflate: too big')).toEqual({ kind: 'BadFrame', conn: 1, raw: '', error: 'inflate: too big' });
  });

  it('stepFrame: a throw while handling a frame is a DecodeError for that frame and the state stays', () => {
    const s = helloSession();
    const frame = {
      op: 10,
      s: null,
      t: null,
      get d(): unknown {
        throw new Error('boom');
      },
    };
    const [next, out] = stepFrame(s, { kind: 'Frame', conn: s.conn, frame });
    expect(next).toBe(s);
    expect(out).toEqual([{ kind: 'Emit', event: expect.objectContaining({ type: 'DecodeError', data: expect.objectContaining({ tag: 'op 10', errors: ['frame handling failed: boom'] }) }) }]);
  });

  it('redactEvent: typed data dispatches pass as the same object; lifecycle, raw Dispatch and DecodeError lose the token', () => {
    const redactor = createRedactor([TOKEN]);
    const message = { source: 'discord', type: 'MessageCreate', shard: 0, seq: 2, data: discordMessageCreate('x') } as unknown as DiscordEvent;
    expect(redactEvent(redactor, message)).toBe(message);
    const leaky: DiscordEvent[] = [
      { source: 'discord', type: 'Disconnected', shard: 0, data: { code: 4004, reason: `bad token ${TOKEN}`, willReconnect: false } },
      { source: 'discord', type: 'Dispatch', shard: 0, seq: 3, data: { name: 'SOMETHING_NEW', data: { echo: TOKEN } } },
      { source: 'discord', type: 'DecodeError', shard: 0, data: { tag: undefined, raw: TOKEN, errors: [TOKEN] } },
    ];
    for (const e of leaky) expect(JSON.stringify(redactEvent(redactor, e))).not.toContain(TOKEN);
  });
});
