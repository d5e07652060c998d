// Mezon: binary protobuf Envelopes, raw API-response chunks and JSON text
// Envelopes through the live decode path (parseBinary/parseText → the
// session step with a request in flight → typed events). Structure-aware:
// mutated valid frames of every event type, length bombs, deep group
// nesting, odd field numbers and wire types, huge repeated fields, string vs
// int32 cids, prototype-key JSON, deep JSON.
import {
  MEZON_FIELD_OF,
  encodeApiChunk,
  encodeEnvelopeBinary,
  encodeEnvelopeJson,
  initialMezonSession,
  mezonSessionStep,
  parseBinary,
  parseText,
  type MezonEventType,
  type MezonInbound,
  type MezonSessionState,
} from '../../src/gateway/mezon';
import { MezonSampleEvents, mezonWirePayload } from '../../src/testing/mezon';
import type { FuzzTarget, Rng } from '../harness';

const TYPES = Object.keys(MezonSampleEvents) as MezonEventType[];
let binSeeds: Uint8Array[] | undefined;
let txtSeeds: string[] | undefined;

function seeds(): { bin: Uint8Array[]; txt: string[] } {
  if (!binSeeds || !txtSeeds) {
    binSeeds = [];
    txtSeeds = [];
    for (const t of TYPES) {
      const env = { [MEZON_FIELD_OF[t]]: mezonWirePayload(t, MezonSampleEvents[t]) };
      binSeeds.push(encodeEnvelopeBinary(env));
      txtSeeds.push(encodeEnvelopeJson(env));
    }
    for (const r of [{ cid: 2, pong: {} }, { cid: 2, error: { code: 3, message: 'x', context: { a: 'b' } } }, { cid: 2, channel_message_ack: { message_id: '5' } }]) {
      binSeeds.push(encodeEnvelopeBinary(r), encodeEnvelopeBinary(r, { cidString: true }));
      txtSeeds.push(encodeEnvelopeJson(r), encodeEnvelopeJson(r, { cidString: true }));
    }
    // Warm up the decode path (lazy schema tables, JIT) so input timings measure steady-state work.
    for (let i = 0; i < 20; i++) {
      for (const b of binSeeds) feed(parseBinary(b));
      for (const t of txtSeeds) feed(parseText(t));
    }
  }
  return { bin: binSeeds, txt: txtSeeds };
}

function session(): MezonSessionState {
  let [s] = mezonSessionStep(initialMezonSession, { kind: 'Open', clans: [], maxApiResponseBytes: 1 << 20 });
  [s] = mezonSessionStep(s, { kind: 'JoinDeadline' });
  [s] = mezonSessionStep(s, { kind: 'Request', request: { id: 1, field: 'list_data_socket', payload: {} } });
  return s;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function tag(no: number, wt: number): number[] {
  return varint(no * 8 + wt);
}

function hostileBinary(rng: Rng): Uint8Array {
  switch (rng.int(8)) {
    case 0: // length bomb on a known message field
      return new Uint8Array([...tag(rng.pick([2, 6, 11, 13, 36, 97]), 2), ...varint(rng.pick([0x7fffffff, 0xffffffff, 1 << 30, 100]))]);
    case 1: {
      // deep groups
      const n = 1 + rng.int(3000);
      return new Uint8Array([...Array.from({ length: n }, () => tag(200, 3)).flat(), ...Array.from({ length: n }, () => tag(200, 4)).flat()]);
    }
    case 2: // odd field numbers and wire types
      return new Uint8Array([...tag(rng.pick([0, 1, 19000, 536870911, 150, 101]), rng.int(8)), ...rng.bytes(rng.int(16))]);
    case 3: {
      // a huge packed repeated int64 inside a known message (ChannelUpdatedEvent.user_ids = 18)
      const n = rng.int(1500);
      const body = Array.from({ length: n }, () => varint(rng.u32())).flat();
      const inner = [...tag(18, 2), ...varint(body.length), ...body];
      return new Uint8Array([...tag(33, 2), ...varint(inner.length), ...inner]);
    }
    case 4: {
      // many empty nested messages (ChannelPresenceEvent.joins = 2)
      const n = rng.int(2000);
      const inner = Array.from({ length: n }, () => [...tag(2, 2), 0]).flat();
      return new Uint8Array([...tag(11, 2), ...varint(inner.length), ...inner]);
    }
    case 5: // raw API chunk, matched or not, any length
      return encodeApiChunk(rng.pick([2, 3, 0xffff, rng.int(0x10000)]), rng.pick([200, 404, 500, rng.int(0x10000)]), rng.chance(0.5), rng.bytes(rng.int(256)));
    case 6: // string cid (previous generation), odd values
      return new Uint8Array([...tag(1, 2), ...(() => { const s = Buffer.from(rng.pick(['', '2', '-1', '99999999999', 'abc', '0', '2\u0000'])); return [...varint(s.length), ...s]; })(), ...tag(23, 2), 0]);
    default:
      return rng.bytes(rng.int(64));
  }
}

function feed(item: MezonInbound): unknown[] {
  const [, outs] = mezonSessionStep(session(), { kind: 'Inbound', item });
  return outs;
}

const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'cid', 'channel_message', 'channelMessage', 'pong', 'error', 'clan_join', 'notifications', 'message_reaction_event', 'role_event', 'quick_menu_event'];

function jsonValue(rng: Rng, depth: number): unknown {
  switch (rng.int(depth > 5 ? 5 : 8)) {
    case 0:
      return rng.string(10);
    case 1:
      return rng.pick([0, -1, 2, 1.5, 2 ** 53, 1e308, -0]);
    case 2:
      return null;
    case 3:
      return rng.chance(0.5);
    case 4:
      return rng.pick(['1840651530236071936', 'AAEC', 'NaN', '', '0']);
    case 5:
      return Array.from({ length: rng.int(4) }, () => jsonValue(rng, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) o[rng.chance(0.5) ? rng.pick(KEYS) : rng.pick(['clan_id', 'content', 'mentions', 'joins', 'session_id', 'context', 'self', rng.string(5)])] = jsonValue(rng, depth + 1);
      return o;
    }
  }
}

function hostileJson(rng: Rng): string {
  switch (rng.int(5)) {
    case 0: {
      const n = 1 + rng.int(20000);
      return `{"channel_message":${'['.repeat(n)}${']'.repeat(n)}}`;
    }
    case 1: {
      const n = 1 + rng.int(3000);
      return `{"channel":${'{"self":'.repeat(n)}{}${'}'.repeat(n)}}`;
    }
    case 2:
      return `{"cid":${rng.pick(['0', '""', '"0"', '2', '"2"', '-5', '1e400', '"x"', 'null', '[]'])},"${rng.pick(KEYS)}":${JSON.stringify(jsonValue(rng, 0))}}`;
    case 3:
      return JSON.stringify({ [rng.pick(KEYS)]: jsonValue(rng, 0), [rng.pick(KEYS)]: jsonValue(rng, 0) });
    default:
      return `{"channel_message":{"content":${JSON.stringify(rng.string(40))},"mentions":${JSON.stringify(rng.string(40))}}}`;
  }
}

export const targets: FuzzTarget[] = [
  {
    name: 'mezon.frame.protobuf',
    generate: (rng: Rng): Uint8Array => (rng.chance(0.6) ? rng.mutate(rng.pick(seeds().bin)) : hostileBinary(rng)),
    run: (input) => feed(parseBinary(input as Uint8Array)),
  },
  {
    name: 'mezon.frame.json',
    generate: (rng: Rng): string => {
      if (rng.chance(0.5)) return hostileJson(rng);
      const seed = rng.pick(seeds().txt);
      return rng.chance(0.5) ? Buffer.from(rng.mutate(Buffer.from(seed))).toString('utf8') : seed.replace(/"([a-z_]+)":/, `"${rng.pick(KEYS)}":`);
    },
    run: (input) => feed(parseText(input as string)),
  },
];
