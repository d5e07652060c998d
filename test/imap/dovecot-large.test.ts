import { createHash } from 'node:crypto';
import { lastValueFrom, reduce, timer, map } from 'rxjs';
import { Search, type ImapClient } from '../../src/imap';
import { loggedIn, uniqueName } from './helpers';

const SIZE = 20 * 1024 * 1024;

/** A deterministic 20 MB message, produced in 256 KiB pieces (never held whole). */
function* pieces(): Generator<Buffer> {
  const header = Buffer.from('From: big@example.org\r\nSubject: twenty megabytes\r\nContent-Type: application/octet-stream\r\n\r\n');
  yield header;
  let left = SIZE - header.length;
  let n = 0;
  while (left > 0) {
    const len = Math.min(256 * 1024, left);
    const line = Buffer.alloc(len);
    // 78 printable chars + CRLF per line, varying with n so chunks differ
    for (let i = 0; i < len; i++) line[i] = i % 80 === 78 ? 13 : i % 80 === 79 ? 10 : 33 + ((i + n * 7) % 90);
    n++;
    left -= len;
    yield line;
  }
}

async function* stream(): AsyncGenerator<Uint8Array> {
  for (const p of pieces()) yield p;
}

describe('IMAP against Dovecot: a 20 MB message', () => {
  let c: ImapClient;
  beforeAll(async () => {
    c = await loggedIn('bob');
  });
  afterAll(async () => {
    await lastValueFrom(c.logout());
  });

  it('is appended from a stream and fetched back streamed, byte-identical, in bounded chunks', async () => {
    const expected = createHash('sha256');
    for (const p of pieces()) expected.update(p);
    const box = uniqueName('Big');
    await lastValueFrom(c.create(box));
    const appended = await lastValueFrom(c.append(box, { size: SIZE, stream: stream() }));
    expect(appended).not.toBeNull();
    await lastValueFrom(c.select(box));
    const [uid] = await lastValueFrom(c.search(Search.all(), { uid: true }));
    const got = await lastValueFrom(
      c.fetchStream(uid, { peek: true }, { uid: true }).pipe(
        reduce(
          (acc, chunk) => {
            acc.hash.update(chunk.data);
            acc.bytes += chunk.data.length;
            acc.chunks++;
            acc.maxChunk = Math.max(acc.maxChunk, chunk.data.length);
            acc.seqs.add(chunk.seq);
            return acc;
          },
          { hash: createHash('sha256'), bytes: 0, chunks: 0, maxChunk: 0, seqs: new Set<number>() },
        ),
      ),
    );
    expect(got.bytes).toBe(SIZE);
    expect(got.hash.digest('hex')).toBe(expected.digest('hex'));
    // streamed: many socket-sized chunks, none anywhere near the message size
    expect(got.chunks).toBeGreaterThan(20);
    expect(got.maxChunk).toBeLessThanOrEqual(1024 * 1024);
    expect([...got.seqs]).toEqual([1]);
    // the connection is still in step after the stream
    expect((await lastValueFrom(c.status(box, ['MESSAGES']))).MESSAGES).toBe(1);

    // the same through a slow consumer with backpressure: the socket pauses and resumes, nothing is lost
    const pausedBefore: boolean[] = [];
    const PART = 2 * 1024 * 1024; // the first 2 MB (BODY.PEEK[]<0.2097152>): enough to fill the budget many times
    const paced = await lastValueFrom(
      c
        .fetchStreamThrough(
          uid,
          { peek: true, partial: { offset: 0, length: PART } },
          (chunk) => {
            pausedBefore.push(c.readingPaused);
            return timer(0).pipe(map(() => chunk.data));
          },
          { uid: true, highWaterMark: 64 * 1024 },
        )
        .pipe(
          reduce(
            (acc, data) => {
              acc.hash.update(data);
              acc.bytes += data.length;
              return acc;
            },
            { hash: createHash('sha256'), bytes: 0 },
          ),
        ),
    );
    expect(paced.bytes).toBe(PART);
    const again = createHash('sha256');
    again.update(Buffer.concat([...pieces()]).subarray(0, PART));
    expect(paced.hash.digest('hex')).toBe(again.digest('hex'));
    expect(pausedBefore.some((p) => p)).toBe(true); // the consumer was behind at some point: reading paused
    expect(c.readingPaused).toBe(false);
    expect((await lastValueFrom(c.status(box, ['MESSAGES']))).MESSAGES).toBe(1);
    await lastValueFrom(c.delete(box).pipe());
  });
});
