import * as t from 'io-ts';
import { decodeFrame, formatErrors, validate, type DecodeSpec } from '../../src/core';

const User = t.type({ id: t.string, name: t.union([t.string, t.null]) });
const Message = t.intersection([
  t.type({ id: t.string, author: User, mentions: t.array(User) }),
  t.partial({ pinned: t.boolean }),
]);
const codecs = { MessageCreate: Message, Typing: t.type({ channel: t.string }) };
type F = { t: string | null; d: unknown };
const spec: DecodeSpec<'gw', typeof codecs, F> = {
  source: 'gw',
  codecs,
  tag: (f) => (f.t === 'MESSAGE_CREATE' ? 'MessageCreate' : f.t === 'TYPING' ? 'Typing' : (f.t ?? undefined)),
  payload: (f) => f.d,
};
const good = { id: '1', author: { id: 'u', name: null }, mentions: [{ id: 'v', name: 'V' }] };

describe('decodeFrame', () => {
  it('maps a wire tag to the event type and keeps the wire field names', () => {
    expect(decodeFrame(spec, { t: 'MESSAGE_CREATE', d: good })).toEqual({ source: 'gw', type: 'MessageCreate', data: good });
  });

  it('returns the very payload object on the fast path (no copy)', () => {
    const e = decodeFrame(spec, { t: 'MESSAGE_CREATE', d: good });
    expect(e.data).toBe(good);
  });

  it('an unknown tag is an Unknown event with the raw frame', () => {
    const f = { t: 'GUILD_SOMETHING_NEW', d: { x: 1 } };
    expect(decodeFrame(spec, f)).toEqual({ source: 'gw', type: 'Unknown', data: { tag: 'GUILD_SOMETHING_NEW', raw: f } });
  });

  it('a frame with no tag is Unknown with tag undefined', () => {
    const f = { t: null, d: null };
    expect(decodeFrame(spec, f)).toEqual({ source: 'gw', type: 'Unknown', data: { tag: undefined, raw: f } });
  });

  it('does not treat inherited names as tags', () => {
    const f = { t: 'toString', d: {} };
    expect(decodeFrame(spec, f).type).toBe('Unknown');
  });

  it('a rejected payload is a DecodeError with readable paths into nested arrays and unions', () => {
    const bad = { id: 5, author: { id: 'u' }, mentions: [{ id: 'v', name: 'V' }, { id: 9, name: 'W' }], pinned: 'yes' };
    const e = decodeFrame(spec, { t: 'MESSAGE_CREATE', d: bad });
    expect(e.type).toBe('DecodeError');
    if (e.type !== 'DecodeError') return;
    expect(e.data.raw).toEqual({ t: 'MESSAGE_CREATE', d: bad });
    expect(e.data.tag).toBe('MessageCreate');
    expect(e.data.errors).toEqual(
      expect.arrayContaining([
        'MessageCreate.id: expected string, got 5',
        'MessageCreate.author.name: expected string | null, got undefined (missing)',
        'MessageCreate.mentions.1.id: expected string, got 9',
        'MessageCreate.pinned: expected boolean, got "yes"',
      ]),
    );
  });

  it('a custom raw selector decides what is kept', () => {
    const s2 = { ...spec, raw: (f: F) => JSON.stringify(f) };
    const e = decodeFrame(s2, { t: 'TYPING', d: {} });
    expect(e).toEqual({ source: 'gw', type: 'DecodeError', data: { tag: 'Typing', raw: '{"t":"TYPING","d":{}}', errors: ['Typing.channel: expected string, got undefined (missing)'] } });
  });
});

describe('validate', () => {
  it('runs transforming codecs through decode when the guard rejects the raw value', () => {
    const NumberFromString = new t.Type<number, string, unknown>(
      'NumberFromString',
      (u): u is number => typeof u === 'number',
      (u, c) => (typeof u === 'string' && u.trim() !== '' && !isNaN(Number(u)) ? t.success(Number(u)) : t.failure(u, c)),
      String,
    );
    expect(validate(t.type({ n: NumberFromString }), { n: '42' })).toEqual({ ok: true, value: { n: 42 } });
    expect(validate(t.type({ n: NumberFromString }), { n: 'x' }, 'P')).toEqual({ ok: false, errors: ['P.n: expected NumberFromString, got "x"'] });
  });

  it('reports a root failure as (root)', () => {
    expect(formatErrors((t.string.decode(3) as { left: t.Errors }).left)).toEqual(['(root): expected string, got 3']);
  });
});
