import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import WebSocket from 'ws';
import { startStoatServer, stoatMessageFixture, type StoatTestServer } from '../../src/testing/stoat';

let server: StoatTestServer;
beforeAll(async () => {
  server = await startStoatServer();
});
afterAll(() => server.close());

interface RawClient {
  readonly socket: WebSocket;
  /** The next frame (decoded), or the close as `{close: code}`. Deadline 10 s. */
  next(): Promise<Record<string, unknown>>;
}

function rawClient(query: string, format: 'json' | 'msgpack' = 'json'): Promise<RawClient> {
  const socket = new WebSocket(`${server.url}?version=1&format=${format}${query}`);
  const queue: Record<string, unknown>[] = [];
  const waiting: Array<(v: Record<string, unknown>) => void> = [];
  const push = (v: Record<string, unknown>) => {
    const w = waiting.shift();
    if (w) w(v);
    else queue.push(v);
  };
  socket.on('message', (data: Buffer, isBinary) => push((isBinary ? msgpackDecode(data) : JSON.parse(data.toString())) as Record<string, unknown>));
  socket.on('close', (code) => push({ close: code }));
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const v = queue.shift();
      if (v) return resolve(v);
      const t = setTimeout(() => reject(new Error('no frame within 10 s')), 10_000);
      waiting.push((x) => {
        clearTimeout(t);
        resolve(x);
      });
    });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, next }));
    socket.once('error', reject);
  });
}

describe('local Bonfire server fidelity', () => {
  it('Authenticate → Authenticated → Ready with the default field set; Ping → Pong with the same data', async () => {
    const c = await rawClient('');
    c.socket.send(JSON.stringify({ type: 'Authenticate', token: 'stoat-test-token' }));
    expect(await c.next()).toEqual({ type: 'Authenticated' });
    const ready = await c.next();
    expect(ready.type).toBe('Ready');
    expect(Object.keys(ready).sort()).toEqual(['channels', 'emojis', 'members', 'policy_changes', 'servers', 'type', 'users', 'voice_states']);
    c.socket.send(JSON.stringify({ type: 'Ping', data: 12345 }));
    expect(await c.next()).toEqual({ type: 'Pong', data: 12345 });
    c.socket.close();
  });

  it('speaks MessagePack in binary frames with format=msgpack', async () => {
    const c = await rawClient('', 'msgpack');
    c.socket.send(msgpackEncode({ type: 'Authenticate', token: 'stoat-test-token' }));
    expect(await c.next()).toEqual({ type: 'Authenticated' });
    expect((await c.next()).type).toBe('Ready');
    c.socket.send(msgpackEncode({ type: 'Ping', data: 7 }));
    expect(await c.next()).toEqual({ type: 'Pong', data: 7 });
    c.socket.close();
  });

  it('answers a refused token with Error InvalidSession, then closes', async () => {
    const c = await rawClient('&token=nope');
    const error = await c.next();
    expect(error).toMatchObject({ type: 'Error', data: { type: 'InvalidSession' } });
    expect(await c.next()).toHaveProperty('close');
  });

  it('closes 1007 on a payload it cannot decode and 3000 on a message before authentication', async () => {
    const a = await rawClient('');
    a.socket.send('not json');
    expect(await a.next()).toEqual({ close: 1007 });
    const b = await rawClient('');
    b.socket.send(JSON.stringify({ type: 'BeginTyping', channel: 'x' }));
    expect(await b.next()).toEqual({ close: 3000 });
  });

  it('broadcasts typing and delivers emitted events and Bulk frames in order', async () => {
    const c = await rawClient('&token=stoat-test-token&ready=users');
    expect((await c.next()).type).toBe('Authenticated');
    expect(Object.keys(await c.next()).sort()).toEqual(['type', 'users']);
    c.socket.send(JSON.stringify({ type: 'BeginTyping', channel: 'chan' }));
    expect(await c.next()).toMatchObject({ type: 'ChannelStartTyping', id: 'chan' });
    server.emitBulk([{ type: 'ChannelStopTyping', id: 'chan', user: 'u' }, { type: 'Bees' }]);
    expect(await c.next()).toEqual({ type: 'Bulk', v: [{ type: 'ChannelStopTyping', id: 'chan', user: 'u' }, { type: 'Bees' }] });
    c.socket.close();
  });

  it("satisfies a real peer: stoat.js's EventClient receives Ready and a Message", async () => {
    const child = spawn(process.execPath, [join(__dirname, 'stoatjs-client.mjs'), server.url, 'stoat-test-token'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const message = stoatMessageFixture('hello stoat.js');
    const seen: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`stoat.js saw ${seen.join(',')} within 10 s; stderr: ${stderr}`)), 10_000);
        child.once('exit', (code) => reject(new Error(`stoat.js client exited with ${code}: ${stderr}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          const item = JSON.parse(line) as { kind: string; type?: string; event?: { content?: string } };
          if (item.kind !== 'event') return;
          seen.push(item.type ?? '?');
          if (item.type === 'Ready') server.emit({ type: 'Message', ...message });
          if (item.type === 'Message' && item.event?.content === 'hello stoat.js') {
            clearTimeout(t);
            resolve();
          }
        });
      });
      expect(seen).toEqual(['Ready', 'Message']);
    } finally {
      child.stdin.end();
      child.kill();
    }
  });
});
