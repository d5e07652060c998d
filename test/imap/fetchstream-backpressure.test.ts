/**
 * fetchStreamPaced against the in-process IMAP server through a counting TCP
 * proxy: while the consumer holds its chunks the client's socket stops
 * reading (the bytes it read stay bounded while the proxy's queue towards it
 * grows by megabytes, which only happens once the kernel buffers are full),
 * and once the chunks are acknowledged the body arrives whole and
 * byte-identical, also when the chunks' memory is reused (`reuseChunks`).
 */
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import { lastValueFrom, map, reduce, take, timer, toArray } from 'rxjs';
import { ImapClient, nodeTransport, type PacedChunk, type TransportFactory } from '../../src/imap';
import { startImapServer, type ImapTestServer } from '../../src/testing/imap';

const SIZE = 24 * 1024 * 1024;
const HWM = 256 * 1024;
/** The most one socket read brings (the connection's read blocks). */
const READ = 256 * 1024;

/** A deterministic message of SIZE bytes that differs from chunk to chunk (a reused block shows). */
function bigMessage(): Buffer {
  const header = Buffer.from('From: big@example.org\r\nSubject: backpressure\r\n\r\n', 'latin1');
  const body = Buffer.alloc(SIZE - header.length);
  for (let i = 0; i < body.length; i++) body[i] = i % 80 === 78 ? 13 : i % 80 === 79 ? 10 : 33 + ((i * 7 + Math.floor(i / 4093)) % 90);
  return Buffer.concat([header, body]);
}

const sha = (b: Buffer | Buffer[]): string => {
  const h = createHash('sha256');
  for (const x of Array.isArray(b) ? b : [b]) h.update(x);
  return h.digest('hex');
};

/** Forwards to `port` and reports how many bytes wait in its queue towards the client (not yet taken by the kernel). */
async function countingProxy(port: number): Promise<{ port: number; pendingToClient(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let toClient: net.Socket | undefined;
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port });
    sockets.add(client).add(upstream);
    toClient = client;
    client.pipe(upstream);
    // no backpressure towards the server: what the client does not read queues here
    upstream.on('data', (d: Buffer) => void client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) s.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    pendingToClient: () => toClient?.writableLength ?? 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function until(what: string, cond: () => boolean, deadlineMs = 20_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('fetchStreamPaced: the socket stops reading while the consumer holds', () => {
  let server: ImapTestServer;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  const message = bigMessage();
  const expected = sha(message);

  beforeAll(async () => {
    server = await startImapServer({ users: { alice: 'alicepw' }, starttls: false });
    server.deliver('alice', 'INBOX', message);
    proxy = await countingProxy(server.port);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  /** A client through the proxy whose transport counts the bytes it read from the socket. */
  async function connected(): Promise<{ c: ImapClient; read(): number }> {
    let read = 0;
    const counting: TransportFactory = (options, handlers) =>
      nodeTransport(options, {
        data: (chunk) => {
          read += chunk.length;
          handlers.data(chunk);
        },
        closed: (e) => handlers.closed(e),
        ...(handlers.readBuffer ? { readBuffer: () => handlers.readBuffer!() } : {}),
      });
    const c = new ImapClient({ host: '127.0.0.1', port: proxy.port, tls: 'none', allowCleartextLogin: true, transport: counting, commandTimeout: 20_000 });
    await lastValueFrom(c.connect());
    await lastValueFrom(c.login('alice', 'alicepw'));
    await lastValueFrom(c.select('INBOX'));
    return { c, read: () => read };
  }

  it.each([false, true])('reads at most highWaterMark plus a read ahead, then everything once acknowledged (reuseChunks: %s)', async (reuseChunks) => {
    const { c, read } = await connected();
    const held: PacedChunk[] = [];
    const got: Buffer[] = [];
    let holding = true;
    let done = false;
    let failed: unknown;
    const sub = c.fetchStreamPaced(1, { peek: true }, { highWaterMark: HWM, reuseChunks }).subscribe({
      next: (chunk) => {
        if (holding) return void held.push(chunk);
        got.push(Buffer.from(chunk.data)); // a copy: with reuseChunks the memory is read into again after ack
        chunk.ack();
      },
      error: (e: unknown) => (failed = e),
      complete: () => (done = true),
    });
    const before = read();
    // the proxy's queue to the client grows by megabytes only once the kernel buffers are full: the client stopped reading
    await until('the client stops reading and the proxy queues 4 MB', () => c.readingPaused && proxy.pendingToClient() >= 4 * 1024 * 1024);
    const heldBytes = held.reduce((n, ch) => n + ch.data.length, 0);
    expect(heldBytes).toBeGreaterThanOrEqual(HWM);
    expect(read() - before).toBeLessThanOrEqual(HWM + 2 * READ);
    expect(done).toBe(false);

    holding = false;
    for (const chunk of held) {
      got.push(Buffer.from(chunk.data));
      chunk.ack();
    }
    await until('the fetch completes', () => done || failed !== undefined, 60_000);
    sub.unsubscribe();
    expect(failed).toBeUndefined();
    expect(got.reduce((n, b) => n + b.length, 0)).toBe(SIZE);
    expect(sha(got)).toBe(expected);
    expect(c.readingPaused).toBe(false);
    await lastValueFrom(c.logout());
  });

  it('with reuseChunks, fetchStreamThrough gives each chunk intact to a slow consumer, and a stream cut short leaves later fetches intact', async () => {
    const { c } = await connected();
    // a consumer slower than the socket, copying what it keeps
    const digest = await lastValueFrom(
      c
        .fetchStreamThrough(1, { peek: true }, (chunk) => timer(0).pipe(map(() => Buffer.from(chunk.data))), { highWaterMark: HWM, reuseChunks: true })
        .pipe(
          reduce((h, b) => h.update(b), createHash('sha256')),
          map((h) => h.digest('hex')),
        ),
    );
    expect(digest).toBe(expected);
    // cut short while chunks are still out: their memory must not be handed out again under the next fetch
    // a budget above three reads: the three are taken before reading pauses
    const first = await lastValueFrom(c.fetchStreamPaced(1, { peek: true }, { highWaterMark: 4 * 1024 * 1024, reuseChunks: true }).pipe(take(3), toArray()));
    expect(first.length).toBe(3);
    const copies = first.map((ch) => Buffer.from(ch.data));
    const again = await lastValueFrom(
      c.fetchStreamThrough(1, { peek: true }, (chunk) => timer(0).pipe(map(() => Buffer.from(chunk.data))), { highWaterMark: HWM, reuseChunks: true }).pipe(toArray()),
    );
    expect(sha(again)).toBe(expected);
    // the unacknowledged chunks of the stream cut short still hold what they held
    expect(first.map((ch) => sha(ch.data))).toEqual(copies.map((b) => sha(b)));
    await lastValueFrom(c.logout());
  });
});
