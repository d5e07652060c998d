/**
 * Record a live Discord session at the WebSocket seam (against the local
 * gateway), then replay the recording through the unchanged decode and
 * session pipeline in virtual time: the same events come out, secrets never
 * reach the file, and the replay renders to marbles that check themselves.
 */
import { ReplaySubject, filter, map, firstValueFrom, take, takeWhile, timeout, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createRedactor } from '../../src/core';
import { discordGateway, type DiscordEvent } from '../../src/gateway/discord';
import { discordMessageCreate, startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';
import { formatRecording, marblesOf, memorySink, parseRecording, recordWebSocket, replayWebSocket, type RecordLine } from '../../src/testing/record';

let server: DiscordLocalGateway;
afterEach(async () => {
  await server?.close();
});

const upToMessage = (events$: Observable<DiscordEvent>): Observable<DiscordEvent> => events$.pipe(takeWhile((e) => e.type !== 'MessageCreate', true));

async function recordSession(): Promise<{ lines: RecordLine[]; live: DiscordEvent[] }> {
  server = await startDiscordGateway();
  const sink = memorySink();
  const gw = discordGateway({ token: server.token, intents: 513, url: server.url, transport: recordWebSocket(sink, { redactor: createRedactor([server.token]) }) });
  const seen = new ReplaySubject<DiscordEvent>();
  const sub = gw.events$.subscribe(seen);
  await firstValueFrom(seen.pipe(filter((e) => e.type === 'GuildCreate'), take(1), timeout(10_000)));
  server.dispatch('MESSAGE_CREATE', discordMessageCreate('recorded'));
  const live = await firstValueFrom(upToMessage(seen).pipe(toArray(), timeout(10_000)));
  sub.unsubscribe();
  return { lines: sink.lines, live };
}

test('a recorded local Discord session replays to the same events in virtual time', async () => {
  const { lines, live } = await recordSession();
  const text = formatRecording(lines);
  expect(text).not.toContain(server.token);
  expect(lines[0].dir).toBe('open');
  expect(lines.some((l) => l.dir === 'out' && l.data.includes('"op":2') && l.data.includes('***'))).toBe(true);
  const parsed = parseRecording(text);
  expect(parsed).toEqual(lines);

  const replayed: DiscordEvent[] = [];
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(() => {
    const replay = replayWebSocket(parsed);
    const gw = discordGateway({ token: 'replay-token', intents: 513, url: server.url, transport: replay.transport });
    const sub = upToMessage(gw.events$).subscribe((e) => replayed.push(e));
    ts.schedule(() => sub.unsubscribe(), 60_000);
  });
  expect(replayed.map((e) => e.type)).toEqual(live.map((e) => e.type));
  expect(replayed).toEqual(live);
  expect(replayed.at(-1)).toMatchObject({ type: 'MessageCreate', data: { content: 'recorded' } });
});

test('marblesOf renders a replay as marbles + values that expectObservable accepts', async () => {
  const { lines } = await recordSession();
  const types = (): Observable<string> => {
    const gw = discordGateway({ token: 'replay-token', intents: 513, url: server.url, transport: replayWebSocket(lines, { timeScale: 20 }).transport });
    return upToMessage(gw.events$).pipe(map((e) => e.type));
  };
  const diagram = marblesOf(types, { until: 600_000 });
  expect(diagram.marbles).toMatch(/\|\)?$/);
  expect(Object.values(diagram.values)).toContain('MessageCreate');
  expect(diagram.snippet).toContain(diagram.marbles);
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ expectObservable }) => {
    expectObservable(types()).toBe(diagram.marbles, diagram.values);
  });
});
