/**
 * Integration against the local Mezon server over 127.0.0.1: every event type
 * in both framings becomes its typed event, bad frames become DecodeError
 * events and the stream goes on.
 */
import { Observable, filter, firstValueFrom, take, toArray, timeout } from 'rxjs';
import { MEZON_CODECS, mezon, type MezonClient, type MezonEvent, type MezonEventType } from '../../src/gateway/mezon';
import { MezonSampleEvents, startMezonServer, type MezonTestServer } from '../../src/testing/mezon';

const TYPES = Object.keys(MEZON_CODECS) as MezonEventType[];

let server: MezonTestServer;
beforeAll(async () => {
  server = await startMezonServer();
});
afterAll(() => server.close());

function client(format: 'protobuf' | 'json'): MezonClient {
  return mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, format });
}

/** Subscribes, waits for Ready, runs `act`, then collects the first `n` events matching `keep`. */
async function collect(c: MezonClient, n: number, keep: (e: MezonEvent) => boolean, act: () => void): Promise<MezonEvent[]> {
  return new Promise<MezonEvent[]>((resolve, reject) => {
    const out: MezonEvent[] = [];
    const sub = new Observable<MezonEvent>((s) => c.events$.subscribe(s)).pipe(timeout(10_000)).subscribe({
      next: (e) => {
        if (e.type === 'Ready') act();
        else if (keep(e)) {
          out.push(e);
          if (out.length === n) {
            sub.unsubscribe();
            resolve(out);
          }
        }
      },
      error: reject,
    });
  });
}

/** The sample as the client should see it: equal on every field the sample sets. */
function expectMatchesSample(type: MezonEventType, data: unknown): void {
  expect(data).toMatchObject(MezonSampleEvents[type]);
}

describe.each(['protobuf', 'json'] as const)('every event type over %s', (format) => {
  test('round-trips to typed events, in order', async () => {
    const c = client(format);
    const events = await collect(c, TYPES.length, (e) => e.type !== 'Connecting' && e.type !== 'Connected', () => {
      for (const type of TYPES) server.pushEvent(type, MezonSampleEvents[type]);
    });
    expect(events.map((e) => e.type)).toEqual(TYPES);
    for (const e of events) {
      expect(e.source).toBe('mezon');
      expectMatchesSample(e.type as MezonEventType, e.data);
    }
  });
});

test('a channel message: content parsed, nested lists decoded, same in both framings', async () => {
  const pb = client('protobuf');
  const js = client('json');
  const both = Promise.all([
    firstValueFrom(pb.events$.pipe(filter((e) => e.type === 'ChannelMessage'), take(1), timeout(10_000))),
    firstValueFrom(js.events$.pipe(filter((e) => e.type === 'ChannelMessage'), take(1), timeout(10_000))),
  ]);
  await server.waitForConnections(2);
  server.pushEvent('ChannelMessage', MezonSampleEvents.ChannelMessage);
  const [a, b] = await both;
  if (a.type !== 'ChannelMessage' || b.type !== 'ChannelMessage') throw new Error('narrowing');
  expect(a.data.content.t).toBe('hello @bot see https://mezon.ai');
  expect(a.data.mentions[0]).toMatchObject({ user_id: '1831510401300041729', s: 6, e: 10 });
  expect(a.data.reactions[0]).toMatchObject({ emoji: 'thumbsup', count: 2 });
  expect(a.data.attachments[0]).toMatchObject({ filename: 'cat.png', width: 64 });
  expect(a.data.references[0]).toMatchObject({ message_ref_id: '1840699999999999999' });
  expect(b.data).toEqual(a.data);
});

test('malformed protobuf, bad JSON text and bad content JSON become DecodeError events; the stream goes on', async () => {
  const c = client('protobuf');
  const events = await collect(c, 4, (e) => e.type === 'DecodeError' || e.type === 'MessageTypingEvent', () => {
    server.pushRaw(new Uint8Array([0x0a, 0x05, 0x31])); // cid says 5 bytes, 1 present
    server.pushRaw('{"channel_message": ');
    server.pushEvent('ChannelMessage', { ...MezonSampleEvents.ChannelMessage, content: '{"t": oops' });
    server.pushEvent('MessageTypingEvent', MezonSampleEvents.MessageTypingEvent);
  });
  expect(events.map((e) => e.type)).toEqual(['DecodeError', 'DecodeError', 'DecodeError', 'MessageTypingEvent']);
  const [bin, text, content] = events;
  if (bin.type !== 'DecodeError' || text.type !== 'DecodeError' || content.type !== 'DecodeError') throw new Error('narrowing');
  expect(bin.data.raw).toBeInstanceOf(Uint8Array);
  expect(bin.data.errors[0]).toMatch(/protobuf Envelope/);
  expect(text.data.errors[0]).toMatch(/JSON Envelope/);
  expect(content.data.tag).toBe('ChannelMessage');
  expect(content.data.errors[0]).toMatch(/content: not valid JSON/);
});

test.each(['json', 'protobuf'] as const)('%s: an Envelope field with no typed event becomes Unknown carrying the field name and the decoded object', async (format) => {
  const c = client(format);
  const [e] = await collect(c, 1, (x) => x.type === 'Unknown', () => server.push({ rpc: { id: 'echo', payload: '{"a":1}' } }));
  if (e.type !== 'Unknown') throw new Error('narrowing');
  expect(e.data.tag).toBe('rpc');
  expect(e.data.field).toBe('rpc');
  expect(e.data.decoded).toMatchObject({ id: 'echo', payload: '{"a":1}' });
});

test('a field number the schema does not know becomes Unknown `#<n>` with its bytes', async () => {
  const c = client('protobuf');
  const [e] = await collect(c, 1, (x) => x.type === 'Unknown', () => server.pushRaw(new Uint8Array([0xb2, 0x09, 0x02, 0x08, 0x01]))); // field 150, 2 bytes
  if (e.type !== 'Unknown') throw new Error('narrowing');
  expect(e.data.field).toBe('#150');
  expect(Array.from(e.data.decoded as Uint8Array)).toEqual([0x02, 0x08, 0x01]);
});

test('a payload its codec rejects becomes a DecodeError with a readable path', async () => {
  const c = client('json');
  const [e] = await collect(c, 1, (x) => x.type === 'DecodeError', () => server.pushRaw(JSON.stringify({ give_coffee_event: { sender_id: { nested: true }, token_count: 'many' } })));
  if (e.type !== 'DecodeError') throw new Error('narrowing');
  expect(e.data.tag).toBe('GiveCoffee');
  expect(e.data.errors.join('\n')).toMatch(/GiveCoffee\.sender_id/);
  expect(e.data.errors.join('\n')).toMatch(/GiveCoffee\.token_count/);
});

test('lifecycle comes first and never shows the token', async () => {
  const c = client('protobuf');
  const events = await firstValueFrom(c.events$.pipe(take(3), toArray(), timeout(10_000)));
  expect(events.map((e) => e.type)).toEqual(['Connecting', 'Connected', 'Ready']);
  const text = JSON.stringify(events);
  expect(text).not.toMatch(/token=/);
  expect(text).not.toContain(server.apiKey);
  const ready = events[2];
  if (ready.type !== 'Ready') throw new Error('narrowing');
  expect(ready.data.clans).toContain('0');
});
