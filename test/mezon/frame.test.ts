/** Framing details: the 0xFF raw API-response header, malformed input, the socket URL. */
import { MezonClient, encodeApiChunk, encodeEnvelopeBinary, mezon, mezonClient, mezonSocketUrl, parseBinary, parseText } from '../../src/gateway/mezon';
import { safeUrl } from '../../src/gateway/transport';

test('a raw API-response frame: 0xFF, big-endian u16 cid, u32 with the code in the high and the fin flag in the low 16 bits', () => {
  const frame = encodeApiChunk(0x1234, 404, true, new Uint8Array([9, 8, 7]));
  expect(Array.from(frame)).toEqual([0xff, 0x12, 0x34, 0x01, 0x94, 0x00, 0xff, 9, 8, 7]);
  expect(parseBinary(frame)).toEqual({ kind: 'ApiChunk', cid: 0x1234, code: 404, fin: true, chunk: new Uint8Array([9, 8, 7]) });
  const more = parseBinary(encodeApiChunk(7, 200, false, new Uint8Array(0)));
  expect(more).toMatchObject({ kind: 'ApiChunk', cid: 7, code: 200, fin: false });
});

test('a truncated raw frame and a bad Envelope are Malformed, never thrown', () => {
  expect(parseBinary(new Uint8Array([0xff, 0, 1]))).toMatchObject({ kind: 'Malformed', error: expect.stringMatching(/7-byte header/) });
  expect(parseBinary(new Uint8Array([0x0a, 0x05, 0x31]))).toMatchObject({ kind: 'Malformed' });
  expect(parseText('[1,2]')).toMatchObject({ kind: 'Malformed', error: expect.stringMatching(/must be an object/) });
  expect(parseText('{')).toMatchObject({ kind: 'Malformed' });
});

test('no protobuf Envelope starts with 0xFF, so the first byte discriminates', () => {
  const env = encodeEnvelopeBinary({ cid: '1', ping: {} });
  expect(env[0]).not.toBe(0xff);
  expect(parseBinary(env)).toMatchObject({ kind: 'Envelope', frame: { cid: 1, field: 'ping' } });
});

test('the socket URL carries lang, status, the token and the format; safeUrl hides the query', () => {
  const url = mezonSocketUrl('https://sock.mezon.test/', 'a b+c', 'protobuf');
  expect(url).toBe('wss://sock.mezon.test/ws?lang=en&status=true&token=a%20b%2Bc&format=protobuf');
  expect(mezonSocketUrl('http://127.0.0.1:9', 't', 'json', false)).toBe('ws://127.0.0.1:9/ws?lang=en&status=false&token=t&format=json');
  expect(safeUrl(url)).not.toContain('a%20b');
});

test('mezonClient is the deprecated alias of mezon: same handle class', () => {
  const opts = { clientId: 'bot', apiKey: 'k' };
  expect(mezonClient(opts)).toBeInstanceOf(MezonClient);
  expect(mezon(opts)).toBeInstanceOf(MezonClient);
});
