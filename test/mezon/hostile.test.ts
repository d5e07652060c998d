/**
 * Hostile input (issue 19, Mezon): raw API-response chunks for cids nobody
 * asked for are dropped with nothing kept; `maxPayload` bounds a frame;
 * deep nesting and length bombs are DecodeErrors; the local server answers
 * 400/413 to unparseable targets and oversized bodies and keeps serving.
 */
import { connect } from 'node:net';
import { filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import {
  encodeApiChunk,
  initialMezonSession,
  mezon,
  mezonSessionStep,
  parseBinary,
  parseText,
  MAX_DEPTH,
  decodeMezonPush,
  type MezonEvent,
  type MezonSessionState,
} from '../../src/gateway/mezon';
import { startMezonServer, type MezonTestServer } from '../../src/testing/mezon';

let server: MezonTestServer;
beforeAll(async () => {
  server = await startMezonServer();
});
afterAll(() => server.close());

async function waitUntil(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('20,000 API-response chunks for cids nobody asked for: each is dropped, nothing is kept', () => {
  let [s] = mezonSessionStep(initialMezonSession, { kind: 'Open', clans: [] });
  [s] = mezonSessionStep(s, { kind: 'Request', request: { id: 1, field: 'list_data_socket', payload: {} } }); // queued, not in flight
  const before: MezonSessionState = s;
  const chunk = new Uint8Array(64);
  let outputs = 0;
  let maxKept = 0;
  for (let i = 0; i < 20_000; i++) {
    const cid = 100 + (i % 60_000);
    const [next, outs] = mezonSessionStep(s, { kind: 'Inbound', item: { kind: 'ApiChunk', cid, code: 200, fin: i % 2 === 0, chunk } });
    outputs += outs.length;
    maxKept = Math.max(maxKept, next.chunks.size);
    s = next;
  }
  expect(outputs).toBe(0);
  expect(maxKept).toBe(0);
  expect(s).toBe(before);
});

test('a raw API response larger than maxApiResponseBytes fails its request and frees its buffer', () => {
  let [s] = mezonSessionStep(initialMezonSession, { kind: 'Open', clans: [], maxApiResponseBytes: 1000 });
  [s] = mezonSessionStep(s, { kind: 'JoinDeadline' });
  [s] = mezonSessionStep(s, { kind: 'Request', request: { id: 7, field: 'list_data_socket', payload: {} } }); // cid 2
  let outs: unknown[] = [];
  for (let i = 0; i < 3 && outs.length === 0; i++) [s, outs] = mezonSessionStep(s, { kind: 'Inbound', item: { kind: 'ApiChunk', cid: 2, code: 200, fin: false, chunk: new Uint8Array(400) } });
  expect(outs).toMatchObject([{ kind: 'Fail', id: 7, error: { name: 'ProtocolViolationError' } }]);
  expect(s.chunks.size).toBe(0);
  expect(s.pending.size).toBe(0);
});

test('over a live socket: 20,000 unmatched chunks, then a request still resolves', async () => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url });
  const sub = m.events$.subscribe();
  await firstValueFrom(m.events$.pipe(filter((e) => e.type === 'Ready'), take(1)));
  const frame = encodeApiChunk(40_000, 200, false, new Uint8Array(100));
  for (let i = 0; i < 20_000; i++) server.pushRaw(frame);
  server.setApiResponse('list_clan', 200, new TextEncoder().encode('{"ok":true}'));
  const reply = await lastValueFrom(m.request('list_data_socket', { api_name: 'list_clan' }));
  sub.unsubscribe();
  expect(reply).toMatchObject({ kind: 'ApiResponse', code: 200 });
});

test('maxPayload: a larger frame closes the socket and the source reconnects', async () => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, maxPayload: 1024, backoff: { initialDelay: 10 } });
  const seen: MezonEvent[] = [];
  const sub = m.events$.subscribe((e) => seen.push(e));
  await waitUntil(() => seen.some((e) => e.type === 'Ready'));
  server.pushRaw(new Uint8Array(4096));
  await waitUntil(() => seen.filter((e) => e.type === 'Ready').length === 2);
  sub.unsubscribe();
  // ws sends 1009 to the server and reports the local closure as 1006.
  expect(seen.find((e) => e.type === 'Disconnected')).toMatchObject({ data: { code: expect.any(Number), willReconnect: true } });
  expect(seen.some((e) => e.type === 'ChannelMessage' || e.type === 'DecodeError')).toBe(false);
});

test('deep nesting and length bombs are Malformed (DecodeError), never thrown, in both framings', () => {
  // channel_message_send (8) → mentions … nesting the same message field inside itself is not possible, so nest unknown groups / Channel.self.
  const deep = (n: number): Uint8Array => {
    let inner = new Uint8Array(0);
    for (let i = 0; i < n; i++) {
      // mezon.realtime.SdTopicEvent.message (7, ChannelMessage) cannot recurse; use Envelope.sd_topic_event(66) → message (7) → bytes... use unknown field 999 groups instead
      const len = inner.length;
      const head = [0xba, 0x3e, ...varint(len)]; // field 999, wire type 2
      const next = new Uint8Array(head.length + len);
      next.set(head, 0);
      next.set(inner, head.length);
      inner = next;
    }
    return inner;
  };
  expect(parseBinary(deep(10_000)).kind).toBe('Envelope'); // unknown length-delimited fields are skipped, not descended
  const bomb = new Uint8Array([0x32, 0xff, 0xff, 0xff, 0xff, 0x0f]); // channel_message announcing 4 GiB
  expect(parseBinary(bomb)).toMatchObject({ kind: 'Malformed' });
  let json = '{}';
  for (let i = 0; i < MAX_DEPTH + 5; i++) json = `{"channel":{"self":{},"presences":[]},"x":${json}}`;
  expect(['Envelope', 'Malformed']).toContain(parseText(json).kind);
  const nested = parseText(`{"channel_message":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  if (nested.kind === 'Envelope') expect(decodeMezonPush(nested.frame).type).toBe('DecodeError');
  else expect(nested.kind).toBe('Malformed');
  const deepObj = parseText(`{"channel":${'{"self":'.repeat(5000)}{}${'}'.repeat(5000)}}`);
  // Unknown keys are not descended: the 5,000 levels cost JSON.parse only, and the reply-only field is not a push.
  expect(deepObj.kind === 'Envelope' && decodeMezonPush(deepObj.frame).type).toBe('Unknown');
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

function rawHttp(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(request));
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    setTimeout(() => s.destroy(), 3000);
  });
}

test('the local server: 400 on an unparseable request target (HTTP and upgrade), 413 on an oversized body, and it keeps serving', async () => {
  expect(await rawHttp(server.port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  expect(await rawHttp(server.port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  const big = await fetch(`${server.url}/v2/apps/authenticate/token`, { method: 'POST', body: new Uint8Array(server.maxBodyBytes + 1) }).then((r) => r.status).catch(() => 'reset');
  expect(big).toBe(413);
  const chunked = await rawHttp(server.port, `POST /v2/apps/authenticate/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${(server.maxBodyBytes + 10).toString(16)}\r\n${'a'.repeat(server.maxBodyBytes + 10)}\r\n0\r\n\r\n`);
  expect(chunked).toMatch(/^HTTP\/1\.1 413/);
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url });
  const types = await firstValueFrom(m.events$.pipe(take(3), toArray()));
  expect(types.map((e) => e.type)).toEqual(['Connecting', 'Connected', 'Ready']);
});
