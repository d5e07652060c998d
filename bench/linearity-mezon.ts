/**
 * Mezon worst cases at growing sizes, time exponent per case (must stay ≤ 1.2),
 * plus the per-64-KiB figure (goal: no frame over 10 ms per 64 KiB):
 *  - many empty nested messages (ChannelPresenceEvent.joins), binary;
 *  - a packed repeated int64 (ChannelUpdatedEvent.user_ids), binary;
 *  - a channel message whose mentions list holds n entries, binary and JSON;
 *  - unmatched raw API-response chunks through the session (issue 19: 20,000 took 105 s);
 *  - JSON nested arrays under channel_message (DecodeError path).
 *
 *   npx tsx bench/linearity-mezon.ts
 */
import {
  decodeMezonPush,
  encodeBinary,
  encodeEnvelopeBinary,
  encodeEnvelopeJson,
  initialMezonSession,
  mezonSessionStep,
  parseBinary,
  parseText,
  wireMessage,
  type MezonSessionState,
} from '../src/gateway/mezon';
import { measureLinearity, reportLinearity, type LinearityCase } from './linearity';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function decodeBin(input: unknown): unknown {
  const p = parseBinary(input as Uint8Array);
  return p.kind === 'Envelope' ? decodeMezonPush(p.frame) : p;
}
function decodeTxt(input: unknown): unknown {
  const p = parseText(input as string);
  return p.kind === 'Envelope' ? decodeMezonPush(p.frame) : p;
}

const SIZES = [2_000, 4_000, 8_000, 16_000, 32_000, 64_000];

const cases: LinearityCase[] = [
  {
    name: 'binary: n empty ChannelPresenceEvent.joins',
    sizes: SIZES,
    make: (n) => {
      const inner = Array.from({ length: n / 2 }, () => [0x12, 0]).flat();
      return new Uint8Array([0x5a, ...varint(inner.length), ...inner]);
    },
    run: decodeBin,
  },
  {
    name: 'binary: packed int64 user_ids (bytes)',
    sizes: SIZES,
    make: (n) => {
      const body = Array.from({ length: n / 9 }, () => varint(0x7fffffff).concat([0x80, 0x80, 0x80, 0x01])).flat();
      const inner = [0x92, 0x01, ...varint(body.length), ...body]; // field 18, wire type 2
      return new Uint8Array([0x8a, 0x02, ...varint(inner.length), ...inner]); // Envelope field 33
    },
    run: decodeBin,
  },
  {
    name: 'binary: channel_message with n/40 mentions',
    sizes: SIZES,
    make: (n) => {
      const mentions = encodeBinary(wireMessage('mezon.api.MessageMentionList'), { mentions: Array.from({ length: Math.floor(n / 40) }, (_, i) => ({ user_id: String(1831510401300041729n + BigInt(i)), username: 'u', s: 1, e: 2 })) });
      return encodeEnvelopeBinary({ channel_message: { clan_id: '1', channel_id: '2', message_id: '3', content: '{"t":"x"}', mentions } });
    },
    run: decodeBin,
  },
  {
    name: 'json: channel_message with n/40 mentions',
    sizes: SIZES,
    make: (n) => {
      const mentions = encodeBinary(wireMessage('mezon.api.MessageMentionList'), { mentions: Array.from({ length: Math.floor(n / 40) }, (_, i) => ({ user_id: String(1831510401300041729n + BigInt(i)), username: 'u', s: 1, e: 2 })) });
      return encodeEnvelopeJson({ channel_message: { clan_id: '1', channel_id: '2', message_id: '3', content: '{"t":"x"}', mentions } });
    },
    run: decodeTxt,
  },
  {
    name: 'json: channel_message nested arrays (depth n/2)',
    sizes: SIZES,
    make: (n) => `{"channel_message":${'['.repeat(n / 2)}${']'.repeat(n / 2)}}`,
    run: decodeTxt,
  },
  {
    name: 'session: n/4 unmatched API chunks',
    sizes: SIZES,
    make: (n) => {
      let [s] = mezonSessionStep(initialMezonSession, { kind: 'Open', clans: [] });
      [s] = mezonSessionStep(s, { kind: 'JoinDeadline' });
      return { s, count: n / 4 };
    },
    run: (input) => {
      const { s, count } = input as { s: MezonSessionState; count: number };
      let st = s;
      const chunk = new Uint8Array(64);
      for (let i = 0; i < count; i++) [st] = mezonSessionStep(st, { kind: 'Inbound', item: { kind: 'ApiChunk', cid: 100 + (i % 60_000), code: 200, fin: false, chunk } });
      return st;
    },
  },
];

const results = cases.map((c) => measureLinearity(c, 7));
reportLinearity(results);
for (const r of results) {
  const last = r.points[r.points.length - 1];
  if (last && !r.name.startsWith('session')) console.log(`  ${r.name}: ${((last.ms * 65536) / last.size).toFixed(2)} ms per 64 KiB`);
}
if (results.some((r) => r.exponent > 1.2)) process.exitCode = 1;
