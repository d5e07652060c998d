/**
 * Where the connection's socket reads land (node's `onread`, see
 * `TransportHandlers.readBuffer`). Node asks for the region of the next read
 * right after each read and holds it while the socket waits, so an idle
 * connection reads into {@link SCRATCH}, one 64 KiB buffer shared by every
 * connection, whose bytes are always copied out before the read callback
 * returns (reads are handled one at a time, so no two sockets' bytes meet
 * there); an idle connection holds no read memory of its own.
 *
 * While data flows (a streamed literal, or reads of 16 KiB and more) reads
 * land in blocks of {@link BLOCK_SIZE} bytes, back to back, so a big FETCH
 * arrives in reads of up to a quarter MiB (node's default is 64 KiB) and no
 * Buffer is allocated per read. What such a read filled is handed on in one
 * of three ways:
 *
 * - copied (`copy`) to a Buffer of its own: the region is read into again.
 *   Small reads (an IDLE update, a tagged OK) go this way, so a small response
 *   the caller keeps never pins a block.
 * - kept (`keep`): a view of the block is handed on for good; the block is
 *   never read into again once it is full (the GC frees it with the views).
 * - lent (`lend`): a view is handed to a streamed literal whose consumer
 *   gives it back (`release`, a paced fetchStream's ack with `reuseChunks`);
 *   once every view of a full block is back, the block is read into again.
 *   A 100 MB body through a slow consumer then needs a handful of blocks
 *   instead of 100 MB of Buffers waiting for the garbage collector (V8
 *   collects them only after ~32 MB are pending).
 *
 * Going idle again drops the current block and the free ones (lent views
 * still find theirs when released).
 */

/** Bytes of one block. */
export const BLOCK_SIZE = 256 * 1024;
/** A block with less room than this left is full: the next read starts another. */
export const MIN_READ = 64 * 1024;
/** Free blocks kept for reuse at most (more are left to the GC). */
const MAX_FREE = 8;
/** Reads at least this big mean data is flowing: the next read lands in a block. */
export const BUSY_READ = 16 * 1024;
/** Where every idle connection's next read lands; always copied out at once (see the file comment). */
const SCRATCH = Buffer.allocUnsafeSlow(MIN_READ);

interface Block {
  readonly buf: Buffer;
  /** Where the next read lands. */
  off: number;
  /** Lent views not yet released. */
  lent: number;
  /** A view was handed on for good: never read into again. */
  kept: boolean;
}

/** The blocks socket reads land in, and what became of each read (see the file comment). */
export class ReadPool {
  /** The block reads land in while busy; undefined while idle (reads land in SCRATCH). */
  private cur: Block | undefined;
  private readonly free: Block[] = [];
  /** Blocks with lent views, by their memory (a released view finds its block). */
  private readonly byMemory = new Map<ArrayBufferLike, Block>();

  /** The region the next read may fill: a block's when `busy` (data flowing), else the shared scratch. */
  next(busy: boolean): Buffer {
    if (!busy) {
      this.cur = undefined;
      this.free.length = 0;
      return SCRATCH;
    }
    let b = this.cur ?? this.free.pop() ?? newBlock();
    if (!b.kept && b.lent === 0) b.off = 0; // nothing of it is out: start over
    if (b.buf.length - b.off < MIN_READ) {
      b = this.free.pop() ?? newBlock();
      b.off = 0;
    }
    this.cur = b;
    return b.buf.subarray(b.off);
  }

  /** True if `chunk` is what the last read put at the start of next()'s region. */
  isRead(chunk: Buffer): boolean {
    const b = this.cur;
    if (!b) return chunk.buffer === SCRATCH.buffer && chunk.byteOffset === SCRATCH.byteOffset;
    return chunk.buffer === b.buf.buffer && chunk.byteOffset === b.buf.byteOffset + b.off;
  }

  /** True if the last read landed in the shared scratch (its bytes must be copied out now). */
  get inScratch(): boolean {
    return this.cur === undefined;
  }

  /** True if `chunk` is memory reads land in (a read not where isRead expects it is copied). */
  owns(chunk: Buffer): boolean {
    return chunk.buffer === SCRATCH.buffer || chunk.buffer === this.cur?.buf.buffer;
  }

  /** The first `n` bytes of the read, copied; the region is read into again. */
  copy(chunk: Buffer, n: number): Buffer {
    return Buffer.from(chunk.subarray(0, n));
  }

  /** The first `n` bytes of a read into a block as a view handed on for good. */
  keep(chunk: Buffer, n: number): Buffer {
    const b = this.cur;
    if (!b) return this.copy(chunk, n);
    b.kept = true;
    b.off += n;
    return chunk.subarray(0, n);
  }

  /** The first `n` bytes of a read into a block as a view to be given back with release() (kept instead if the block has kept views). */
  lend(chunk: Buffer, n: number): Buffer {
    const b = this.cur;
    if (!b) return this.copy(chunk, n);
    if (b.kept) return this.keep(chunk, n);
    b.lent++;
    b.off += n;
    this.byMemory.set(b.buf.buffer, b);
    return chunk.subarray(0, n);
  }

  /** Gives back a view lend() handed out (any other Buffer is ignored); its block is reused once all are back. */
  release(view: Buffer): void {
    const b = this.byMemory.get(view.buffer);
    if (!b || b.lent === 0) return;
    b.lent--;
    if (b.lent > 0 || b === this.cur) return;
    this.byMemory.delete(b.buf.buffer);
    if (!b.kept && this.cur !== undefined && this.free.length < MAX_FREE) this.free.push(b);
  }

  /** A lent view that will not come back: its block is never read into again (left to the GC). */
  forget(view: Buffer): void {
    const b = this.byMemory.get(view.buffer);
    if (!b) return;
    b.kept = true;
    this.byMemory.delete(b.buf.buffer);
  }
}

function newBlock(): Block {
  return { buf: Buffer.allocUnsafeSlow(BLOCK_SIZE), off: 0, lent: 0, kept: false };
}
