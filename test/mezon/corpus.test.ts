/**
 * Conformance: frames encoded by the OFFICIAL schema (current and previous
 * generation, both framings; see corpus/fixtures.ts) through rxwire's live
 * decode path (parseBinary/parseText → mezonSessionStep → decodeMezonPush):
 * every push becomes its typed event, every reply settles its request.
 */
import type { JsonObject } from '@bufbuild/protobuf';
import {
  MEZON_CODECS,
  MEZON_SEED_CODECS,
  initialMezonSession,
  mezonSessionStep,
  parseBinary,
  parseText,
  type MezonEventType,
  type MezonInbound,
  type MezonSessionOutput,
  type MezonSessionState,
} from '../../src/gateway/mezon';
import { MezonSampleEvents } from '../../src/testing/mezon';
import { REPLY_FIXTURES, pushEnvelope, withCid } from './corpus/fixtures';
import { officialEncode, officialJson, type Generation } from './officialSchema';

const TYPES = Object.keys(MEZON_CODECS) as MezonEventType[];
/** The previous generation is the control: the seed's 21 (several newer messages do not exist in it or changed shape). */
const SEED_TYPES = Object.keys(MEZON_SEED_CODECS) as MezonEventType[];
const typesOf = (g: Generation): MezonEventType[] => (g === 'current' ? TYPES : SEED_TYPES);
const GENERATIONS: Generation[] = ['current', 'previous'];
const FRAMINGS = ['protobuf', 'json'] as const;

function frame(envelope: JsonObject, generation: Generation, framing: 'protobuf' | 'json'): MezonInbound {
  return framing === 'protobuf' ? parseBinary(officialEncode('mezon.realtime.Envelope', envelope, generation)) : parseText(officialJson('mezon.realtime.Envelope', envelope, generation));
}

function step(state: MezonSessionState, item: MezonInbound): [MezonSessionState, MezonSessionOutput[]] {
  return mezonSessionStep(state, { kind: 'Inbound', item });
}

/** A session after Open (one clan join in flight, cid 1) with request 42 sent as cid 2. */
function sessionWithRequest(field = 'channel_message_send'): MezonSessionState {
  let [s] = mezonSessionStep(initialMezonSession, { kind: 'Open', clans: [] });
  [s] = mezonSessionStep(s, { kind: 'JoinDeadline' });
  [s] = mezonSessionStep(s, { kind: 'Request', request: { id: 42, field, payload: {} } });
  return s;
}

const pushCases = GENERATIONS.flatMap((g) => FRAMINGS.flatMap((f) => typesOf(g).map((t) => [g, f, t] as const)));

describe.each(GENERATIONS)('%s generation', (generation) => {
  test.each(FRAMINGS.flatMap((f) => typesOf(generation).map((t) => [f, t] as const)))('%s push %s decodes to its typed event', (framing, type) => {
    const [, outs] = step(sessionWithRequest(), frame(pushEnvelope(type, generation), generation, framing));
    expect(outs).toHaveLength(1);
    const out = outs[0];
    if (out.kind !== 'Emit') throw new Error(`expected an event, got ${out.kind}`);
    expect(out.event.type).toBe(type);
    expect(out.event.data).toMatchObject(MezonSampleEvents[type]);
  });

  test.each(FRAMINGS.flatMap((f) => Object.keys(REPLY_FIXTURES).map((r) => [f, r] as const)))('%s reply %s settles the request with its cid', (framing, name) => {
    const [, outs] = step(sessionWithRequest(), frame(withCid(REPLY_FIXTURES[name], 2, generation), generation, framing));
    expect(outs).toHaveLength(1);
    const out = outs[0];
    if (name === 'error') {
      expect(out).toMatchObject({ kind: 'Fail', id: 42 });
      if (out.kind === 'Fail') expect(out.error.message).toMatch(/Must join channel/);
    } else {
      expect(out).toMatchObject({ kind: 'Resolve', id: 42, reply: { kind: 'Envelope', frame: { cid: 2, field: name } } });
    }
  });

  test.each(FRAMINGS)('%s pong settles the ping with its cid', (framing) => {
    let [s] = mezonSessionStep(initialMezonSession, { kind: 'Open', clans: [] });
    [s] = mezonSessionStep(s, { kind: 'Ping' }); // cid 2
    const [, outs] = step(s, frame(withCid(REPLY_FIXTURES.pong, 2, generation), generation, framing));
    expect(outs).toEqual([{ kind: 'Pong' }]);
  });
});

test('the corpus covers every typed event (current, both framings) and the seed\'s 21 (previous, both framings)', () => {
  expect(TYPES.length).toBeGreaterThan(70);
  expect(pushCases).toHaveLength(TYPES.length * 2 + SEED_TYPES.length * 2);
});

test('cid 0 written explicitly is a push, never a reply: binary varint 0, JSON "cid":0, and the previous generation\'s ""', () => {
  const body = officialEncode('mezon.realtime.Envelope', pushEnvelope('VoiceStartedEvent', 'current'));
  const explicitZero = new Uint8Array([0x08, 0x00, ...body]);
  const emptyString = new Uint8Array([0x0a, 0x00, ...officialEncode('mezon.realtime.Envelope', pushEnvelope('VoiceStartedEvent', 'previous'), 'previous')]);
  const json = JSON.parse(officialJson('mezon.realtime.Envelope', pushEnvelope('VoiceStartedEvent', 'current'))) as Record<string, unknown>;
  for (const item of [parseBinary(explicitZero), parseBinary(emptyString), parseText(JSON.stringify({ cid: 0, ...json })), parseText(JSON.stringify({ cid: '', ...json })), parseText(JSON.stringify(json))]) {
    const [, outs] = step(sessionWithRequest(), item);
    expect(outs).toMatchObject([{ kind: 'Emit', event: { type: 'VoiceStartedEvent', data: MezonSampleEvents.VoiceStartedEvent } }]);
  }
});

test('UserPresence.session_id: int32 now, a numeric string in the previous generation: both read as the number', () => {
  for (const generation of GENERATIONS) {
    const [, outs] = step(sessionWithRequest(), frame(pushEnvelope('ChannelPresenceEvent', generation), generation, 'protobuf'));
    expect(outs).toMatchObject([{ kind: 'Emit', event: { type: 'ChannelPresenceEvent', data: { joins: [{ session_id: 1 }] } } }]);
  }
});

test('MessageRef.message_sender_avatar (current) and messages_sender_avatar (previous) read as the current field, both framings', () => {
  for (const generation of GENERATIONS) {
    const name = generation === 'current' ? 'message_sender_avatar' : 'messages_sender_avatar';
    const refs = officialEncode('mezon.api.MessageRefList', { refs: [{ message_id: '5', [name]: 'https://cdn.mezon.test/s.png' }] }, generation);
    const envelope = { channel_message: { clan_id: '1', channel_id: '2', message_id: '3', content: '{"t":"x"}', references: Buffer.from(refs).toString('base64') } };
    for (const framing of FRAMINGS) {
      const [, outs] = step(sessionWithRequest(), frame(envelope, generation, framing));
      expect(outs).toMatchObject([{ kind: 'Emit', event: { type: 'ChannelMessage', data: { references: [{ message_id: '5', message_sender_avatar: 'https://cdn.mezon.test/s.png' }] } } }]);
    }
  }
});
