/**
 * Our io-ts codecs against the official schema (schema.generated.ts): for every
 * event type, the defaults our codec fills in for an empty JSON message equal
 * what the official binary decoder yields for an empty message (same fields,
 * same kinds: int64 ids as "0", strings "", numbers 0, lists []). And every
 * sample survives a binary round trip through the official codec.
 */
import {
  MEZON_CODECS,
  MEZON_FIELD_OF,
  decodeEnvelopeBinary,
  decodeMezonPush,
  encodeEnvelopeBinary,
  encodeEnvelopeJson,
  normalizeChannelMessage,
  parseBinary,
  parseText,
  type MezonEventType,
} from '../../src/gateway/mezon';
import * as t from 'io-ts';
import { validate } from '../../src/core';
import { MezonSampleEvents, mezonWirePayload } from '../../src/testing/mezon';

const TYPES = Object.keys(MEZON_CODECS) as MezonEventType[];

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

test.each(TYPES)('%s: codec defaults equal the canonical empty message', (type) => {
  const field = MEZON_FIELD_OF[type];
  const canonical = decodeEnvelopeBinary(encodeEnvelopeBinary({ cid: '', [field]: {} }))[field] as Record<string, unknown>;
  const fromBinary = type === 'ChannelMessage' ? normalizeChannelMessage(canonical) : canonical;
  const codec: t.Decoder<unknown, unknown> = MEZON_CODECS[type];
  const fromJson = validate(codec, type === 'ChannelMessage' ? normalizeChannelMessage({}) : {});
  if (!fromJson.ok) throw new Error(fromJson.errors.join('\n'));
  const ours = dropUndefined(fromJson.value as Record<string, unknown>);
  const theirs = dropUndefined(fromBinary as Record<string, unknown>);
  // Every field we type exists in the canonical message with the same default.
  for (const [k, v] of Object.entries(ours)) expect([k, theirs[k]]).toEqual([k, v]);
});

test.each(TYPES)('%s: the sample decodes to the same data from binary and from JSON', (type) => {
  const envelope = { [MEZON_FIELD_OF[type]]: mezonWirePayload(type, MezonSampleEvents[type]) };
  const bin = parseBinary(encodeEnvelopeBinary(envelope));
  const txt = parseText(encodeEnvelopeJson(envelope));
  if (bin.kind !== 'Envelope' || txt.kind !== 'Envelope') throw new Error('not an envelope');
  const a = decodeMezonPush(bin.frame);
  const b = decodeMezonPush(txt.frame);
  expect(a.type).toBe(type);
  expect(b.type).toBe(type);
  expect(a.data).toMatchObject(MezonSampleEvents[type]);
  expect(b.data).toEqual(a.data);
});
