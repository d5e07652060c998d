/**
 * A synchronous zlib-stream inflater with one persistent context: each call
 * inflates one complete message (ending in 00 00 ff ff) at once, on the
 * calling thread, without the thread-pool round trip and stream machinery of
 * `zlib.createInflate()` (the cost that makes zlib-stream clients slow).
 *
 * node:zlib offers no public synchronous API that keeps a context between
 * calls (`inflateSync` closes its context), so this drives the context's
 * native handle the way node's own `processChunkSync` does. That handle is an
 * internal of node:zlib: `createSyncInflater` checks for it and returns
 * undefined when it is missing, and the inflate stage then falls back to the
 * public asynchronous stream.
 */
import * as zlib from 'node:zlib';
import { ProtocolViolationError } from '../../core/errors';

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
}
interface Internals {
  _handle?: NativeHandle | null;
  _writeState?: Uint32Array;
}

const CHUNK = 64 * 1024;

/** One persistent zlib-stream context, inflating on the calling thread. */
export interface SyncInflater {
  /**
   * Inflates one complete message. Throws on corrupt data, and a
   * ProtocolViolationError when the output would exceed `maxBytes` (a zlib
   * bomb); the context is then unusable.
   */
  inflate(message: Uint8Array, maxBytes?: number): string;
  /** Frees the native context. */
  close(): void;
}

/** A synchronous inflater, or undefined when node:zlib's native handle is not reachable. */
export function createSyncInflater(): SyncInflater | undefined {
  const z = zlib.createInflate({ chunkSize: CHUNK });
  const internals = z as unknown as Internals;
  const handle = internals._handle;
  const state = internals._writeState as Uint32Array;
  // Not `instanceof Uint32Array`: node's internals come from another realm than a vm context's (jest).
  if (!handle || typeof handle.writeSync !== 'function' || Object.prototype.toString.call(state) !== '[object Uint32Array]') {
    z.destroy();
    return undefined;
  }
  z.on('error', () => undefined); // errors are reported by throwing from inflate()
  const out = Buffer.allocUnsafe(CHUNK);
  const flush = zlib.constants.Z_SYNC_FLUSH;
  return {
    inflate(message, maxBytes = Infinity) {
      if (z.destroyed || !internals._handle) throw new Error('inflate context is closed');
      let inOff = 0;
      let availIn = message.length;
      let parts: Buffer[] | undefined;
      let total = 0;
      for (;;) {
        handle.writeSync(flush, message, inOff, availIn, out, 0, CHUNK);
        if (z.destroyed) throw new Error('corrupt zlib-stream data');
        const availOutAfter = state[0];
        const availInAfter = state[1];
        const have = CHUNK - availOutAfter;
        inOff += availIn - availInAfter;
        availIn = availInAfter;
        if (availOutAfter !== 0 && parts === undefined) {
          if (have > maxBytes) {
            z.destroy();
            throw new ProtocolViolationError(`a compressed message inflates to more than ${maxBytes} bytes (maxInflatedBytes); the connection is dropped`);
          }
          return out.toString('utf8', 0, have);
        }
        if (have > 0) {
          total += have;
          if (total > maxBytes) {
            z.destroy();
            throw new ProtocolViolationError(`a compressed message inflates to more than ${maxBytes} bytes (maxInflatedBytes); the connection is dropped`);
          }
          (parts ??= []).push(Buffer.from(out.subarray(0, have)));
        }
        if (availOutAfter !== 0) break;
      }
      return Buffer.concat(parts ?? [], total).toString('utf8');
    },
    close() {
      z.destroy();
    },
  };
}
