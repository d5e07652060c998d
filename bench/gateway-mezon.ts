/**
 * Mezon: channel messages per second decoded into typed, validated events,
 * from protobuf binary frames and from JSON text frames, beside the floor:
 * the official Envelope decode alone (mezon-js-protobuf, no nested fields, no
 * content parse, no validation).
 *
 *   npx tsx bench/gateway-mezon.ts [messages=20000] [rounds=5]
 *
 * Part 1 decodes pre-built frames in-process (frame → typed event).
 * Part 2 pushes pre-encoded frames from the local server over loopback to a
 * subscribed client (socket → typed event), both framings.
 * Medians of `rounds`; ratios are against the floor measured in the same run.
 */
import { filter, firstValueFrom, reduce, take } from 'rxjs';
import {
  decodeEnvelopeBinary,
  decodeMezonPush,
  encodeEnvelopeBinary,
  encodeEnvelopeJson,
  mezonClient,
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

function rate(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return (N / ms) * 1000;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(10);
}

async function main(): Promise<void> {
  const { bin, txt } = frames();
  console.log(`Mezon channel messages: ${N} per round, ${ROUNDS} rounds; frame sizes ${bin[0].length} B protobuf, ${txt[0].length} B JSON`);

  // Sanity: every path yields a typed ChannelMessage.
  const check = [parseBinary(bin[0]), parseText(txt[0])].map((p) => (p.kind === 'Envelope' ? decodeMezonPush(p.frame).type : p.kind));
  if (check.some((t) => t !== 'ChannelMessage')) throw new Error(`decode check failed: ${check.join(', ')}`);

  let sink = 0;
  const floor: number[] = [];
  const pb: number[] = [];
  const js: number[] = [];
  for (let r = 0; r < ROUNDS + 1; r++) {
    const f = rate(() => {
      for (let i = 0; i < N; i++) sink += decodeEnvelopeBinary(bin[i % 1000]).channel_message === undefined ? 0 : 1;
    });
    const p = rate(() => {
      for (let i = 0; i < N; i++) {
        const x = parseBinary(bin[i % 1000]);
        if (x.kind === 'Envelope' && decodeMezonPush(x.frame).type === 'ChannelMessage') sink++;
      }
    });
    const j = rate(() => {
      for (let i = 0; i < N; i++) {
        const x = parseText(txt[i % 1000]);
        if (x.kind === 'Envelope' && decodeMezonPush(x.frame).type === 'ChannelMessage') sink++;
      }
    });
    if (r === 0) continue; // warm-up
    floor.push(f);
    pb.push(p);
    js.push(j);
  }
  const F = median(floor);
  console.log('\nIn-process decode (frame → typed event), messages/s (median):');
  console.log(`  floor: mezon-js-protobuf Envelope decode alone  ${fmt(F)}  1.00×`);
  console.log(`  rxwire protobuf → typed ChannelMessage          ${fmt(median(pb))}  ${(median(pb) / F).toFixed(2)}× floor`);
  console.log(`  rxwire JSON → typed ChannelMessage              ${fmt(median(js))}  ${(median(js) / F).toFixed(2)}× floor`);

  // Part 2: over loopback from the local server.
  const server = await startMezonServer();
  try {
    const loop = async (format: 'protobuf' | 'json'): Promise<number> => {
      const client = mezonClient({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, format });
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
    console.log(`  rxwire protobuf  ${fmt(median(lp))}  ${(median(lp) / F).toFixed(2)}× in-process floor`);
    console.log(`  rxwire JSON      ${fmt(median(lj))}  ${(median(lj) / F).toFixed(2)}× in-process floor; JSON/protobuf ${(median(lj) / median(lp)).toFixed(2)}×`);
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
