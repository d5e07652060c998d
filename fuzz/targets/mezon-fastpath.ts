// Mezon's generated straight-line decoder (decode.generated.ts) against the
// general one (wire.ts), on mutated channel_message frames, well-formed
// random messages of every Envelope field (the schema drives them), and hand-built
// odd ones (every wire type in unknown fields, groups, wire-type mismatches,
// long varints, odd lengths, non-ASCII and invalid UTF-8): whatever the fast
// decoder takes, it must give wire.ts's parts value for value (and never
// take what wire.ts refuses); the typed event of the live path (no codec
// pass) must equal the validating path's event, in both framings (JSON: the
// same frames re-encoded, mutated or retyped). A difference is thrown, so
// the harness reports it as a failure.
import { isDeepStrictEqual } from 'node:util';
import { decodeFrame } from '../../src/core';
import { MEZON_DECODE, decodeEnvelopeJsonParts, decodeMezonPush, encodeEnvelopeBinary, encodeEnvelopeJson, envelopeSchema, parseBinary, parseText, type MezonFrame } from '../../src/gateway/mezon';
import { decodeEnvelopeFast } from '../../src/gateway/mezon/decode.generated';
import { MEZON_EMBEDDED_LISTS } from '../../src/gateway/mezon/embeddedLists';
import { MEZON_MESSAGES } from '../../src/gateway/mezon/schema.generated';
import { decodeEnvelopeParts, type EnvelopeParts } from '../../src/gateway/mezon/wire';
import { MezonSampleEvents, mezonWirePayload } from '../../src/testing/mezon';
import type { FuzzTarget, Rng } from '../harness';

let seedFrames: Uint8Array[] | undefined;
function seeds(): Uint8Array[] {
  if (!seedFrames) {
    const sample = MezonSampleEvents.ChannelMessage;
    seedFrames = [
      encodeEnvelopeBinary({ channel_message: mezonWirePayload('ChannelMessage', sample) }),
      encodeEnvelopeBinary({ channel_message: mezonWirePayload('ChannelMessage', { ...sample, username: 'zoë ☃', content: { t: 'ünïcode 𝄞' }, code: -1, clan_id: '-9223372036854775808' }) }),
      encodeEnvelopeBinary({ channel_message: mezonWirePayload('ChannelMessage', { content: {} }) }),
      encodeEnvelopeBinary({ cid: 3, channel_message: mezonWirePayload('ChannelMessage', sample) }),
    ];
  }
  return seedFrames;
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

/** A field with a random number (known or not), a random wire type and a plausible or odd body. */
function oddField(rng: Rng): number[] {
  const no = rng.pick([1, 3, 6, 8, 15, 16, 17, 18, 19, 20, 23, 25, 26, 99, 1000, 536870911]);
  const wt = rng.pick([0, 0, 1, 2, 2, 3, 4, 5]);
  const t = varint(no * 8 + wt);
  switch (wt) {
    case 0:
      return [...t, ...(rng.chance(0.3) ? [...Array(rng.int(11)).fill(0xff), 0x01] : varint(rng.u32()))];
    case 1:
      return [...t, ...rng.bytes(8)];
    case 5:
      return [...t, ...rng.bytes(4)];
    case 2: {
      const body = rng.chance(0.5) ? [...rng.bytes(rng.int(24))] : [...Buffer.from(rng.string(20))];
      return [...t, ...varint(rng.chance(0.1) ? body.length + rng.int(3) : body.length), ...body];
    }
    case 3:
      return [...t, ...varint(7 * 8 + 0), 1, ...(rng.chance(0.8) ? varint(no * 8 + 4) : [])];
    default:
      return t;
  }
}

function randomVarint(rng: Rng): number[] {
  switch (rng.int(5)) {
    case 0:
      return varint(rng.int(128));
    case 1:
      return varint(rng.u32());
    case 2: // a negative int32 / int64: ten bytes
      return [...Array.from({ length: 9 }, () => 0x80 | (rng.u32() & 0x7f)), 0x01];
    case 3: // a snowflake-sized id
      return varint(1.8e18 + rng.int(1 << 30) * 4096);
    default:
      return [...Array.from({ length: rng.int(9) }, () => 0x80 | (rng.u32() & 0x7f)), rng.u32() & 0x7f];
  }
}

function randomText(rng: Rng): number[] {
  if (rng.chance(0.5)) return [...Buffer.from(rng.string(rng.chance(0.8) ? 14 : 60))];
  return [...rng.bytes(rng.int(20))]; // any bytes: invalid UTF-8 too
}

const WT: Record<number, number> = { 1: 1, 2: 5, 6: 1, 7: 5, 9: 2, 12: 2, 15: 5, 16: 1, 21: 2, 22: 2 };

/** A well-formed message of `name` (schema table): random fields with their own wire types, random values, some unknown fields. */
function wellFormed(rng: Rng, name: string, depth: number): number[] {
  const rows = MEZON_MESSAGES[name] ?? [];
  const out: number[] = [];
  for (let i = rng.int(12); i >= 0; i--) {
    if (rng.chance(0.1)) {
      const wt = rng.pick([0, 1, 2, 5]);
      const no = 100 + rng.int(50);
      out.push(...varint(no * 8 + wt), ...(wt === 0 ? randomVarint(rng) : wt === 1 ? [...rng.bytes(8)] : wt === 5 ? [...rng.bytes(4)] : (() => { const b = randomText(rng); return [...varint(b.length), ...b]; })()));
      continue;
    }
    const row = rng.pick(rows);
    if (!row) break;
    const [no, fname, kind, flags, ref] = row;
    const list = MEZON_EMBEDDED_LISTS[name]?.[fname];
    const wt = list || (flags & 8) !== 0 ? 2 : WT[kind] ?? 0;
    let body: number[];
    if (list) body = depth < 3 ? wellFormed(rng, list[0], depth + 1) : [];
    else if (kind === 21 && ref) body = depth < 3 ? wellFormed(rng, ref, depth + 1) : [];
    else if (wt === 2) body = randomText(rng);
    else if (wt === 1) body = [...rng.bytes(8)];
    else if (wt === 5) body = [...rng.bytes(4)];
    else {
      out.push(...varint(no * 8), ...randomVarint(rng));
      continue;
    }
    out.push(...varint(no * 8 + wt), ...(wt === 2 ? varint(body.length) : []), ...body);
  }
  return out;
}

const ENVELOPE_FIELDS = (MEZON_MESSAGES['mezon.realtime.Envelope'] ?? []).filter((r) => r[2] === 21 && r[4] !== undefined);

function generate(rng: Rng): Uint8Array {
  if (rng.chance(0.3)) return rng.mutate(rng.pick(seeds()));
  if (rng.chance(0.25)) {
    // any other Envelope field: a well-formed message of its type (every event and reply the schema has)
    const [no, , , , ref] = rng.pick(ENVELOPE_FIELDS);
    const body = wellFormed(rng, ref as string, 1);
    return new Uint8Array([...(rng.chance(0.3) ? [0x08, ...randomVarint(rng)] : []), ...varint(no * 8 + 2), ...varint(body.length), ...body]);
  }
  if (rng.chance(0.6)) {
    const body = wellFormed(rng, 'mezon.api.ChannelMessage', 1);
    return new Uint8Array([...(rng.chance(0.2) ? [0x08, ...randomVarint(rng)] : []), 0x32, ...varint(body.length), ...body]);
  }
  // channel_message (field 6) with random odd fields spliced in, optionally nested as a list element.
  const body: number[] = [];
  for (let i = rng.int(6); i >= 0; i--) body.push(...oddField(rng));
  const element = [0x0a, ...varint(body.length), ...body]; // MessageReactionList.reactions[0]
  const inner = rng.chance(0.3) ? [...varint(15 * 8 + 2), ...varint(element.length), ...element] : body;
  const head = rng.chance(0.2) ? [0x08, ...varint(rng.u32() % 100)] : [];
  return new Uint8Array([...head, 0x32, ...varint(inner.length), ...inner]);
}

function general(bytes: Uint8Array): EnvelopeParts | undefined {
  try {
    return decodeEnvelopeParts(envelopeSchema(), bytes);
  } catch {
    return undefined;
  }
}

function run(bytes: Uint8Array): unknown[] {
  const fast = decodeEnvelopeFast(bytes);
  const slow = general(bytes);
  if (fast !== undefined && (slow === undefined || !isDeepStrictEqual(fast, slow))) throw new Error('the fast decoder disagrees with wire.ts');
  const x = parseBinary(bytes);
  if (x.kind !== 'Envelope' || slow === undefined) return [x];
  if (x.frame.field !== 'channel_message') return [decodeMezonPush(x.frame)];
  const event = decodeMezonPush(x.frame);
  const plain: MezonFrame = { cid: slow.cid, cidString: slow.cidString, field: slow.field, payload: general(bytes)?.payload, raw: bytes };
  if (!isDeepStrictEqual(event, decodeFrame(MEZON_DECODE, plain))) throw new Error('the unvalidated ChannelMessage differs from the validated one');
  return [event];
}

/** JSON: a mutated or retyped channel_message; the live path's event (no codec pass when fromJson took it) = the validating path's. */
function generateJson(rng: Rng): string {
  const bytes = generate(rng);
  let parts: EnvelopeParts | undefined;
  try {
    parts = decodeEnvelopeParts(envelopeSchema(), bytes);
  } catch {
    parts = undefined;
  }
  const text = parts?.field === 'channel_message' ? encodeEnvelopeJson({ channel_message: parts.payload }) : encodeEnvelopeJson({ channel_message: { content: rng.string(20) } });
  if (rng.chance(0.3)) return Buffer.from(rng.mutate(Buffer.from(text))).toString('utf8');
  if (rng.chance(0.3)) return text.replace(/"([a-z_]+)":("[^"]*"|\d+|true|false)/, (_, k: string) => `"${k}":${rng.pick(['1', '"x"', 'true', '[]', '{}', '-1.5', '"AAEC"', '"18446744073709551616"'])}`);
  return text;
}

function runJson(text: string): unknown[] {
  const x = parseText(text);
  if (x.kind !== 'Envelope' || x.frame.field !== 'channel_message') return [x];
  const event = decodeMezonPush(x.frame);
  const p = decodeEnvelopeJsonParts(text);
  const plain: MezonFrame = { cid: p.cid, cidString: p.cidString, field: p.field, payload: p.payload, raw: text };
  if (!isDeepStrictEqual(event, decodeFrame(MEZON_DECODE, plain))) throw new Error('the unvalidated JSON ChannelMessage differs from the validated one');
  return [event];
}

export const targets: FuzzTarget[] = [
  {
    name: 'mezon.fastpath.protobuf',
    generate: (rng: Rng): Uint8Array => generate(rng),
    run: (input) => run(input as Uint8Array),
  },
  {
    name: 'mezon.fastpath.json',
    generate: (rng: Rng): string => generateJson(rng),
    run: (input) => runJson(input as string),
  },
];
