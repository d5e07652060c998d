/**
 * Record a live IMAP session of rxwire's client (against the in-process
 * server, through STARTTLS) at the byte seam, then replay it: through the
 * IMAP Tokenizer + parseResponse in virtual time, and as a transport that
 * serves the same client the same answers. The password never reaches the file.
 */
import { lastValueFrom, map, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createRedactor } from '../../src/core';
import { ImapClient, Tokenizer, parseResponse, type Frame, type ImapClientOptions } from '../../src/imap';
import { startImapServer, type ImapTestServer } from '../../src/testing/imap';
import { formatRecording, lineBytes, marblesOf, memorySink, parseRecording, recordImapTransport, replayImapBytes, replayImapTransport, type RecordLine } from '../../src/testing/record';

let server: ImapTestServer;
beforeAll(async () => {
  server = await startImapServer({ users: { alice: 'alice-secret-pw' } });
  server.deliver('alice', 'INBOX', 'From: Bob <bob@example.org>\r\nSubject: one\r\n\r\nhello\r\n');
  server.deliver('alice', 'INBOX', 'From: Carol <carol@example.org>\r\nSubject: two\r\n\r\nworld\r\n');
});
afterAll(() => server.close());

async function session(options: Partial<ImapClientOptions>): Promise<unknown[]> {
  const c = new ImapClient({ host: server.host, port: server.port, tlsOptions: { ca: server.ca }, ...options });
  await lastValueFrom(c.connect());
  await lastValueFrom(c.login('alice', 'alice-secret-pw'));
  const box = await lastValueFrom(c.select('INBOX'));
  const msgs = await lastValueFrom(c.fetch('1:*', ['UID', 'FLAGS', 'ENVELOPE']).pipe(toArray()));
  await lastValueFrom(c.logout());
  c.close();
  return [box.exists, box.uidNext, msgs.map((m) => [m.uid, m.envelope?.subject, m.flags])];
}

/** Response kinds of a byte stream, via the client's own decode path. */
function kinds(bytes$: Observable<Buffer>): Observable<string> {
  return new (bytes$.constructor as typeof import('rxjs').Observable)<string>((sub) => {
    const tok = new Tokenizer({ frame: (f: Frame) => sub.next(`${f.tag === '*' || f.tag === '+' ? f.tag : 'tagged'} ${parseResponse(f).kind}`) });
    return bytes$.subscribe({ next: (b) => tok.push(b), error: (e) => sub.error(e), complete: () => sub.complete() });
  });
}

let lines: RecordLine[];
let live: unknown[];

test('records a STARTTLS session as readable protocol text without the password', async () => {
  const sink = memorySink();
  live = await session({ transport: recordImapTransport(sink, { redactor: createRedactor(['alice-secret-pw']) }) });
  const text = formatRecording(sink.lines);
  expect(text).not.toContain('alice-secret-pw');
  lines = parseRecording(text);
  expect(lines[0].dir).toBe('open');
  expect(lines.some((l) => l.dir === 'out' && /STARTTLS/.test(l.data))).toBe(true);
  expect(lines.some((l) => l.dir === 'out' && /LOGIN .*\*\*\*/.test(l.data))).toBe(true);
  expect(lines.some((l) => l.dir === 'in' && /Subject: two|"two"/.test(l.data))).toBe(true);
  // the first session to see the messages gets \Recent (RFC 3501 §2.3.2)
  expect(live).toEqual([2, 3, [[1, 'one', ['\\Recent']], [2, 'two', ['\\Recent']]]]);
});

test('replays the server bytes through Tokenizer + parseResponse in virtual time, and renders marbles', () => {
  const liveKinds: string[] = [];
  const tok = new Tokenizer({ frame: (f) => liveKinds.push(`${f.tag === '*' || f.tag === '+' ? f.tag : 'tagged'} ${parseResponse(f).kind}`) });
  for (const l of lines) if (l.dir === 'in') tok.push(lineBytes(l));
  expect(liveKinds).toContain('* fetch');

  const replayed: string[] = [];
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(() => {
    kinds(replayImapBytes(lines)).subscribe((k) => replayed.push(k));
  });
  expect(replayed).toEqual(liveKinds);

  const diagram = marblesOf(() => kinds(replayImapBytes(lines, { timeScale: 20 })), { until: 600_000 });
  expect(Object.values(diagram.values)).toContain('* fetch');
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
    expectObservable(kinds(replayImapBytes(lines, { timeScale: 20 }))).toBe(diagram.marbles, diagram.values);
  });
});

test('a replay transport serves the unchanged client the recorded answers', async () => {
  const replay = replayImapTransport(lines);
  const again = await session({ transport: replay });
  expect(again).toEqual(live);
  expect(Buffer.concat(replay.sent).toString()).toMatch(/FETCH 1:\*/);
});

test('parseRecording refuses a line that is not a record', () => {
  expect(() => parseRecording('{"t":0,"dir":"open","data":"x"}\n{"t":"soon","dir":"in","data":""}\n')).toThrow(/line 2/);
  expect(() => parseRecording('not json')).toThrow(/line 1: not JSON/);
});
