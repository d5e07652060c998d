/**
 * Record a live Stoat and a live Mezon session at the WebSocket seam (against
 * their local servers) and replay each through the unchanged session in
 * virtual time: the same events come out, and no secret reaches the recording.
 */
import { ReplaySubject, filter, firstValueFrom, of, take, takeWhile, timeout, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createRedactor } from '../../src/core';
import { mezonClient, type MezonEvent } from '../../src/gateway/mezon';
import { stoatGateway, type StoatEvent } from '../../src/gateway/stoat';
import { MezonSampleEvents, MezonSampleIds, startMezonServer, type MezonTestServer } from '../../src/testing/mezon';
import { formatRecording, memorySink, parseRecording, recordWebSocket, replayWebSocket } from '../../src/testing/record';
import { startStoatServer, StoatIds, stoatMessageFixture, type StoatTestServer } from '../../src/testing/stoat';

function replayInVirtualTime<E>(events$: () => Observable<E>): E[] {
  const out: E[] = [];
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(() => {
    const sub = events$().subscribe((e) => out.push(e));
    ts.schedule(() => sub.unsubscribe(), 120_000);
  });
  return out;
}

let stoat: StoatTestServer | undefined;
let mezon: MezonTestServer | undefined;
afterEach(async () => {
  await stoat?.close();
  await mezon?.close();
  stoat = mezon = undefined;
});

test('Stoat: a recorded local session replays to the same events in virtual time', async () => {
  const token = 'stoat-secret-token';
  stoat = await startStoatServer({ tokens: { [token]: StoatIds.me } });
  const server = stoat;
  const sink = memorySink();
  const upTo = (e$: Observable<StoatEvent>) => e$.pipe(takeWhile((e) => e.type !== 'MessageCreate', true));
  const seen = new ReplaySubject<StoatEvent>();
  const sub = stoatGateway({ url: server.url, token, transport: recordWebSocket(sink, { redactor: createRedactor([token]) }) }).subscribe(seen);
  await firstValueFrom(seen.pipe(filter((e) => e.type === 'Ready'), take(1), timeout(10_000)));
  server.emit({ type: 'ChannelStartTyping', id: StoatIds.general, user: StoatIds.alice });
  server.emit({ type: 'Message', ...stoatMessageFixture('recorded on stoat') });
  const live = await firstValueFrom(upTo(seen).pipe(toArray(), timeout(10_000)));
  sub.unsubscribe();

  const text = formatRecording(sink.lines);
  expect(text).not.toContain(token);
  const lines = parseRecording(text);
  const replayed = replayInVirtualTime(() => upTo(stoatGateway({ url: server.url, token: 'other', transport: replayWebSocket(lines).transport })));
  // the URL carries the token: lifecycle events show it redacted either way
  expect(replayed.map((e) => e.type)).toEqual(live.map((e) => e.type));
  expect(replayed.filter((e) => e.type !== 'BeforeConnect' && e.type !== 'AfterConnect')).toEqual(live.filter((e) => e.type !== 'BeforeConnect' && e.type !== 'AfterConnect'));
  expect(replayed.at(-1)).toMatchObject({ type: 'MessageCreate', data: { content: 'recorded on stoat' } });
});

test('Mezon: a recorded local session replays to the same events in virtual time', async () => {
  mezon = await startMezonServer();
  const server = mezon;
  const sink = memorySink();
  const upTo = (e$: Observable<MezonEvent>) => e$.pipe(takeWhile((e) => e.type !== 'ChannelMessage', true));
  const client = mezonClient({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, clans: [MezonSampleIds.clan], transport: recordWebSocket(sink, { redactor: createRedactor([server.apiKey]) }) });
  const seen = new ReplaySubject<MezonEvent>();
  const sub = client.events$.subscribe(seen);
  await firstValueFrom(seen.pipe(filter((e) => e.type === 'Ready'), take(1), timeout(10_000)));
  server.pushEvent('MessageTypingEvent', MezonSampleEvents.MessageTypingEvent);
  server.pushEvent('ChannelMessage', MezonSampleEvents.ChannelMessage);
  const live = await firstValueFrom(upTo(seen).pipe(toArray(), timeout(10_000)));
  sub.unsubscribe();

  const text = formatRecording(sink.lines);
  expect(text).not.toContain(server.apiKey);
  const lines = parseRecording(text);
  const replayed = replayInVirtualTime(
    () =>
      upTo(
        mezonClient({
          clientId: server.clientId,
          apiKey: 'replay-key',
          baseUrl: server.url,
          clans: [MezonSampleIds.clan],
          authenticate: () => of({ token: 'replay-session-token', ws_url: new URL(server.url).host }), // a session's ws_url is a host, as the server sends it
          transport: replayWebSocket(lines).transport,
        }).events$,
      ),
  );
  expect(replayed.map((e) => e.type)).toEqual(live.map((e) => e.type));
  expect(replayed.filter((e) => e.type !== 'Connecting')).toEqual(live.filter((e) => e.type !== 'Connecting'));
});
