/**
 * Discord gateway fuzz targets, through the LIVE decode path: a `discord()`
 * handle on an in-memory transport (Open, the fuzzed messages, Close), so
 * every input runs socket item → inflate stage → frame parse → session step →
 * codec → redaction, exactly as production does. Inputs are structure-aware:
 * conformance-corpus dispatches with mutations (fields dropped, retyped,
 * nested deep), dispatch names that are Object prototype keys, every opcode
 * with odd data, byte-level mutations of valid JSON, deep nesting and length
 * bombs; for zlib-stream, valid compressed messages, corrupt and truncated
 * ones, runs without the flush suffix and zlib bombs (past maxInflatedBytes, 1 MiB here),
 * in both the sync and the stream inflate path. The token is echoed in close
 * reasons and unknown frames: it must never come out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { Observable, VirtualTimeScheduler } from 'rxjs';
import { discord } from '../../src/gateway/discord';
import type { CompressionMode, WsConnection, WsInbound } from '../../src/gateway/transport';
import type { FuzzTarget, Rng } from '../harness';

export const TOKEN = 'fuzz-discord-secret-token-7f3a9';
const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'propertyIsEnumerable', 'toLocaleString', ''];

interface Fixture {
  readonly t: string;
  readonly d: unknown;
}
const corpusDir = join(__dirname, '..', '..', 'test', 'discord', 'corpus');
export const FIXTURES: Fixture[] = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(join(corpusDir, f), 'utf8')) as { fixtures: Fixture[] }).fixtures);
const NAMES = [...new Set(FIXTURES.map((f) => f.t))];

function mutateValue(rng: Rng, v: unknown, depth = 0): unknown {
  if (depth > 8 || rng.chance(0.6)) {
    switch (rng.int(10)) {
      case 0:
        return null;
      case 1:
        return rng.int(2 ** 31) - 2 ** 30;
      case 2:
        return rng.string(12);
      case 3:
        return [];
      case 4:
        return {};
      case 5:
        return rng.chance(0.5);
      case 6:
        return undefined;
      default:
        break;
    }
  }
  if (Array.isArray(v)) return v.map((x) => (rng.chance(0.3) ? mutateValue(rng, x, depth + 1) : x));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    for (let i = rng.int(3); i >= 0 && keys.length > 0; i--) {
      const k = rng.pick(keys);
      if (rng.chance(0.3)) delete o[k];
      else o[k] = mutateValue(rng, o[k], depth + 1);
    }
    if (rng.chance(0.1)) Object.defineProperty(o, rng.pick(PROTO_KEYS), { value: mutateValue(rng, null, depth + 1), enumerable: true, configurable: true, writable: true });
    return o;
  }
  return v;
}

function nested(depth: number, open: string, close: string, inner = '0'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** One text message: mostly near-valid gateway frames. */
export function textFrame(rng: Rng, seq: number): string {
  switch (rng.int(12)) {
    case 0: {
      const f = rng.pick(FIXTURES);
      return JSON.stringify({ op: 0, d: f.d, s: seq, t: f.t });
    }
    case 1:
    case 2: {
      const f = rng.pick(FIXTURES);
      return JSON.stringify({ op: 0, d: mutateValue(rng, f.d), s: seq, t: rng.chance(0.8) ? f.t : rng.pick(NAMES) });
    }
    case 3:
      return JSON.stringify({ op: 0, d: mutateValue(rng, rng.pick(FIXTURES).d), s: seq, t: rng.pick(PROTO_KEYS) });
    case 4:
      return JSON.stringify({ op: rng.pick([1, 7, 9, 10, 11, 2, 6, 99, -1, 1.5]), d: rng.pick<unknown>([null, true, false, { heartbeat_interval: rng.int(50_000) }, { heartbeat_interval: 'x' }, TOKEN, [], 0]), s: rng.chance(0.5) ? seq : null, t: null });
    case 5:
      return JSON.stringify({ op: 99, d: `echo ${TOKEN}`, s: null, t: null });
    case 6: {
      const text = JSON.stringify({ op: 0, d: rng.pick(FIXTURES).d, s: seq, t: rng.pick(NAMES) });
      return Buffer.from(rng.mutate(Buffer.from(text))).toString('utf8');
    }
    case 7:
      return `{"op":0,"s":${seq},"t":"MESSAGE_CREATE","d":${nested(1 + rng.int(2000), '[', ']')}}`;
    case 8:
      return `{"op":0,"s":${seq},"t":"GUILD_CREATE","d":${nested(1 + rng.int(2000), '{"a":', '}')}}`;
    case 9:
      return JSON.stringify({ op: 0, d: { id: 'x'.repeat(rng.int(64_000)), content: 'y'.repeat(rng.int(64_000)) }, s: seq, t: 'MESSAGE_CREATE' });
    case 10:
      return rng.pick(['', 'null', '[]', '"str"', '{}', '{"op":"0"}', '{"op":0}', '{"op":0,"s":1}', '{"op":0,"t":"READY"}', '\u0000', '{"op":0,"s":1e400,"t":"READY","d":{}}']);
    default:
      return rng.string(64);
  }
}

/** One deflate context whose messages end in a sync flush (as Discord sends zlib-stream). */
function syncFlushDeflate(): (text: string) => Buffer {
  let d = zlib.createDeflate();
  return (text) => {
    try {
      const h = d as unknown as { _processChunk: (chunk: Buffer, flush: number) => Buffer };
      return h._processChunk(Buffer.from(text), zlib.constants.Z_SYNC_FLUSH);
    } catch {
      // node's private sync path refused: start a new context (the client sees a broken stream, also worth fuzzing)
      d = zlib.createDeflate();
      return zlib.deflateSync(text, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    }
  };
}

const BOMB = zlib.deflateSync(Buffer.alloc(6 * 1024 * 1024, 0x20), { finishFlush: zlib.constants.Z_SYNC_FLUSH });

/** The binary messages of one zlib-stream connection. */
export function binaryFrames(rng: Rng): Buffer[] {
  const deflate = syncFlushDeflate();
  const out: Buffer[] = [];
  for (let i = rng.int(6); i >= 0; i--) {
    const msg = deflate(textFrame(rng, i + 1));
    switch (rng.int(8)) {
      case 0:
        out.push(Buffer.from(rng.mutate(msg)));
        break;
      case 1: {
        const at = rng.int(msg.length);
        out.push(msg.subarray(0, at), msg.subarray(at));
        break;
      }
      case 2:
        out.push(msg.subarray(0, Math.max(0, msg.length - 1 - rng.int(4))));
        break;
      case 3:
        out.push(out.length === 0 && rng.chance(0.5) ? BOMB : Buffer.from(rng.bytes(rng.int(64))));
        break;
      case 4:
        out.push(Buffer.concat([Buffer.from(rng.bytes(rng.int(32))), Buffer.from([0, 0, 0xff, 0xff])]));
        break;
      default:
        out.push(msg);
    }
  }
  if (rng.chance(0.05)) for (let i = 0; i < 40; i++) out.push(Buffer.alloc(64 * 1024, 7)); // no flush suffix: bounded by maxPendingBytes
  return out;
}

let runs = 0;

type Input = { readonly frames: ReadonlyArray<string | Buffer>; readonly closeCode: number; readonly closeReason: string };

function run(compress: CompressionMode, sync: boolean) {
  return async (input: Input): Promise<unknown[]> => {
    const scheduler = new VirtualTimeScheduler();
    const transport = (url: string) =>
      new Observable<WsInbound>((sub) => {
        const connection: WsConnection = { id: 1, url, send: () => true, close: () => undefined, terminate: () => undefined };
        sub.next({ kind: 'Open', connection });
        for (const f of input.frames) sub.next(typeof f === 'string' ? { kind: 'Text', connection, data: f } : { kind: 'Binary', connection, data: f });
        sub.next({ kind: 'Close', connection, code: input.closeCode, reason: input.closeReason, initiatedByClient: false });
        sub.complete();
      });
    const gw = discord({ token: TOKEN, intents: 1, url: 'wss://fuzz.example', compress, transport, scheduler, random: () => 0.5, maxInflatedBytes: 1024 * 1024, maxPendingBytes: 512 * 1024, inflateSync: sync });
    // events$ never completes on its own (it would reconnect after the Close, on timers that
    // never run here): take what the input produced, then unsubscribe.
    const seen: unknown[] = [];
    let ended = false;
    const sub = gw.events$.subscribe({
      next: (e) => {
        seen.push(e);
        if (e.type === 'Disconnected') ended = true;
      },
      error: (e: unknown) => {
        seen.push(e);
        ended = true;
      },
    });
    // The stream inflate path answers from the thread pool.
    for (let i = 0; i < 200 && !ended; i++) await new Promise((r) => setTimeout(r, 1));
    sub.unsubscribe();
    // node frees a closed zlib context's native memory on a later turn of the event loop: let it
    // turn now and then, or a tight loop of synchronous inputs piles them up (not a leak).
    if (compress !== 'none' && ++runs % 64 === 0) await new Promise((r) => setImmediate(r));
    if (!ended) throw new Error('the connection never reported its Close');
    return seen;
  };
}

// Warm up the decode path once (first-call compilation is not what the per-input time limit is about).
void run('none', true)({ frames: FIXTURES.map((f, i) => JSON.stringify({ op: 0, d: f.d, s: i + 1, t: f.t })), closeCode: 1006, closeReason: '' });
void run('zlib-stream', true)({ frames: [syncFlushDeflate()(JSON.stringify({ op: 0, d: FIXTURES[0].d, s: 1, t: FIXTURES[0].t }))], closeCode: 1006, closeReason: '' });

export const closeOf = (rng: Rng) => ({ closeCode: rng.pick([1000, 1006, 4000, 4004, 4009, 4014, 4999, 1005]), closeReason: rng.chance(0.3) ? `bad token ${TOKEN}` : rng.string(20) });

/** The Discord targets (plain JSON frames; zlib-stream in the sync and the stream inflate path). */
export const targets: FuzzTarget<Input>[] = [
  {
    name: 'discord.frame.json',
    secrets: [TOKEN],
    generate: (rng) => ({ frames: Array.from({ length: 1 + rng.int(6) }, (_, i) => textFrame(rng, i + 1)), ...closeOf(rng) }),
    run: run('none', true),
  },
  {
    name: 'discord.frame.zlib-stream',
    secrets: [TOKEN],
    generate: (rng) => ({ frames: binaryFrames(rng), ...closeOf(rng) }),
    run: run('zlib-stream', true),
  },
  {
    name: 'discord.frame.zlib-stream.async',
    secrets: [TOKEN],
    maxMsPerInput: 1000,
    generate: (rng) => ({ frames: binaryFrames(rng), ...closeOf(rng) }),
    run: run('zlib-stream', false),
  },
];
