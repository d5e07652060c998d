// Stoat: Bonfire frames in both framings through the LIVE decode path (transport
// item → framing → session step → codec table → redaction → shared events$):
// near-valid corpus frames and their mutations, prototype-key tags, deep Bulk and
// container nesting, MessagePack length bombs, and the token echoed in Error
// frames, close reasons and unknown frames (it must never come out).
import { encode } from '@msgpack/msgpack';
import { Observable, type Subscription } from 'rxjs';
import { isRxwireError } from '../../src/core/errors';
import { stoat, type StoatEvent } from '../../src/gateway/stoat';
import type { WsConnection, WsInbound } from '../../src/gateway/transport';
import { corpus, jsonForm, msgpackForm, readyFrame } from '../../test/stoat/corpus/events';
import type { FuzzTarget, Rng } from '../harness';

const TOKEN = 'fuzz-stoat-secret-token-5f2a9c';
const PROTO_TAGS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'Bulk', 'Auth', 'Ready', 'Error', 'MessageCreate', ''];
type Format = 'json' | 'msgpack';
type Input = { readonly kind: 'frame'; readonly data: string | Uint8Array } | { readonly kind: 'close'; readonly code: number; readonly reason: string };

/** One long-lived connection fed synchronously; rebuilt after a fatal frame ends it. */
class Live {
  private push: ((item: WsInbound) => void) | undefined;
  private sub: Subscription | undefined;
  private out: unknown[] = [];
  private connection: WsConnection | undefined;

  constructor(private readonly format: Format) {}

  private open(): void {
    this.sub?.unsubscribe();
    const transport = (url: string): Observable<WsInbound> =>
      new Observable<WsInbound>((s) => {
        const connection: WsConnection = { id: 1, url, send: () => true, close() {}, terminate() {} };
        this.connection = connection;
        this.push = (item) => s.next(item);
        s.next({ kind: 'Open', connection });
        s.next({ kind: 'Text', connection, data: '{"type":"Authenticated"}' });
        s.next({ kind: 'Text', connection, data: JSON.stringify(jsonForm(readyFrame)) });
      });
    this.push = undefined;
    this.sub = stoat({ url: 'ws://bonfire.fuzz/', token: TOKEN, format: this.format, transport, pingInterval: 1e9, readyTimeout: 1e9, backoff: { retryable: () => false } }).events$.subscribe({
      next: (e: StoatEvent) => this.out.push(e),
      error: (err: unknown) => {
        if (!isRxwireError(err)) throw err;
        this.out.push(err);
        this.push = undefined;
      },
    });
  }

  feed(input: Input): unknown[] {
    if (this.push === undefined) this.open();
    this.out = [];
    const push = this.push;
    const connection = this.connection;
    if (push === undefined || connection === undefined) return [];
    if (input.kind === 'close') push({ kind: 'Close', connection, code: input.code, reason: input.reason, initiatedByClient: false });
    else if (typeof input.data === 'string') push({ kind: 'Text', connection, data: input.data });
    else push({ kind: 'Binary', connection, data: Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength) });
    return this.out;
  }
}

function mutateValue(rng: Rng, v: unknown, depth = 0): unknown {
  if (depth > 4 || !rng.chance(0.6)) {
    if (rng.chance(0.15)) return rng.pick([null, 0, -1, 1e300, '', TOKEN.slice(0, 4), [], {}, true, 2 ** 53, '1970-01-01T00:00:00.000Z', 8.64e15 + 1]);
    return v;
  }
  if (Array.isArray(v)) return v.length === 0 ? [mutateValue(rng, {}, depth + 1)] : v.map((x) => mutateValue(rng, x, depth + 1));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!rng.chance(0.1)) o[k] = mutateValue(rng, x, depth + 1);
    if (rng.chance(0.1)) o[rng.pick(['__proto__', 'constructor', 'prototype', rng.string(5)])] = mutateValue(rng, {}, depth + 1);
    return o;
  }
  return v;
}

function deepJsonBulk(depth: number): string {
  return '{"type":"Bulk","v":['.repeat(depth) + '{"type":"ChannelStartTyping","id":"c","user":"u"}' + ']}'.repeat(depth);
}

function msgpackBomb(rng: Rng): Uint8Array {
  const heads = [
    [0xdd, 0xff, 0xff, 0xff, 0xff],
    [0xdf, 0x7f, 0xff, 0xff, 0xff],
    [0xdb, 0xff, 0xff, 0xff, 0xf0],
    [0xc6, 0xff, 0xff, 0xff, 0xf0],
    [0xc9, 0x7f, 0xff, 0xff, 0xff, 0x01],
    [0xdc, 0xff, 0xff],
    [0xde, 0xff, 0xff],
  ];
  const prefix = rng.chance(0.5) ? [0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa4, 0x42, 0x75, 0x6c, 0x6b, 0xa1, 0x76] : []; // {type:"Bulk", v: <bomb>}
  return Uint8Array.from([...prefix, ...rng.pick(heads), ...rng.bytes(rng.int(64))]);
}

function nestedFixarrays(n: number): Uint8Array {
  const b = new Uint8Array(n).fill(0x91);
  b[n - 1] = 0x90;
  return b;
}

function generate(format: Format, rng: Rng): Input {
  const form = format === 'json' ? jsonForm : msgpackForm;
  const encodeFrame = (v: unknown): string | Uint8Array => (format === 'json' ? JSON.stringify(v) : encode(v));
  switch (rng.int(12)) {
    case 0:
    case 1:
    case 2:
      return { kind: 'frame', data: encodeFrame(form(rng.pick(corpus).frame)) };
    case 3:
    case 4:
      return { kind: 'frame', data: encodeFrame(mutateValue(rng, form(rng.pick(corpus).frame))) };
    case 5: {
      const bytes = encodeFrame(form(rng.pick(corpus).frame));
      const raw = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
      const mutated = rng.mutate(raw);
      return { kind: 'frame', data: format === 'json' ? Buffer.from(mutated).toString('utf8') : mutated };
    }
    case 6: {
      // Prototype-key tags, in the frame and in the older Auth shape.
      const tag = rng.chance(0.8) ? rng.pick(PROTO_TAGS) : rng.string(6);
      const frame = rng.chance(0.3) ? { type: 'Auth', event_type: tag } : { type: tag, [rng.pick(['__proto__', 'v', 'data', 'id'])]: rng.chance(0.5) ? [] : { type: rng.pick(PROTO_TAGS) } };
      return { kind: 'frame', data: encodeFrame(frame) };
    }
    case 7:
      // Deep nesting.
      if (format === 'json') return { kind: 'frame', data: rng.chance(0.5) ? deepJsonBulk(1 + rng.int(1000)) : '['.repeat(1 + rng.int(10000)) + ']'.repeat(rng.int(10000)) };
      return { kind: 'frame', data: nestedFixarrays(2 + rng.int(20_000)) };
    case 8:
      return format === 'json' ? { kind: 'frame', data: `{"type":"Message","content":"${'\\u0000'.repeat(rng.int(10))}","_id":${rng.string(4)}` } : { kind: 'frame', data: msgpackBomb(rng) };
    case 9:
      // The token echoed by a hostile server: an Error frame, an unknown frame, a malformed frame.
      return {
        kind: 'frame',
        data: rng.pick([
          encodeFrame({ type: 'Error', data: { type: `InvalidSession ${TOKEN}`, location: TOKEN } }),
          encodeFrame({ type: `Unknown${TOKEN}`, token: TOKEN }),
          encodeFrame({ type: 'Message', _id: 1, content: TOKEN }),
          format === 'json' ? `{"type":"${TOKEN}",` : Uint8Array.from([0x81, 0xa4, ...Buffer.from('type'), 0xd9, TOKEN.length, ...Buffer.from(TOKEN)]),
        ]),
      };
    case 10:
      return { kind: 'close', code: rng.pick([1000, 1006, 1007, 3000, 4000, 4001]), reason: rng.chance(0.5) ? `bad token ${TOKEN}` : rng.string(20) };
    default:
      return { kind: 'frame', data: format === 'json' ? rng.string(40) : rng.bytes(rng.int(64)) };
  }
}

function target(format: Format): FuzzTarget<Input> {
  const live = new Live(format);
  return {
    name: `stoat.frame.${format}`,
    secrets: [TOKEN],
    generate: (rng) => generate(format, rng),
    run: (input) => live.feed(input),
  };
}

export const targets: FuzzTarget[] = [target('json') as FuzzTarget, target('msgpack') as FuzzTarget];
