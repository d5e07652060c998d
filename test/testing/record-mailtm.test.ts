/**
 * Record a live Mail.tm session at the HTTP/SSE seam (against the local
 * Mail.tm server) and replay it through the unchanged mailtm() pipeline in
 * virtual time: the same events come out, and no secret reaches the recording.
 */
import { ReplaySubject, filter, firstValueFrom, lastValueFrom, take, takeWhile, timeout, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { MailtmClient, mailtm, type MailtmEvent } from '../../src/mailtm';
import { formatRecording, marblesOf, memorySink, parseRecording, recordMailtmTransport, replayMailtmTransport, startMailtmServer, type MailtmTestServer } from '../../src/testing';

const address = 'replay@rxwire.test';
const password = 'replay-secret-password';

let server: MailtmTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function replayInVirtualTime<E>(events$: (ts: TestScheduler) => Observable<E>, until = 600_000): E[] {
  const out: E[] = [];
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(() => {
    const sub = events$(ts).subscribe((e) => out.push(e));
    ts.schedule(() => sub.unsubscribe(), until);
  });
  return out;
}

/** Up to and including the second NewMessage. */
const upTo = (e$: Observable<MailtmEvent>): Observable<MailtmEvent> => {
  let n = 0;
  return e$.pipe(takeWhile((e) => !(e.type === 'NewMessage' && ++n === 2), true));
};

async function recordSession(push: boolean) {
  server = await startMailtmServer();
  const local = server;
  await lastValueFrom(new MailtmClient({ baseUrl: local.url, rateLimit: false }).createAccount({ address, password }));
  const sink = memorySink();
  const mt = mailtm({ baseUrl: local.url, credentials: { address, password }, transport: recordMailtmTransport(sink), pollInterval: push ? 60_000 : 100, pushPollInterval: 600_000, push });
  const seen = new ReplaySubject<MailtmEvent>();
  const sub = mt.events$.subscribe(seen);
  await firstValueFrom(seen.pipe(filter((e) => e.type === (push ? 'HubConnected' : 'Ready')), take(1), timeout(10_000)));
  local.deliver(address, { subject: 'first', text: 'one' });
  await firstValueFrom(seen.pipe(filter((e) => e.type === 'NewMessage'), take(1), timeout(10_000)));
  local.deliver(address, { subject: 'second', text: 'two' });
  const live = await firstValueFrom(upTo(seen).pipe(toArray(), timeout(10_000)));
  sub.unsubscribe();
  return { live, text: formatRecording(sink.lines), url: local.url };
}

test('Mail.tm polling: a recorded local session replays to the same events in virtual time', async () => {
  const { live, text, url } = await recordSession(false);
  expect(text).not.toContain(password);
  expect(text).toContain('"password\\":\\"***\\"');
  expect(text).toContain('Bearer ***');
  const lines = parseRecording(text);
  expect(lines.filter((l) => l.channel === 'http' && l.dir === 'out').length).toBeGreaterThan(3);

  const replayed = replayInVirtualTime((ts) =>
    upTo(mailtm({ baseUrl: url, credentials: { address, password: 'not-the-password' }, scheduler: ts, transport: replayMailtmTransport(lines, { scheduler: ts }), pollInterval: 100 }).events$),
  );
  expect(replayed.map((e) => e.type)).toEqual(live.map((e) => e.type));
  expect(replayed).toEqual(live);
  expect(replayed.filter((e) => e.type === 'NewMessage').map((e) => (e.type === 'NewMessage' ? e.data.subject : ''))).toEqual(['first', 'second']);
});

test('Mail.tm push (Mercure SSE): the hub messages replay too, and marblesOf renders the replay', async () => {
  const { live, text, url } = await recordSession(true);
  expect(text).not.toContain(password);
  const lines = parseRecording(text);
  expect(lines.some((l) => l.channel === 'sse' && l.dir === 'in' && l.status === undefined)).toBe(true);
  const tokenRequest = lines.find((l) => l.channel === 'http' && l.dir === 'out' && l.url === '/token');
  const tokenAnswer = lines.find((l) => l.channel === 'http' && l.dir === 'in' && l.connection === tokenRequest?.connection);
  expect((JSON.parse(tokenAnswer?.data ?? '{}') as { token?: string }).token).toBe('***');

  const build = () => upTo(mailtm({ baseUrl: url, credentials: { address, password: 'not-the-password' }, transport: replayMailtmTransport(lines), pollInterval: 60_000, pushPollInterval: 600_000, push: true }).events$);
  const replayed = replayInVirtualTime(() => build());
  expect(replayed).toEqual(live);
  // inside marblesOf's TestScheduler.run, the default asyncScheduler is virtual too
  const diagram = marblesOf(() => build().pipe(filter((e) => e.type === 'NewMessage')), { until: 600_000 });
  expect(Object.values(diagram.values).map((e) => (e.type === 'NewMessage' ? e.data.subject : ''))).toEqual(['first', 'second']);
  expect(diagram.marbles).toMatch(/^\d+ms a \d+ms \(b\|\)$/);
  // the hub's messages brought both (polls are 60 s apart, the safety net 600 s; the recording lasted seconds)
  const [first, gap] = (diagram.marbles.match(/\d+(?=ms)/g) ?? []).map(Number);
  expect(first + gap).toBeLessThan(30_000);
});
