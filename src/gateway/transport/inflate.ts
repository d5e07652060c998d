/**
 * The pluggable inflate stage: an operator on a connection's inbound items
 * that turns compressed Binary messages into Text ones, in order.
 *
 * - `zlib-stream` (Discord transport compression): one inflate context per
 *   connection, created on its Open item and dropped with its Close item, so
 *   a context is never reused across reconnects (the "zlib error -3" bug).
 *   Binary messages are buffered until the data ends in `00 00 ff ff`
 *   (Z_SYNC_FLUSH), then inflated; the output is one gateway message.
 * - `zstd-stream`: one decompression context per connection, each message is
 *   one gateway message. Only offered when node:zlib has zstd (Node ≥ 22.15);
 *   Node 20 has not, and `inflateStage('zstd-stream')` then throws at once.
 * - `none`: items pass through untouched.
 *
 * zlib-stream inflates synchronously when it can (syncInflate.ts: one
 * persistent native context, no thread-pool hop); otherwise, and for zstd,
 * through node:zlib's asynchronous streams, where a later item (a Text message, the
 * Close) waits until every compressed message before it has been inflated:
 * the stage never reorders. A message that does not decompress is reported
 * through `onError` and passed on as an empty Text item (which no decoder
 * accepts); the context is then broken, so the session should close the
 * connection and open a new one (which gets a new context).
 */
import { Observable, type OperatorFunction } from 'rxjs';
import * as zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { createSyncInflater, type SyncInflater } from './syncInflate';
import { ProtocolViolationError } from '../../core/errors';
import type { WsInbound } from './types';

/** Default bound on one inflated message: 64 MiB (Discord's largest payloads are a few MiB). */
export const DEFAULT_MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/** Default bound on compressed bytes buffered while waiting for the flush suffix: 16 MiB. */
export const DEFAULT_MAX_PENDING_BYTES = 16 * 1024 * 1024;

/** Transport compression: none, Discord's zlib-stream, or zstd-stream (Node ≥ 22.15). */
export type CompressionMode = 'none' | 'zlib-stream' | 'zstd-stream';

const SUFFIX = [0x00, 0x00, 0xff, 0xff] as const;

/** Whether node:zlib offers zstd streaming decompression (false on Node 20). */
export function zstdAvailable(): boolean {
  return typeof (zlib as { createZstdDecompress?: unknown }).createZstdDecompress === 'function';
}

/** True when `buf` ends in the Z_SYNC_FLUSH marker `00 00 ff ff`. */
export function endsWithFlush(buf: Uint8Array): boolean {
  const n = buf.length;
  return n >= 4 && buf[n - 4] === SUFFIX[0] && buf[n - 3] === SUFFIX[1] && buf[n - 2] === SUFFIX[2] && buf[n - 1] === SUFFIX[3];
}

/** Options of `inflateStage`. */
export interface InflateOptions {
  /** Called when a message cannot be decompressed or breaks a bound (it is dropped). */
  readonly onError?: (error: Error) => void;
  /**
   * Largest inflated message, bytes (a zlib bomb past it is a
   * ProtocolViolationError through `onError`, and the context breaks). Default 64 MiB.
   */
  readonly maxInflatedBytes?: number;
  /**
   * zlib-stream: largest run of binary messages buffered without the flush
   * suffix, bytes (over it → ProtocolViolationError, context breaks). Default 16 MiB.
   */
  readonly maxPendingBytes?: number;
  /**
   * zlib-stream only: inflate synchronously on the calling thread (default,
   * when node:zlib's native handle is reachable; see syncInflate.ts) or
   * through the public asynchronous stream (false).
   */
  readonly sync?: boolean;
}

let syncSupported: boolean | undefined;
function canInflateSync(): boolean {
  if (syncSupported === undefined) {
    const probe = createSyncInflater();
    probe?.close();
    syncSupported = probe !== undefined;
  }
  return syncSupported;
}

/** zlib-stream with one synchronous context per connection: no reordering possible, no queue needed. */
function syncZlibStage(options: InflateOptions): OperatorFunction<WsInbound, WsInbound> {
  return (source) =>
    new Observable<WsInbound>((subscriber) => {
      let ctx: SyncInflater | undefined;
      let broken = false;
      let partial: Buffer[] = [];
      let partialBytes = 0;
      const maxOut = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
      const maxPending = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
      const drop = () => {
        ctx?.close();
        ctx = undefined;
        partial = [];
        partialBytes = 0;
      };
      const breakWith = (e: unknown) => {
        broken = true;
        partial = [];
        partialBytes = 0;
        options.onError?.(e instanceof Error ? e : new Error(String(e)));
      };
      const sub = source.subscribe({
        next(item) {
          if (item.kind === 'Open') {
            drop();
            ctx = createSyncInflater();
            broken = false;
          } else if (item.kind === 'Close') drop();
          if (item.kind !== 'Binary' || ctx === undefined) {
            subscriber.next(item);
            return;
          }
          let data = item.data;
          if (!endsWithFlush(data)) {
            if (broken) return;
            partialBytes += data.length;
            if (partialBytes > maxPending) {
              breakWith(new ProtocolViolationError(`more than ${maxPending} compressed bytes without a flush suffix (maxPendingBytes); the connection is dropped`));
              subscriber.next({ kind: 'Text', connection: item.connection, data: '' });
              return;
            }
            partial.push(data);
            return;
          }
          if (partial.length > 0) {
            partial.push(data);
            data = Buffer.concat(partial);
            partial = [];
            partialBytes = 0;
          }
          let text = '';
          if (!broken) {
            try {
              text = ctx.inflate(data, maxOut);
            } catch (e) {
              breakWith(e);
            }
          }
          subscriber.next({ kind: 'Text', connection: item.connection, data: text });
        },
        error(err) {
          drop();
          subscriber.error(err);
        },
        complete() {
          drop();
          subscriber.complete();
        },
      });
      return () => {
        sub.unsubscribe();
        drop();
      };
    });
}

type Slot = { item: WsInbound | undefined };

/** One connection's decompression context and the messages it still owes. */
interface Context {
  readonly stream: Transform;
  out: Buffer[];
  /** Bytes in `out`. */
  outBytes: number;
  partial: Buffer[];
  partialBytes: number;
  readonly waiting: Array<{ slot: Slot; item: WsInbound }>;
  broken: boolean;
  /** Its connection closed: destroy it once `waiting` is empty. */
  retired: boolean;
}

function createStream(mode: 'zlib-stream' | 'zstd-stream'): Transform {
  if (mode === 'zlib-stream') return zlib.createInflate({ chunkSize: 64 * 1024, flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const create = (zlib as unknown as { createZstdDecompress: (o?: object) => Transform }).createZstdDecompress;
  return create();
}

/** The inflate operator for `mode`. */
export function inflateStage(mode: CompressionMode, options: InflateOptions = {}): OperatorFunction<WsInbound, WsInbound> {
  if (mode === 'none') return (source) => source;
  if (mode === 'zstd-stream' && !zstdAvailable()) {
    throw new Error(`zstd-stream needs node:zlib zstd support (Node >= 22.15); this is Node ${process.versions.node}. Use 'zlib-stream' or no compression`);
  }
  if (mode === 'zlib-stream' && options.sync !== false && canInflateSync()) return syncZlibStage(options);
  const streamMode = mode;
  return (source) =>
    new Observable<WsInbound>((subscriber) => {
      let ctx: Context | undefined;
      const all = new Set<Context>();
      const slots: Slot[] = [];
      let completed = false;
      const maxOut = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
      const maxPending = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;

      const release = () => {
        while (slots.length > 0 && slots[0].item !== undefined) subscriber.next((slots.shift() as Slot).item as WsInbound);
        if (completed && slots.length === 0) finish();
      };
      const finish = () => {
        for (const c of all) destroy(c);
        subscriber.complete();
      };
      const destroy = (c: Context) => {
        all.delete(c);
        c.stream.removeAllListeners('data');
        c.stream.on('error', () => undefined);
        c.stream.destroy();
      };
      /** Ends a context once it has delivered what it owes. */
      const retire = (c: Context) => {
        c.retired = true;
        if (c.waiting.length === 0) destroy(c);
      };
      const fail = (c: Context, err: Error) => {
        if (c.broken) return;
        c.broken = true;
        c.out = [];
        c.outBytes = 0;
        c.partial = [];
        c.partialBytes = 0;
        options.onError?.(err);
        for (const w of c.waiting.splice(0)) w.slot.item = { kind: 'Text', connection: w.item.connection, data: '' };
        release();
      };
      const newContext = (): Context => {
        const c: Context = { stream: createStream(streamMode), out: [], outBytes: 0, partial: [], partialBytes: 0, waiting: [], broken: false, retired: false };
        c.stream.on('data', (chunk: Buffer) => {
          if (c.broken) return;
          c.outBytes += chunk.length;
          if (c.outBytes > maxOut) {
            // A bomb: stop inflating now (destroying the stream frees its buffers).
            fail(c, new ProtocolViolationError(`a compressed message inflates to more than ${maxOut} bytes (maxInflatedBytes); the connection is dropped`));
            c.stream.removeAllListeners('data');
            c.stream.on('error', () => undefined);
            c.stream.destroy();
            return;
          }
          c.out.push(chunk);
        });
        c.stream.on('error', (err: Error) => fail(c, err));
        all.add(c);
        return c;
      };

      const sub = source.subscribe({
        next(item) {
          if (item.kind === 'Open') {
            if (ctx) retire(ctx);
            ctx = newContext();
          }
          if (item.kind !== 'Binary' || ctx === undefined) {
            if (slots.length === 0) subscriber.next(item);
            else slots.push({ item });
            if (item.kind === 'Close' && ctx) {
              retire(ctx);
              ctx = undefined;
            }
            return;
          }
          const c = ctx;
          let data = item.data;
          if (streamMode === 'zlib-stream') {
            if (!endsWithFlush(data)) {
              if (c.broken) return;
              c.partialBytes += data.length;
              if (c.partialBytes <= maxPending) {
                c.partial.push(data);
                return;
              }
              fail(c, new ProtocolViolationError(`more than ${maxPending} compressed bytes without a flush suffix (maxPendingBytes); the connection is dropped`));
            }
            if (c.partial.length > 0) {
              c.partial.push(data);
              data = Buffer.concat(c.partial);
              c.partial = [];
              c.partialBytes = 0;
            }
          }
          const slot: Slot = { item: undefined };
          slots.push(slot);
          if (c.broken) {
            slot.item = { kind: 'Text', connection: item.connection, data: '' };
            release();
            return;
          }
          const waiter = { slot, item };
          c.waiting.push(waiter);
          // Never throws out of the write callback (it runs on node's stack, where a throw kills the process).
          c.stream.write(data, (err) => {
            try {
              if (c.broken) return;
              if (err) return fail(c, err);
              // Output still buffered in the readable side (push is not always emitted synchronously):
              // read() in flowing mode emits it as 'data' right now.
              while (!c.broken && c.stream.readableLength > 0 && c.stream.read() !== null);
              if (c.broken) return;
              c.waiting.shift();
              const text = c.out.length === 1 ? c.out[0].toString('utf8') : Buffer.concat(c.out, c.outBytes).toString('utf8');
              c.out = [];
              c.outBytes = 0;
              slot.item = { kind: 'Text', connection: item.connection, data: text };
              if (c.retired && c.waiting.length === 0) destroy(c);
              release();
            } catch (e) {
              fail(c, e instanceof Error ? e : new Error(String(e)));
            }
          });
        },
        error(err) {
          for (const c of all) destroy(c);
          subscriber.error(err);
        },
        complete() {
          completed = true;
          if (slots.length === 0) finish();
        },
      });
      return () => {
        sub.unsubscribe();
        for (const c of all) destroy(c);
      };
    });
}
