import * as zlib from 'node:zlib';
import { firstValueFrom, from, toArray } from 'rxjs';
import { endsWithFlush, inflateStage, zstdAvailable, type WsConnection, type WsInbound } from '../../src/gateway/transport';

const conn = (id: number): WsConnection => ({ id, url: 'ws://x', send: () => true, close: () => undefined, terminate: () => undefined });

/** A zlib-stream sender: one deflate context, every message ends with a sync flush. */
function sender() {
  const d = zlib.createDeflate();
  return (text: string) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const onData = (c: Buffer) => chunks.push(c);
      d.on('data', onData);
      d.write(text);
      d.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        d.off('data', onData);
        resolve(Buffer.concat(chunks));
      });
    });
}

describe.each([true, false])('inflateStage (zlib-stream sync=%s)', (sync) => {
  it('inflates a zlib-stream in order, buffering split messages until 00 00 ff ff, keeping Text and Close in place', async () => {
    const send = sender();
    const c = conn(1);
    const big = JSON.stringify({ op: 0, d: { content: 'x'.repeat(200_000) } }); // > 64 KiB out
    const m1 = await send('{"op":10}');
    const m2 = await send(big);
    const m3 = await send('{"op":11}');
    expect(endsWithFlush(m2)).toBe(true);
    const items: WsInbound[] = [
      { kind: 'Open', connection: c },
      { kind: 'Binary', connection: c, data: m1 },
      { kind: 'Binary', connection: c, data: m2.subarray(0, 100) },
      { kind: 'Binary', connection: c, data: m2.subarray(100) },
      { kind: 'Text', connection: c, data: 'plain' },
      { kind: 'Binary', connection: c, data: m3 },
      { kind: 'Close', connection: c, code: 1006, reason: '', initiatedByClient: false },
    ];
    const out = await firstValueFrom(from(items).pipe(inflateStage('zlib-stream', { sync }), toArray()));
    expect(out.map((i) => i.kind)).toEqual(['Open', 'Text', 'Text', 'Text', 'Text', 'Close']);
    expect(out.slice(1, 5).map((i) => (i.kind === 'Text' ? i.data : ''))).toEqual(['{"op":10}', big, 'plain', '{"op":11}']);
  });

  it('uses a new context per connection (a reconnect never reuses the old one)', async () => {
    const a = await sender()('{"n":1}');
    const b = await sender()('{"n":2}'); // a fresh deflate context, as a new server connection sends
    const items: WsInbound[] = [
      { kind: 'Open', connection: conn(1) },
      { kind: 'Binary', connection: conn(1), data: a },
      { kind: 'Close', connection: conn(1), code: 1006, reason: '', initiatedByClient: false },
      { kind: 'Open', connection: conn(2) },
      { kind: 'Binary', connection: conn(2), data: b },
    ];
    const out = await firstValueFrom(from(items).pipe(inflateStage('zlib-stream', { sync }), toArray()));
    expect(out.filter((i) => i.kind === 'Text').map((i) => (i.kind === 'Text' ? i.data : ''))).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('reports a corrupt message and passes an empty Text on', async () => {
    const errors: Error[] = [];

    const items: WsInbound[] = [
      { kind: 'Open', connection: conn(1) },
      { kind: 'Binary', connection: conn(1), data: Buffer.from([1, 2, 3, 0, 0, 0xff, 0xff]) },
      { kind: 'Close', connection: conn(1), code: 1006, reason: '', initiatedByClient: false },
    ];

    const out = await firstValueFrom(from(items).pipe(inflateStage('zlib-stream', { sync, onError: (e) => errors.push(e) }), toArray()));
    expect(out.map((i) => i.kind)).toEqual(['Open', 'Text', 'Close']);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('passes everything through with none, and refuses zstd-stream where node:zlib lacks it', async () => {
    const items: WsInbound[] = [{ kind: 'Open', connection: conn(1) }, { kind: 'Text', connection: conn(1), data: 'a' }];
    expect(await firstValueFrom(from(items).pipe(inflateStage('none'), toArray()))).toEqual(items);
    if (!zstdAvailable()) expect(() => inflateStage('zstd-stream')).toThrow(/zstd/);
    else expect(typeof inflateStage('zstd-stream')).toBe('function');
  });
});
