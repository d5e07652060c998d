/**
 * recordMailtmTransport / replayMailtmTransport at the seam, with a scripted
 * inner transport: what is redacted, and how a replay picks answers (by
 * method and path, taken on delivery, the last one repeated, none → error).
 */
import { NEVER, lastValueFrom, mergeMap, of, throwError, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { TimeoutError, TransportClosedError } from '../../src/core';
import { MailtmHubClosedError, type MailtmHttpRequest, type MailtmHttpResponse, type MailtmTransport } from '../../src/mailtm';
import { formatRecording, memorySink, parseRecording, recordMailtmTransport, replayMailtmTransport, type RecordLine } from '../../src/testing';

const base = 'http://mailtm.test';
const req = (method: MailtmHttpRequest['method'], path: string, extra: Partial<MailtmHttpRequest> = {}): MailtmHttpRequest => ({
  method,
  url: base + path,
  headers: {},
  command: `${method} ${path.split('?')[0]}`,
  timeout: 1000,
  maxBodyBytes: 1 << 20,
  ...extra,
});

test('the recorder redacts passwords, the bearer token and issued tokens everywhere, and records errors and aborts', async () => {
  const answers: Record<string, Observable<MailtmHttpResponse>> = {
    'POST /token': of({ status: 200, text: JSON.stringify({ token: 'issued-jwt-token', id: 'acc1' }), retryAfter: null }),
    'GET /me': of({ status: 401, text: 'bad token issued-jwt-token for pass-word-123', retryAfter: null }),
    'GET /messages': throwError(() => new TimeoutError('the answer to GET /messages', 1000)),
    'GET /slow': NEVER,
  };
  const inner: MailtmTransport = {
    request: (r) => answers[`${r.method} ${new URL(r.url).pathname}`] ?? of({ status: 404, text: '', retryAfter: null }),
    events: () => throwError(() => new MailtmHubClosedError(401, 'hub: HTTP 401')),
  };
  const sink = memorySink();
  const t = recordMailtmTransport(sink, { transport: inner });
  await lastValueFrom(t.request(req('POST', '/token', { body: JSON.stringify({ address: 'a@b.c', password: 'pass-word-123' }) })));
  await lastValueFrom(t.request(req('GET', '/me', { headers: { authorization: 'Bearer issued-jwt-token' } })));
  await expect(lastValueFrom(t.request(req('GET', '/messages?page=1')))).rejects.toBeInstanceOf(TimeoutError);
  t.request(req('GET', '/slow')).subscribe().unsubscribe();
  await expect(lastValueFrom(t.events({ url: `${base}/.well-known/mercure?topic=x`, token: 'issued-jwt-token', label: 'hub' }))).rejects.toBeInstanceOf(MailtmHubClosedError);

  const text = formatRecording(sink.lines);
  expect(text).not.toContain('pass-word-123');
  expect(text).not.toContain('issued-jwt-token');
  const lines = parseRecording(text);
  expect(lines.map((l) => [l.channel, l.dir, l.connection])).toEqual([
    ['http', 'out', 1],
    ['http', 'in', 1],
    ['http', 'out', 2],
    ['http', 'in', 2],
    ['http', 'out', 3],
    ['http', 'close', 3],
    ['http', 'out', 4],
    ['http', 'close', 4],
    ['sse', 'open', 5],
    ['sse', 'close', 5],
  ]);
  expect(JSON.parse(lines[0].data)).toEqual({ address: 'a@b.c', password: '***' });
  expect(JSON.parse(lines[1].data)).toEqual({ token: '***', id: 'acc1' });
  expect(lines[2].headers).toEqual({ authorization: 'Bearer ***' });
  expect(lines[3]).toMatchObject({ status: 401, data: 'bad token *** for ***' });
  expect(lines[4].url).toBe('/messages?page=1');
  expect(lines[5]).toMatchObject({ error: 'TimeoutError' });
  expect(lines[7]).toMatchObject({ initiatedByClient: true });
  expect(lines[9]).toMatchObject({ code: 401 });
});

const line = (l: Omit<RecordLine, 'kind'> & { kind?: RecordLine['kind'] }): RecordLine => ({ kind: 'text', ...l });
const recording: RecordLine[] = [
  line({ t: 0, dir: 'out', channel: 'http', connection: 1, method: 'GET', url: '/messages?page=1', data: '' }),
  line({ t: 5, dir: 'in', channel: 'http', connection: 1, status: 200, data: 'one' }),
  line({ t: 10, dir: 'out', channel: 'http', connection: 2, method: 'GET', url: '/messages?page=1', data: '' }),
  line({ t: 11, dir: 'close', channel: 'http', connection: 2, initiatedByClient: true, data: 'aborted' }),
  line({ t: 20, dir: 'out', channel: 'http', connection: 3, method: 'GET', url: '/messages?page=1', data: '' }),
  line({ t: 40, dir: 'in', channel: 'http', connection: 3, status: 429, retryAfter: '2', data: 'two' }),
  line({ t: 50, dir: 'out', channel: 'http', connection: 4, method: 'GET', url: '/domains?page=1', data: '' }),
  line({ t: 51, dir: 'close', channel: 'http', connection: 4, error: 'TimeoutError', data: 'the answer to GET /domains' }),
  line({ t: 60, dir: 'open', channel: 'sse', connection: 5, data: '/.well-known/mercure?topic=x' }),
  line({ t: 61, dir: 'in', channel: 'sse', connection: 5, status: 200, data: '' }),
  line({ t: 70, dir: 'in', channel: 'sse', connection: 5, data: '{"@type":"Message"}' }),
  line({ t: 90, dir: 'close', channel: 'sse', connection: 5, code: 503, data: 'HTTP 503' }),
];

test('a replay answers by method and path after the recorded latency, skips aborted exchanges, then repeats the last answer', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ expectObservable, cold }) => {
    const replay = replayMailtmTransport(recording, { scheduler: ts });
    const page = () => replay.request(req('GET', '/messages?page=1'));
    expectObservable(page()).toBe('5ms (a|)', { a: { status: 200, text: 'one', retryAfter: null } });
    const two = { status: 429, text: 'two', retryAfter: '2' };
    // at 10 ms: the aborted exchange is skipped, the next answered one comes after its 20 ms
    expectObservable(cold('10ms x|').pipe(mergeMap(() => page()))).toBe('30ms (b|)', { b: two });
    // at 100 ms: the recording has no more, the last answer repeats
    expectObservable(cold('100ms x|').pipe(mergeMap(() => page()))).toBe('120ms (b|)', { b: two });
    expectObservable(replay.request(req('GET', '/domains?page=1'))).toBe('1ms #', undefined, new TimeoutError('the answer to GET /domains', 1000));
    expectObservable(replay.request(req('GET', '/me'))).toBe('#', undefined, new TransportClosedError('GET /me: the recording has no answer to GET /me'));
  });
});

test('a replayed hub plays open, messages and the drop at their recorded offsets; a later subscription never opens', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ expectObservable }) => {
    const replay = replayMailtmTransport(recording, { scheduler: ts });
    const sse = { url: `${base}/.well-known/mercure?topic=x`, token: 't', label: 'hub' };
    expectObservable(replay.events(sse)).toBe('1ms o 8ms m 19ms #', { o: { kind: 'open' }, m: { kind: 'message', data: '{"@type":"Message"}' } }, new MailtmHubClosedError(503, 'hub: HTTP 503'));
    expectObservable(replay.events(sse), '^ 200ms !').toBe('');
  });
});

test('two requests in flight for the same path take the answers in delivery order', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ expectObservable }) => {
    const replay = replayMailtmTransport(recording, { scheduler: ts });
    const page = () => replay.request(req('GET', '/messages?page=1'));
    expectObservable(page()).toBe('5ms (a|)', { a: { status: 200, text: 'one', retryAfter: null } });
    expectObservable(page()).toBe('5ms (b|)', { b: { status: 429, text: 'two', retryAfter: '2' } });
  });
});
