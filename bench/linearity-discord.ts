/**
 * Worst cases of the Discord decode path at growing sizes (DESIGN: every
 * parser is linear; exponent ≤ 1.2): frame parse + session step + codec on
 * big valid dispatches, on dispatches whose codec fails everywhere (N error
 * paths), on deep nesting, the redaction of a big DecodeError, and
 * zlib-stream inflate of a message split into many chunks without the flush
 * suffix. `npx tsx bench/linearity-discord.ts`.
 */
import * as zlib from 'node:zlib';
import { firstValueFrom, from, toArray } from 'rxjs';
import { createRedactor } from '../src/core';
import { discordSessionStep, initialDiscordSession, parseFrame, type DiscordSessionState, type GatewayFrame } from '../src/gateway/discord';
import { inflateStage, type WsConnection, type WsInbound } from '../src/gateway/transport';
import { discordMessageCreate } from '../src/testing/discord';
import { measureLinearity, reportLinearity, type LinearityCase } from './linearity';

const config = {
  token: 'linearity-token',
  intents: 1,
  shard: [0, 1] as const,
  properties: { os: 'linux', browser: 'rxwire', device: 'rxwire' },
  gatewayUrl: 'wss://gateway.example',
  query: 'v=10&encoding=json',
  random: () => 0.5,
  backoff: { initialDelay: 1000, maxDelay: 60_000 },
  helloTimeout: 60_000,
  readyTimeout: 15_000,
};
let s: DiscordSessionState = initialDiscordSession(config);
s = discordSessionStep(s, { kind: 'Start' })[0];
s = discordSessionStep(s, { kind: 'Open', conn: 1 })[0];
const ready = s;

/** The live decode of one text frame: parse + session step (codec inside). */
function decode(text: string): unknown {
  const f = parseFrame(text);
  if (typeof f === 'string') return f;
  return discordSessionStep(ready, { kind: 'Frame', conn: 1, frame: f })[1];
}

const user = (i: number) => ({ id: `${1e17 + i}`, username: `u${i}`, discriminator: '0', global_name: null, avatar: null });
const redactor = createRedactor(['linearity-token']);
const conn: WsConnection = { id: 1, url: 'ws://x', send: () => true, close: () => undefined, terminate: () => undefined };

const cases: LinearityCase[] = [
  {
    // Timed after JSON.parse: V8's JSON.parse of multi-MB object graphs is GC-bound and jumps
    // with heap sizes (the same for every client); what is ours is the session step + codec.
    name: 'discord: MESSAGE_CREATE with N mentions (valid, step)',
    sizes: [2000, 4000, 8000, 16000, 32000, 64000],
    make: (n) => parseFrame(JSON.stringify({ op: 0, s: 2, t: 'MESSAGE_CREATE', d: discordMessageCreate('x', { mentions: Array.from({ length: n }, (_, i) => ({ ...user(i), member: { roles: [], joined_at: null, deaf: false, mute: false, flags: 0 } })) }) })),
    run: (f) => discordSessionStep(ready, { kind: 'Frame', conn: 1, frame: f as GatewayFrame })[1],
  },
  {
    name: 'discord: GUILD_MEMBERS_CHUNK, N members all invalid',
    sizes: [500, 2000, 8000, 32000],
    make: (n) => JSON.stringify({ op: 0, s: 2, t: 'GUILD_MEMBERS_CHUNK', d: { guild_id: '1', chunk_index: 0, chunk_count: 1, members: Array.from({ length: n }, () => ({ user: 5, roles: 'x' })) } }),
    run: (t) => decode(t as string),
  },
  {
    name: 'discord: d nested N deep',
    sizes: [1000, 2000, 4000, 8000],
    make: (n) => `{"op":0,"s":2,"t":"GUILD_CREATE","d":${'{"a":'.repeat(n)}0${'}'.repeat(n)}}`,
    run: (t) => decode(t as string),
  },
  {
    name: 'discord: redact a DecodeError of N bytes',
    sizes: [100_000, 400_000, 1_600_000, 6_400_000],
    make: (n) => ({ source: 'discord', type: 'DecodeError', shard: 0, data: { tag: 'X', raw: 'y'.repeat(n) + 'linearity-token', errors: ['e'] } }),
    run: (e) => redactor.value(e),
  },
  {
    name: 'discord: zlib-stream message in N 1 KiB chunks',
    sizes: [256, 1024, 4096, 16384],
    make: (n) => {
      const text = JSON.stringify({ op: 0, s: 1, t: 'X', d: 'z'.repeat(n * 1024) });
      const msg = zlib.deflateSync(text, { finishFlush: zlib.constants.Z_SYNC_FLUSH, level: 0 });
      const items: WsInbound[] = [{ kind: 'Open', connection: conn }];
      for (let i = 0; i < msg.length; i += 1024) items.push({ kind: 'Binary', connection: conn, data: msg.subarray(i, Math.min(msg.length, i + 1024)) });
      items.push({ kind: 'Close', connection: conn, code: 1000, reason: '', initiatedByClient: false });
      return items;
    },
    run: (items) => firstValueFrom(from(items as WsInbound[]).pipe(inflateStage('zlib-stream', { maxInflatedBytes: 1 << 30, maxPendingBytes: 1 << 30 }), toArray())),
  },
];

reportLinearity(cases.map((c) => measureLinearity(c)));
