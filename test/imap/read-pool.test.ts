import { BLOCK_SIZE, MIN_READ, ReadPool } from '../../src/imap/read-pool';

/** Simulates a socket read of `n` bytes of `fill` into the region the pool gave (a busy connection's unless `busy` is false). */
function read(pool: ReadPool, n: number, fill: number, busy = true): Buffer {
  const region = pool.next(busy);
  region.fill(fill, 0, n);
  return region.subarray(0, n);
}

describe('ReadPool', () => {
  it('reads an idle connection into one scratch buffer every pool shares, and copies each read out of it', () => {
    const a = new ReadPool();
    const b = new ReadPool();
    const first = read(a, 100, 1, false);
    expect(a.isRead(first)).toBe(true);
    expect(a.inScratch).toBe(true);
    const copy = a.copy(first, 100);
    const other = read(b, 100, 2, false);
    expect(other.buffer).toBe(first.buffer); // no read memory of its own while idle
    expect(copy.every((x) => x === 1)).toBe(true);
    // data flowing: a block of its own, not the scratch
    const busy = read(a, BLOCK_SIZE, 3);
    expect(a.inScratch).toBe(false);
    expect(busy.buffer).not.toBe(first.buffer);
  });

  it('copies a small read out, so its region is read into again without touching the copy', () => {
    const pool = new ReadPool();
    const first = read(pool, 100, 1);
    expect(pool.isRead(first)).toBe(true);
    const copy = pool.copy(first, 100);
    const second = read(pool, 100, 2);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset); // the same region again
    expect(copy.every((b) => b === 1)).toBe(true);
  });

  it('never reads again into what it kept or lent until a lent view is released', () => {
    const pool = new ReadPool();
    const kept = pool.keep(read(pool, MIN_READ, 1), MIN_READ);
    const lent = pool.lend(read(pool, MIN_READ, 2), MIN_READ);
    // fill the rest of the block and beyond: neither view is written over
    for (let i = 0; i < 8; i++) pool.lend(read(pool, MIN_READ, 3), MIN_READ);
    expect(kept.every((b) => b === 1)).toBe(true);
    expect(lent.every((b) => b === 2)).toBe(true);
  });

  it('reads into a block again once every view lent from it is back, and not before', () => {
    const pool = new ReadPool();
    const views: Buffer[] = [];
    // a block full of lent reads, then reads into the next one
    while (views.length * MIN_READ < BLOCK_SIZE) views.push(pool.lend(read(pool, MIN_READ, 7), MIN_READ));
    const firstBlock = views[0].buffer;
    pool.lend(read(pool, MIN_READ, 8), MIN_READ);
    for (const v of views.slice(1)) pool.release(v);
    // one view of the first block is still out: a fresh block is started when this one is full
    const blocks = new Set<ArrayBufferLike>();
    for (let i = 0; i < 4; i++) blocks.add(pool.lend(read(pool, MIN_READ, 9), MIN_READ).buffer);
    expect(blocks.has(firstBlock)).toBe(false);
    expect(views[0].every((b) => b === 7)).toBe(true);
    pool.release(views[0]);
    const later = new Set<ArrayBufferLike>();
    for (let i = 0; i < 8; i++) later.add(pool.lend(read(pool, MIN_READ, 10), MIN_READ).buffer);
    expect(later.has(firstBlock)).toBe(true);
  });

  it('leaves a forgotten view alone for good, and ignores Buffers it never lent', () => {
    const pool = new ReadPool();
    const views: Buffer[] = [];
    while (views.length * MIN_READ < BLOCK_SIZE) views.push(pool.lend(read(pool, MIN_READ, 5), MIN_READ));
    pool.forget(views[0]);
    pool.release(Buffer.alloc(10));
    for (const v of views) pool.release(v);
    for (let i = 0; i < 40; i++) pool.lend(read(pool, MIN_READ, 6), MIN_READ);
    expect(views.every((v) => v.every((b) => b === 5))).toBe(true);
  });
});
