/**
 * Hostile input (issue 19): length bombs and deep nesting in both framings
 * become DecodeErrors without allocating or overflowing the stack, and the
 * local Bonfire answers 400/413 to requests it cannot serve and keeps serving.
 */
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
import { encode } from '@msgpack/msgpack';
import { filter, firstValueFrom, lastValueFrom, Observable, take, tap, timeout, toArray } from 'rxjs';
import { initialSession, parseBinary, parseText, stepSession, stoat, MAX_BULK_DEPTH, type SessionOutput, type StoatEvent } from '../../src/gateway/stoat';
import type { WsConnection, WsInbound } from '../../src/gateway/transport';
import { startStoatServer } from '../../src/testing/stoat';

const session = () =>
  stepSession(initialSession({ authenticate: false, token: 'tok-hostile-1', pingInterval: 1000, pongTimeout: 1000, readyTimeout: 1000, hadReady: false }), { kind: 'Open', url: 'ws://x' })[0];

const emitted = (outputs: SessionOutput[]) => outputs.flatMap((o) => (o.kind === 'emit' ? [o.event] : []));

describe('MessagePack length bombs and nesting', () => {
  const bombs: Array<[string, number[]]> = [
    ['array32 of 4 billion', [0xdd, 0xff, 0xff, 0xff, 0xf0]],
    ['map32 of 4 billion', [0xdf, 0xff, 0xff, 0xff, 0xf0]],
    ['array16 of 65535', [0xdc, 0xff, 0xff, 0xc0]],
    ['str32 of 4 GiB', [0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]],
    ['bin32 of 4 GiB', [0xc6, 0xff, 0xff, 0xff, 0xff, 0x00]],
    ['ext32 of 4 GiB', [0xc9, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['a map whose value announces a huge array', [0x81, 0xa1, 0x76, 0xdd, 0x7f, 0xff, 0xff, 0xff]],
  ];
  it.each(bombs)('refuses a %s frame (100 bytes at most) without allocating it', (_name, head) => {
    const frame = Uint8Array.from([...head, ...new Array<number>(100 - head.length).fill(0xc0)]);
    const parsed = parseBinary(frame);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/announces/);
  });

  it('refuses 30 MB of nested fixarrays in one linear pass', () => {
    const frame = new Uint8Array(30 * 1024 * 1024).fill(0x91);
    frame[frame.length - 1] = 0x90;
    const before = process.memoryUsage().heapUsed;
    const parsed = parseBinary(frame);
    expect(parsed).toEqual({ ok: false, error: 'MessagePack: containers nest deeper than 128 levels' });
    // Nothing of the frame's size was allocated on the heap.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('still decodes real frames, nested within the limit', () => {
    const frame = { type: 'Bulk', v: [{ type: 'Message', _id: 'm', channel: 'c', author: 'a', embeds: [{ type: 'Text', a: [[[1]]] }] }] };
    expect(parseBinary(encode(frame))).toEqual({ ok: true, frame });
    expect(parseBinary(Uint8Array.from([0xc1])).ok).toBe(false);
  });

  it('a deep msgpack Bulk of Bulks is a parse error, not a RangeError', () => {
    // Built by hand: {type:"Bulk", v:[ ... ]} 10 000 times around {type:"Authenticated"} (the encoder itself would recurse).
    const level = encode({ type: 'Bulk', v: [0] }).slice(0, -1);
    const inner = encode({ type: 'Authenticated' });
    const bytes = new Uint8Array(level.length * 10_000 + inner.length);
    for (let i = 0; i < 10_000; i++) bytes.set(level, i * level.length);
    bytes.set(inner, level.length * 10_000);
    expect(parseBinary(bytes)).toEqual({ ok: false, error: 'MessagePack: containers nest deeper than 128 levels' });
    // The same shape 10 levels deep decodes.
    const shallow = new Uint8Array(level.length * 10 + inner.length);
    for (let i = 0; i < 10; i++) shallow.set(level, i * level.length);
    shallow.set(inner, level.length * 10);
    expect(parseBinary(shallow).ok).toBe(true);
  });
});

describe('deep JSON nesting', () => {
  it('a JSON Bulk of Bulks 100 000 deep becomes one DecodeError, the stack holds', () => {
    const depth = 100_000;
    const text = '{"type":"Bulk","v":['.repeat(depth) + '{"type":"ChannelStartTyping","id":"c","user":"u"}' + ']}'.repeat(depth);
    const parsed = parseText(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [, out] = stepSession(session(), { kind: 'Frame', frame: parsed.frame, raw: parsed.frame });
    const events = emitted(out);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'DecodeError', data: { tag: 'Bulk', errors: [`Bulk: nested more than ${MAX_BULK_DEPTH} Bulk frames deep`] } });
  });

  it('a Bulk nested within the limit is unpacked in order', () => {
    let frame: unknown = { type: 'ChannelStartTyping', id: 'c', user: 'u' };
    for (let i = 0; i < MAX_BULK_DEPTH; i++) frame = { type: 'Bulk', v: [frame, { type: 'ChannelStopTyping', id: `d${i}`, user: 'u' }] };
    const [, out] = stepSession(session(), { kind: 'Frame', frame, raw: frame });
    const events = emitted(out);
    expect(events.map((e) => e.type)).toEqual(['ChannelStartTyping', ...new Array<string>(MAX_BULK_DEPTH).fill('ChannelStopTyping')]);
  });
});

describe('through the live decode path', () => {
  /** One connection that opens, authenticates, sends Ready and then `frames`. */
  function scripted(frames: Array<string | Uint8Array>) {
    return (url: string): Observable<WsInbound> =>
      new Observable<WsInbound>((subscriber) => {
        const connection: WsConnection = { id: 1, url, send: () => true, close() {}, terminate() {} };
        subscriber.next({ kind: 'Open', connection });
        subscriber.next({ kind: 'Text', connection, data: '{"type":"Authenticated"}' });
        subscriber.next({ kind: 'Text', connection, data: '{"type":"Ready"}' });
        for (const f of frames) {
          if (typeof f === 'string') subscriber.next({ kind: 'Text', connection, data: f });
          else subscriber.next({ kind: 'Binary', connection, data: Buffer.from(f) });
        }
        subscriber.next({ kind: 'Text', connection, data: '{"type":"ChannelStartTyping","id":"end","user":"u"}' });
      });
  }

  it('bombs, deep nesting and prototype-key tags each become one DecodeError/Unknown, and the stream goes on', async () => {
    const deepJson = '{"type":"Bulk","v":['.repeat(50_000) + ']}'.repeat(50_000);
    const frames: Array<string | Uint8Array> = [
      Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xf0]),
      new Uint8Array(1024 * 1024).fill(0x91),
      deepJson,
      '{"type":"__proto__","x":1}',
      '{"type":"constructor"}',
      '{"type":"hasOwnProperty","id":1}',
      '{"type":"Auth","event_type":"__proto__"}',
      '{"type":"Bulk","v":[{"type":"toString"}]}',
    ];
    const events = await firstValueFrom(
      stoat({ url: 'ws://bonfire.test/', token: 'tok-hostile-2', transport: scripted(frames) }).events$.pipe(
        filter((e) => e.type === 'DecodeError' || e.type === 'Unknown' || e.type === 'ChannelStartTyping'),
        take(frames.length + 1),
        toArray(),
        timeout(5_000),
      ),
    );
    expect(events.map((e) => e.type)).toEqual(['DecodeError', 'DecodeError', 'DecodeError', 'Unknown', 'Unknown', 'Unknown', 'Unknown', 'Unknown', 'ChannelStartTyping']);
    expect(events.map((e) => (e.type === 'Unknown' ? e.data.tag : undefined)).slice(3, 8)).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'Auth.__proto__', 'toString']);
  });
});

describe('the local Bonfire under bad requests', () => {
  it('answers 400 to an unparseable request target (plain and upgrade), 413 to an oversized body, and keeps serving', async () => {
    const server = await startStoatServer({ maxBodyBytes: 1024 });
    const port = Number(new URL(server.url).port);
    try {
      const raw = (text: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = netConnect(port, '127.0.0.1', () => socket.write(text));
          let out = '';
          socket.on('data', (d) => (out += d.toString('latin1')));
          socket.on('end', () => resolve(out));
          socket.on('close', () => resolve(out));
          socket.on('error', reject);
        });
      expect(await raw('GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      expect(
        await raw('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'),
      ).toMatch(/^HTTP\/1\.1 400/);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write(Buffer.alloc(64 * 1024, 0x61)); // far over the limit, no length announced
        req.end();
      });
      expect(status).toBe(413);
      // Still serving: a client connects and gets its Ready.
      const types = await lastValueFrom(
        stoat({ url: server.url, token: 'stoat-test-token' }).events$.pipe(
          tap(() => undefined),
          filter((e: StoatEvent) => e.type === 'Ready'),
          take(1),
          timeout(5_000),
        ),
      );
      expect(types.type).toBe('Ready');
    } finally {
      await server.close();
    }
  });
});
