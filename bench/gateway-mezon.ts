/**
 * Mezon: channel messages per second decoded into typed, validated events
 * (content parsed, reactions/mentions/attachments/references decoded), from
 * protobuf binary frames and from JSON text frames, beside two floors per
 * framing, measured in the same run:
 *  - the official schema's bare Envelope decode by a maintained runtime:
 *    @bufbuild/protobuf's reflective `fromBinary` / `fromJsonString` over the
 *    descriptor set compiled from mezonai/mezon-protocol (no nested lists, no
 *    content parse, no validation);
 *  - rxwire's own Envelope decode (decodeEnvelope*Parts: no content parse, no
 *    validation, but ChannelMessage's list bytes are decoded in the same pass).
 *
 *   npx tsx bench/gateway-mezon.ts [messages=20000] [rounds=5]
 *
 * Part 1 decodes pre-built frames in-process (frame → typed event), per round and median.
 * A round interleaves the paths: N messages each, in slices of 1000 (one pass
 * over the frames), every path taking its slice in turn, each path's time
 * summed over its slices. So a change in the machine's load during a round
 * (other processes on a shared machine) falls on every path alike instead of
 * on whichever ran then, and a round's ratios compare like with like.
 * Part 2 pushes pre-encoded frames from the local server over loopback to a
 * subscribed client (socket → typed event), both framings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileRegistry, fromBinary, fromJsonString } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { filter, firstValueFrom, reduce, take } from 'rxjs';
import {
  decodeEnvelopeBinaryParts,
  decodeEnvelopeJsonParts,
  decodeMezonPush,
  encodeEnvelopeBinary,
  encodeEnvelopeJson,
  mezon,
  parseBinary,
  parseText,
} from '../src/gateway/mezon';
import { MezonSampleEvents, mezonWirePayload, startMezonServer } from '../src/testing/mezon';

const N = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 5);

function frames(): { bin: Uint8Array[]; txt: string[] } {
  const bin: Uint8Array[] = [];
  const txt: string[] = [];
  const text = 'The quick brown fox jumps over the lazy dog; rxwire decodes Mezon frames into typed events. '.repeat(6);
  for (let i = 0; i < 1000; i++) {
    const data = { ...MezonSampleEvents.ChannelMessage, message_id: String(1840700000000000000n + BigInt(i)), content: { t: `${i} ${text}` } };
    const env = { channel_message: mezonWirePayload('ChannelMessage', data) };
    bin.push(encodeEnvelopeBinary(env));
    txt.push(encodeEnvelopeJson(env));
  }
  return { bin, txt };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const SLICE = 1000;

/** One round: every path runs N messages, interleaved slice by slice; messages per second per path. */
function round<K extends string>(paths: Record<K, (from: number, to: number) => void>): Record<K, number> {
  const keys = Object.keys(paths) as K[];
  const ns = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (let done = 0; done < N; done += SLICE) {
    const n = Math.min(SLICE, N - done);
    for (const k of keys) {
      const t0 = process.hrtime.bigint();
      paths[k](0, n);
      ns[k] += Number(process.hrtime.bigint() - t0);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, (N / ns[k]) * 1e9])) as Record<K, number>;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(10);
}

async function main(): Promise<void> {
  const { bin, txt } = frames();
  console.log(`Mezon channel messages: ${N} per round, ${ROUNDS} rounds (+1 warm-up); frame sizes ${bin[0].length} B protobuf, ${txt[0].length} B JSON`);
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(join(__dirname, '..', 'test', 'mezon', 'corpus', 'schema', 'mezon-current.binpb'))));
  const Envelope = registry.getMessage('mezon.realtime.Envelope');
  if (!Envelope) throw new Error('no Envelope in the descriptor set');

  // Sanity: every path yields a typed ChannelMessage.
  const check = [parseBinary(bin[0]), parseText(txt[0])].map((p) => (p.kind === 'Envelope' ? decodeMezonPush(p.frame).type : p.kind));
  if (check.some((t) => t !== 'ChannelMessage')) throw new Error(`decode check failed: ${check.join(', ')}`);

  let sink = 0;
  const series: Record<string, number[]> = { esBin: [], ownBin: [], pb: [], esJson: [], ownJson: [], js: [] };
  for (let r = 0; r < ROUNDS + 1; r++) {
    const res = round({
      esBin: (a, b) => {
        for (let i = a; i < b; i++) sink += (fromBinary(Envelope, bin[i]) as unknown as { message: { case?: string } }).message.case === 'channelMessage' ? 1 : 0;
      },
      ownBin: (a, b) => {
        for (let i = a; i < b; i++) sink += decodeEnvelopeBinaryParts(bin[i]).field === 'channel_message' ? 1 : 0;
      },
      pb: (a, b) => {
        for (let i = a; i < b; i++) {
          const x = parseBinary(bin[i]);
          if (x.kind === 'Envelope' && decodeMezonPush(x.frame).type === 'ChannelMessage') sink++;
        }
      },
      esJson: (a, b) => {
        for (let i = a; i < b; i++) sink += (fromJsonString(Envelope, txt[i], { ignoreUnknownFields: true }) as unknown as { message: { case?: string } }).message.case === 'channelMessage' ? 1 : 0;
      },
      ownJson: (a, b) => {
        for (let i = a; i < b; i++) sink += decodeEnvelopeJsonParts(txt[i]).field === 'channel_message' ? 1 : 0;
      },
      js: (a, b) => {
        for (let i = a; i < b; i++) {
          const x = parseText(txt[i]);
          if (x.kind === 'Envelope' && decodeMezonPush(x.frame).type === 'ChannelMessage') sink++;
        }
      },
    });
    if (r === 0) continue; // warm-up
    for (const [k, v] of Object.entries(res)) series[k].push(v);
    console.log(
      `  round ${r}: protobuf typed ${fmt(res.pb)} = ${(res.pb / res.esBin).toFixed(2)}× bufbuild floor, ${(res.pb / res.ownBin).toFixed(2)}× own floor | JSON typed ${fmt(res.js)} = ${(res.js / res.esJson).toFixed(2)}× bufbuild floor, ${(res.js / res.ownJson).toFixed(2)}× own floor`,
    );
  }
  const M = Object.fromEntries(Object.entries(series).map(([k, v]) => [k, median(v)])) as Record<keyof typeof series, number>;
  console.log('\nIn-process decode (frame → typed event), messages/s (median of rounds):');
  console.log(`  protobuf floor: @bufbuild/protobuf fromBinary(Envelope)      ${fmt(M.esBin)}  1.00×`);
  console.log(`  protobuf floor: rxwire Envelope decode (lists incl.)        ${fmt(M.ownBin)}  ${(M.ownBin / M.esBin).toFixed(2)}×`);
  console.log(`  rxwire protobuf → typed ChannelMessage                        ${fmt(M.pb)}  ${(M.pb / M.esBin).toFixed(2)}× bufbuild floor, ${(M.pb / M.ownBin).toFixed(2)}× own floor`);
  console.log(`  JSON floor: @bufbuild/protobuf fromJsonString(Envelope)        ${fmt(M.esJson)}  1.00×`);
  console.log(`  JSON floor: rxwire Envelope decode (lists incl.)             ${fmt(M.ownJson)}  ${(M.ownJson / M.esJson).toFixed(2)}×`);
  console.log(`  rxwire JSON → typed ChannelMessage                            ${fmt(M.js)}  ${(M.js / M.esJson).toFixed(2)}× bufbuild floor, ${(M.js / M.ownJson).toFixed(2)}× own floor`);

  // Part 2: over loopback from the local server.
  const server = await startMezonServer();
  try {
    const loop = async (format: 'protobuf' | 'json'): Promise<number> => {
      const client = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, format });
      const ready = firstValueFrom(client.events$.pipe(filter((e) => e.type === 'Ready'), take(1)));
      const done = firstValueFrom(client.events$.pipe(filter((e) => e.type === 'ChannelMessage'), take(N), reduce((n: number) => n + 1, 0)));
      await ready;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < N; i++) server.pushRaw(format === 'protobuf' ? bin[i % 1000] : txt[i % 1000]);
      const got = await done;
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      sink += got;
      return (N / ms) * 1000;
    };
    const lp: number[] = [];
    const lj: number[] = [];
    for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
      lp.push(await loop('protobuf'));
      lj.push(await loop('json'));
    }
    console.log('\nOver loopback from the local server (socket → typed event; server sends pre-encoded frames), messages/s (median):');
    console.log(`  rxwire protobuf  ${fmt(median(lp))}  ${(median(lp) / M.esBin).toFixed(2)}× in-process bufbuild floor`);
    console.log(`  rxwire JSON      ${fmt(median(lj))}  ${(median(lj) / M.esJson).toFixed(2)}× in-process bufbuild JSON floor; JSON/protobuf ${(median(lj) / median(lp)).toFixed(2)}×`);
  } finally {
    await server.close();
  }
  if (sink < 0) console.log(sink);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
