/**
 * The generated straight-line decoder (decode.generated.ts over fastWire.ts)
 * against the general one (wire.ts): on every frame it takes, the same
 * parts, value for value; every frame it does not take (string cid, groups,
 * wire-type mismatches, maps and wrappers, malformed input) it leaves to wire.ts.
 * And the typed ChannelMessage it leads to without the codec's pass is the
 * event the validating path gives (the codec follows the schema).
 */
import { isDeepStrictEqual } from 'node:util';
import type { JsonObject } from '@bufbuild/protobuf';
import * as t from 'io-ts';
import { decodeEnvelopeFast } from '../../src/gateway/mezon/decode.generated';
import {
  MEZON_CODECS,
  MEZON_DECODE,
  MezonChannelMessage,
  MezonMessageAttachment,
  MezonMessageMention,
  MezonMessageReaction,
  MezonMessageRef,
  decodeEnvelopeJsonParts,
  decodeMezonPush,
  encodeBinary,
  encodeEnvelopeJson,
  envelopeSchema,
  parseBinary,
  parseText,
  wireMessage,
  type MezonFrame,
} from '../../src/gateway/mezon';
import { decodeFrame } from '../../src/core';
import { decodeEnvelopeParts, type EnvelopeParts } from '../../src/gateway/mezon/wire';
import { MEZON_MESSAGES } from '../../src/gateway/mezon/schema.generated';
import { MezonSampleEvents, mezonWirePayload } from '../../src/testing/mezon';
import { REPLY_FIXTURES, pushEnvelope, withCid } from './corpus/fixtures';
import { officialEncode, officialJson } from './officialSchema';

function varint(n: bigint): number[] {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (no: number, wt: number): number[] => varint(BigInt(no * 8 + wt));
const ld = (no: number, body: number[] | Uint8Array): number[] => [...tag(no, 2), ...varint(BigInt(body.length)), ...body];
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
/** An Envelope with channel_message (field 6) = `body`. */
const envelope = (body: number[] | Uint8Array, before: number[] = []): Uint8Array => new Uint8Array([...before, ...ld(6, body)]);

function generic(bytes: Uint8Array): EnvelopeParts | Error {
  try {
    return decodeEnvelopeParts(envelopeSchema(), bytes);
  } catch (e) {
    return e as Error;
  }
}

/** The fast decoder takes `bytes` and gives exactly what wire.ts gives. */
function expectTaken(bytes: Uint8Array): EnvelopeParts {
  const fast = decodeEnvelopeFast(bytes);
  const slow = generic(bytes);
  expect(slow).not.toBeInstanceOf(Error);
  expect(fast).toBeDefined();
  expect(isDeepStrictEqual(fast, slow)).toBe(true);
  expect(fast).toEqual(slow);
  return fast as EnvelopeParts;
}

const official = (cm: JsonObject): Uint8Array => officialEncode('mezon.realtime.Envelope', { channel_message: cm });

const sampleBytes = (): Uint8Array => {
  const wire = mezonWirePayload('ChannelMessage', MezonSampleEvents.ChannelMessage);
  const b64 = (k: string): string => Buffer.from(wire[k] as Uint8Array).toString('base64');
  return official({ ...(wire as JsonObject), reactions: b64('reactions'), mentions: b64('mentions'), attachments: b64('attachments'), references: b64('references') });
};

describe('the fast decoder agrees with wire.ts', () => {
  test('the sample channel message (official encoding), lists decoded', () => {
    const p = expectTaken(sampleBytes());
    expect(p).toMatchObject({ cid: 0, cidString: false, field: 'channel_message' });
    expect((p.payload as { reactions: unknown[] }).reactions).toHaveLength(1);
  });

  test('every push and reply of the conformance corpus (official encoding): taken, or left to wire.ts (a map or wrapper set)', () => {
    const frames = [
      ...Object.keys(MEZON_CODECS).map((type) => officialEncode('mezon.realtime.Envelope', pushEnvelope(type as keyof typeof MEZON_CODECS, 'current'))),
      ...Object.values(REPLY_FIXTURES).map((r) => officialEncode('mezon.realtime.Envelope', withCid(r, 2, 'current'))),
    ];
    let taken = 0;
    for (const bytes of frames) {
      const fast = decodeEnvelopeFast(bytes);
      if (fast === undefined) continue;
      taken++;
      expect(isDeepStrictEqual(fast, generic(bytes))).toBe(true);
    }
    expect(taken).toBeGreaterThan(frames.length * 0.8);
  });

  test('an empty channel message: every field at its default, in schema order', () => {
    const p = expectTaken(envelope([]));
    const names = MEZON_MESSAGES['mezon.api.ChannelMessage'].map((r) => r[1]);
    expect(Object.keys(p.payload as object)).toEqual(names);
  });

  test('a reply and another push (pong, an empty message; a presence event with its lists)', () => {
    expect(expectTaken(new Uint8Array([...tag(1, 0), 2, ...ld(23, [])]))).toMatchObject({ cid: 2, field: 'pong', payload: {} });
    const presence = [...ld(2, [...tag(1, 0), ...varint(5n), ...ld(3, utf8('al'))]), ...ld(2, []), ...tag(6, 0), 2];
    expect(expectTaken(new Uint8Array(ld(11, presence))).payload).toMatchObject({ joins: [{ user_id: '5', username: 'al' }, { user_id: '0' }], mode: 2 });
  });

  test('an empty frame and a frame with only a cid', () => {
    expect(expectTaken(new Uint8Array(0))).toEqual({ cid: 0, cidString: false, field: undefined, payload: undefined });
    expect(expectTaken(new Uint8Array([...tag(1, 0), ...varint(-5n)])).cid).toBe(-5);
  });

  test('extreme values: int64 signs and widths, uint32 max, negative int32 (10-byte varint), multi-byte bools', () => {
    const ints: bigint[] = [0n, 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 1840700000000000001n, 2n ** 63n - 1n, -1n, -(2n ** 63n), -(2n ** 53n) - 7n, 10_000_000n * 2n ** 32n];
    for (const v of ints) {
      const body = [...tag(1, 0), ...varint(v), ...tag(4, 0), ...varint(-2n), ...tag(20, 0), ...varint(0xffffffffn), ...tag(23, 0), 0x80, 0x01, ...tag(24, 0), 0x80, 0x80, 0x00];
      const p = expectTaken(envelope(body)).payload as Record<string, unknown>;
      expect(p.clan_id).toBe(BigInt.asIntN(64, v).toString());
      expect(p).toMatchObject({ code: -2, create_time_seconds: 0xffffffff, hide_editted: true, is_public: false });
    }
  });

  test('int64 ids through the id table: repeats, and values that share a slot, stay exact', () => {
    const rng = seeded(7);
    const vals: bigint[] = [];
    for (let i = 0; i < 500; i++) vals.push(BigInt.asUintN(64, (BigInt(rng()) << 32n) | BigInt(rng())));
    for (let i = 0; i < 500; i++) vals.push(1840700000000000000n + BigInt(i) * 4096n, 1840700000000000000n + (BigInt(i) << 32n)); // same high word; same low word
    for (const v of [...vals, ...vals.slice(0, 500), ...vals]) {
      const p = expectTaken(envelope([...tag(3, 0), ...varint(v), ...tag(5, 0), ...varint(v ^ 1n)])).payload as Record<string, unknown>;
      expect(p.message_id).toBe(BigInt.asIntN(64, v).toString());
      expect(p.sender_id).toBe(BigInt.asIntN(64, v ^ 1n).toString());
    }
  });

  test('strings: ASCII of every short length, UTF-8, a byte-order mark kept, invalid bytes as U+FFFD', () => {
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const cases: number[][] = [];
    for (let n = 0; n <= 40; n++) cases.push(Array.from({ length: n }, (_, i) => 0x20 + ((i * 7) % 95)));
    cases.push(utf8('héllo wörld ☃ 𝄞'), [0xef, 0xbb, 0xbf, 0x61], [0xff], [0x61, 0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00, 0x7f, 0x80], [0xe2, 0x82]);
    const rng = seeded(11);
    for (let i = 0; i < 300; i++) cases.push(Array.from({ length: rng() % 20 }, () => rng() & 0xff));
    for (const s of cases) {
      const p = expectTaken(envelope(ld(6, s))).payload as Record<string, unknown>;
      expect(p.username).toBe(decoder.decode(new Uint8Array(s)));
    }
  });

  test('unknown fields of every non-group wire type are skipped, in ChannelMessage and in a list element', () => {
    const unknown = [...tag(99, 0), ...varint(2n ** 63n), ...tag(100, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...ld(101, [1, 2, 3]), ...tag(102, 5), 1, 2, 3, 4];
    const reaction = ld(1, [...unknown, ...tag(3, 2), 1, 0x78, ...unknown]);
    const p = expectTaken(envelope([...unknown, ...ld(6, utf8('bob')), ...ld(15, reaction), ...unknown])).payload as Record<string, unknown>;
    expect(p.username).toBe('bob');
    expect(p.reactions).toEqual([expect.objectContaining({ emoji: 'x' })]);
  });

  test('repeated fields, last-wins scalars and a second channel_message', () => {
    const body = [...ld(6, utf8('a')), ...ld(6, utf8('b')), ...ld(15, [...ld(1, []), ...ld(1, [])]), ...ld(15, ld(1, []))];
    const bytes = new Uint8Array([...ld(6, ld(6, utf8('first'))), ...ld(6, body)]);
    const p = expectTaken(bytes).payload as Record<string, unknown>;
    expect(p.username).toBe('b');
    expect(p.reactions).toHaveLength(1);
  });
});

describe('what the fast decoder leaves to wire.ts', () => {
  const leaves: Array<[string, Uint8Array]> = [
    ['a string cid (previous generation)', new Uint8Array([...ld(1, utf8('7')), ...ld(6, [])])],
    ['a map field set (error.context)', new Uint8Array([...tag(1, 0), 2, ...ld(12, ld(3, [...ld(1, utf8('k')), ...ld(2, utf8('v'))]))])],
    ['a wrapper field set (channel_message_ack.persistent)', new Uint8Array([...tag(1, 0), 2, ...ld(7, ld(7, [...tag(1, 0), 1]))])],
    ['a group inside ChannelMessage', envelope([...tag(90, 3), ...tag(91, 0), 1, ...tag(90, 4), ...ld(6, utf8('g'))])],
    ['a wire-type mismatch on a known field (clan_id as a string)', envelope(ld(1, utf8('123')))],
    ['a wire-type mismatch on a known field (username as a varint)', envelope([...tag(6, 0), 5])],
    ['a packed repeated message field', envelope([...tag(15, 0), 1])],
    ['a truncated string', envelope([...tag(6, 2), 10, 0x61])],
    ['a length past the end', new Uint8Array([...tag(6, 2), 0xff, 0xff, 0xff, 0xff, 0x0f])],
    ['a varint over 10 bytes', envelope([...tag(1, 0), ...Array(11).fill(0x80), 0])],
    ['field number 0', envelope([0x00, 0x00])],
    ['wire type 7', envelope([0x0f])],
    ['a message that overruns its length', new Uint8Array([...tag(6, 2), 2, ...tag(6, 2), 5, 0x61])],
  ];
  test.each(leaves)('%s', (_, bytes) => {
    expect(decodeEnvelopeFast(bytes)).toBeUndefined();
    // The live path still gives wire.ts's answer: its parts, or Malformed with its message and the raw frame.
    const live = parseBinary(bytes);
    const slow = generic(bytes);
    if (slow instanceof Error) expect(live).toEqual({ kind: 'Malformed', raw: bytes, error: `protobuf Envelope: ${slow.message}` });
    else expect(live).toMatchObject({ kind: 'Envelope', frame: { ...slow, raw: bytes } });
  });
});

describe('the typed ChannelMessage without the codec pass', () => {
  /** The validating path: the same parts as a plain frame (not from parseBinary), through decodeFrame. */
  function validated(bytes: Uint8Array): unknown {
    const p = generic(bytes) as EnvelopeParts;
    const frame: MezonFrame = { cid: p.cid, cidString: p.cidString, field: p.field, payload: p.payload, raw: bytes };
    return decodeFrame(MEZON_DECODE, frame);
  }
  function live(bytes: Uint8Array): unknown {
    const x = parseBinary(bytes);
    if (x.kind !== 'Envelope') throw new Error(x.kind);
    return decodeMezonPush(x.frame);
  }

  test.each([
    ['the sample', sampleBytes()],
    ['all defaults (empty content)', envelope([])],
    ['every field set, odd values', envelope(everyFieldSet())],
    ['content with every MessageContent key', envelope(ld(8, utf8(JSON.stringify({ t: 'x', mk: [{ type: 'b', s: 0, e: 1 }], hg: [], ej: [], lk: [], vk: [], embed: [{}], components: [], extra: { a: 1 } }))))],
    ['content with a __proto__ key and unknown keys of any type', envelope(ld(8, utf8('{"__proto__":{"t":5},"x":null,"tt":1,"t":"ok"}')))],
  ])('%s: the same event as the validating path, and the codec accepts its data', (_, bytes) => {
    const e = live(bytes) as { type: string; data: unknown };
    expect(e.type).toBe('ChannelMessage');
    expect(MezonChannelMessage.is(e.data)).toBe(true);
    expect(isDeepStrictEqual(e, validated(bytes))).toBe(true);
  });

  test.each([
    ['content that is not JSON', '{"t":'],
    ['content that is a JSON string', '"hi"'],
    ['content that is a JSON array', '[1]'],
    ['content whose t is a number', '{"t":5}'],
    ['content whose mk is not a list', '{"mk":{}}'],
    ['content whose vk is null', '{"t":"a","vk":null}'],
    ['content whose components is a string', '{"t":"a","embed":[1,2],"components":"x"}'],
  ])('%s: a DecodeError carrying the raw frame, as on the validating path', (_, content) => {
    const bytes = envelope(ld(8, utf8(content)));
    const e = live(bytes) as { type: string; data: { raw: unknown; tag: unknown } };
    expect(e.type).toBe('DecodeError');
    expect(e.data.raw).toBe(bytes);
    expect(e.data.tag).toBe('ChannelMessage');
    expect(e).toEqual(validated(bytes));
  });

  test('the codec follows the schema: every field of ChannelMessage and of its list elements, and nothing more', () => {
    const pairs: Array<[string, t.Mixed]> = [
      ['mezon.api.ChannelMessage', MezonChannelMessage],
      ['mezon.api.MessageReaction', MezonMessageReaction],
      ['mezon.api.MessageMention', MezonMessageMention],
      ['mezon.api.MessageAttachment', MezonMessageAttachment],
      ['mezon.api.MessageRef', MezonMessageRef],
    ];
    for (const [name, codec] of pairs) {
      const props = (codec as t.InterfaceType<t.Props>).props;
      expect(Object.keys(props).sort()).toEqual(MEZON_MESSAGES[name].map((r) => r[1]).sort());
    }
  });

  test('a frame handed in (not from parseBinary), or a copy of one, is validated', () => {
    const bytes = envelope([]);
    const p = generic(bytes) as EnvelopeParts;
    const frame: MezonFrame = { cid: 0, cidString: false, field: 'channel_message', payload: { ...(p.payload as object), clan_id: true }, raw: bytes };
    expect(decodeMezonPush(frame).type).toBe('DecodeError');
    const x = parseBinary(bytes);
    if (x.kind !== 'Envelope') throw new Error(x.kind);
    const copy = { ...x.frame, payload: { ...(x.frame.payload as object), clan_id: 5 } };
    expect(decodeMezonPush(copy)).toMatchObject({ type: 'ChannelMessage', data: { clan_id: '5' } }); // the codec's decode ran (5 → "5")
  });
});

describe('JSON frames: the schema decoder\'s channel message without the codec pass', () => {
  const sampleJson = (): JsonObject => {
    const wire = mezonWirePayload('ChannelMessage', MezonSampleEvents.ChannelMessage);
    const b64 = (k: string): string => Buffer.from(wire[k] as Uint8Array).toString('base64');
    return { ...(wire as JsonObject), reactions: b64('reactions'), mentions: b64('mentions'), attachments: b64('attachments'), references: b64('references') };
  };
  function viaValidation(text: string): unknown {
    const p = decodeEnvelopeJsonParts(text);
    return decodeFrame(MEZON_DECODE, { cid: p.cid, cidString: p.cidString, field: p.field, payload: p.payload, raw: text } satisfies MezonFrame);
  }
  function live(text: string): unknown {
    const x = parseText(text);
    if (x.kind !== 'Envelope') throw new Error(x.kind);
    return decodeMezonPush(x.frame);
  }
  test.each([
    ['the sample (official JSON)', officialJson('mezon.realtime.Envelope', { channel_message: sampleJson() }), 'ChannelMessage'],
    ['rxwire\'s own JSON, every field set', encodeEnvelopeJson({ channel_message: { ...(decodeEnvelopeParts(envelopeSchema(), envelope(everyFieldSet())).payload as object) } }), 'ChannelMessage'],
    ['lowerCamel names, numbers for int64 ids, an empty object', '{"channelMessage":{"clanId":5,"messageId":"7","content":"","isPublic":true}}', 'ChannelMessage'],
    ['a string where a number belongs', '{"channel_message":{"code":"x"}}', 'DecodeError'],
    ['content that is an object, not a string', '{"channel_message":{"content":{"t":"hi"}}}', 'ChannelMessage'],
    ['content whose t is a number', '{"channel_message":{"content":"{\\"t\\":1}"}}', 'DecodeError'],
    ['mentions whose bytes do not decode', '{"channel_message":{"mentions":"/w=="}}', 'DecodeError'],
  ])('%s: the validating path\'s event', (_, text, type) => {
    const e = live(text) as { type: string; data: unknown };
    expect(e.type).toBe(type);
    expect(isDeepStrictEqual(e, viaValidation(text))).toBe(true);
    if (type === 'ChannelMessage') expect(MezonChannelMessage.is(e.data)).toBe(true);
  });
});

/** Every ChannelMessage field set to a non-default, awkward value (lists with every element field set too). */
function everyFieldSet(): number[] {
  const b = (m: string, key: string, v: unknown[]): Uint8Array => encodeBinary(wireMessage(m), { [key]: v });
  const reaction = { id: '-1', emoji_id: '9223372036854775807', emoji: 'é', sender_id: '1', sender_name: 'x'.repeat(13), sender_avatar: 'a', action: true, count: -7, channel_id: '2', message_id: '3', clan_id: '4', mode: 5, message_sender_id: '6', is_public: true, topic_id: '7', emoji_recent_id: '8' };
  const mention = { id: '1', user_id: '-1', username: 'u', role_id: '3', rolename: 'r', create_time_seconds: 4294967295, s: -1, e: 2 };
  const attachment = { filename: 'f', size: 2147483647, url: 'u', filetype: 't', width: -1, height: 1, thumbnail: 'th', duration: 3 };
  const ref = { message_id: '1', message_ref_id: '2', content: '{"t":"r"}', has_attachment: true, ref_type: 1, message_sender_id: '3', message_sender_username: 'n', message_sender_avatar: 'a', message_sender_clan_nick: 'c', message_sender_display_name: 'd' };
  return [
    ...encodeBinary(wireMessage('mezon.api.ChannelMessage'), {
      clan_id: '-9223372036854775808', channel_id: '1', message_id: '1840700000000000001', code: -1, sender_id: '2', username: 'ü', avatar: 'a'.repeat(12), content: '{"t":"☃"}',
      channel_label: 'l', clan_logo: 'o', category_name: 'c', display_name: 'd', clan_nick: 'n', clan_avatar: 'v', referenced_message: new Uint8Array([1, 2, 3]),
      create_time_seconds: 4294967295, update_time_seconds: 1, mode: 2, hide_editted: true, is_public: true, topic_id: '3',
    }),
    ...ld(15, b('mezon.api.MessageReactionList', 'reactions', [reaction, reaction])),
    ...ld(16, b('mezon.api.MessageMentionList', 'mentions', [mention])),
    ...ld(17, b('mezon.api.MessageAttachmentList', 'attachments', [attachment])),
    ...ld(18, b('mezon.api.MessageRefList', 'refs', [ref])),
  ];
}

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
