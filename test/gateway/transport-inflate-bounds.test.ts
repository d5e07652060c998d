/**
 * zlib bombs and unbounded buffering (issue 19): the inflated size of one
 * message and the compressed bytes buffered without a flush suffix are
 * bounded, in both the sync and the stream path; breaking a bound is a
 * ProtocolViolationError through onError, never a throw, and the stream goes on.
 */
import * as zlib from 'node:zlib';
import { firstValueFrom, from, toArray } from 'rxjs';
import { ProtocolViolationError } from '../../src/core';
import { inflateStage, type WsConnection, type WsInbound } from '../../src/gateway/transport';

const conn: WsConnection = { id: 1, url: 'ws://x', send: () => true, close: () => undefined, terminate: () => undefined };

/** A zlib-stream message of `n` bytes of zeros (compresses ~1000:1). */
function bomb(n: number): Buffer {
  const d = zlib.deflateSync(Buffer.alloc(n), { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return d;
}

describe.each([true, false])('inflate bounds (sync=%s)', (sync) => {
  it('a message that inflates past maxInflatedBytes is a ProtocolViolationError and an empty Text; later items still pass', async () => {
    const errors: Error[] = [];
    const b = bomb(8 * 1024 * 1024);
    expect(b.length).toBeLessThan(64 * 1024);
    const items: WsInbound[] = [
      { kind: 'Open', connection: conn },
      { kind: 'Binary', connection: conn, data: b },
      { kind: 'Text', connection: conn, data: 'after' },
      { kind: 'Close', connection: conn, code: 1000, reason: '', initiatedByClient: false },
    ];
    const out = await firstValueFrom(from(items).pipe(inflateStage('zlib-stream', { sync, maxInflatedBytes: 1024 * 1024, onError: (e) => errors.push(e) }), toArray()));
    expect(out.map((i) => i.kind)).toEqual(['Open', 'Text', 'Text', 'Close']);
    expect(out[1]).toMatchObject({ kind: 'Text', data: '' });
    expect(out[2]).toMatchObject({ kind: 'Text', data: 'after' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ProtocolViolationError);
    expect(errors[0].message).toMatch(/maxInflatedBytes/);
  });

  it('binary data without the flush suffix is buffered up to maxPendingBytes only', async () => {
    const errors: Error[] = [];
    const chunk = Buffer.alloc(64 * 1024, 1); // never ends in 00 00 ff ff
    const items: WsInbound[] = [{ kind: 'Open', connection: conn }, ...Array.from({ length: 20 }, (): WsInbound => ({ kind: 'Binary', connection: conn, data: chunk })), { kind: 'Close', connection: conn, code: 1000, reason: '', initiatedByClient: false }];
    const out = await firstValueFrom(from(items).pipe(inflateStage('zlib-stream', { sync, maxPendingBytes: 256 * 1024, onError: (e) => errors.push(e) }), toArray()));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ProtocolViolationError);
    expect(errors[0].message).toMatch(/maxPendingBytes/);
    expect(out[0].kind).toBe('Open');
    expect(out[out.length - 1].kind).toBe('Close');
  });

  it('the default bound (64 MiB) stops an 80 MiB bomb', async () => {
    const errors: Error[] = [];
    const b = bomb(80 * 1024 * 1024);
    const items: WsInbound[] = [
      { kind: 'Open', connection: conn },
      { kind: 'Binary', connection: conn, data: b },
      { kind: 'Close', connection: conn, code: 1000, reason: '', initiatedByClient: false },
    ];
    const out = await firstValueFrom(from(items).pipe(inflateStage('zlib-stream', { sync, onError: (e) => errors.push(e) }), toArray()));
    expect(out.map((i) => i.kind)).toEqual(['Open', 'Text', 'Close']);
    expect(errors[0]).toBeInstanceOf(ProtocolViolationError);
  }, 20_000);
});
