/**
 * A user's marble test against rxwire/testing's FakeGateway: an app that
 * answers "ping" messages, in virtual time, with a typed MESSAGE_CREATE.
 */
import { filter, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { discord, type DiscordEvent, type Message } from '../../src/gateway/discord';
import { FakeGateway, discordMessageCreate } from '../../src/testing';

/** The app under test: the content of every message that says "ping", upper-cased. */
const pings = (events$: import('rxjs').Observable<DiscordEvent>) =>
  events$.pipe(
    filter((e): e is Extract<DiscordEvent, { type: 'MessageCreate' }> => e.type === 'MessageCreate'),
    map((e) => e.data.content.toUpperCase()),
    filter((c) => c.startsWith('PING')),
  );

test('the app sees typed messages the fake gateway dispatches, at their virtual times', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ expectObservable, flush }) => {
    const fake = new FakeGateway(ts, { interval: 100_000 });
    const gw = discord({ token: 'token', intents: 1 << 9, url: 'wss://gateway.test', scheduler: ts, random: () => 0.5, transport: fake.transport });
    const first: Message = discordMessageCreate('ping 1');
    ts.schedule(() => fake.messageCreate(first), 10);
    ts.schedule(() => fake.messageCreate(discordMessageCreate('unrelated')), 20);
    ts.schedule(() => fake.dispatch('MESSAGE_CREATE', discordMessageCreate('ping 2', { channel_id: '42' })), 30);
    expectObservable(pings(gw.events$), '^ 100ms !').toBe('10ms a 19ms b', { a: 'PING 1', b: 'PING 2' });
    flush();
    // the client identified once, at once after Hello, with its token
    expect(fake.sent.filter((s) => s.op === 2).map((s) => [s.t, (s.d as { token: string }).token])).toEqual([[0, 'token']]);
  });
});

test('a server close 4000 makes the client resume at once: the fake replays what was missed, then RESUMED', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ expectObservable }) => {
    const fake = new FakeGateway(ts, { interval: 100_000 });
    const gw = discord({ token: 'token', intents: 1 << 9, url: 'wss://gateway.test', scheduler: ts, random: () => 0.5, transport: fake.transport });
    ts.schedule(() => {
      fake.replay = [['MESSAGE_CREATE', discordMessageCreate('ping while away')]];
      fake.current.serverClose(4000);
    }, 10);
    const contents = gw.events$.pipe(
      filter((e) => e.type === 'MessageCreate' || e.type === 'Resumed'),
      map((e) => (e.type === 'MessageCreate' ? e.data.content : e.type)),
    );
    expectObservable(contents, '^ 1000ms !').toBe('10ms (ab)', { a: 'ping while away', b: 'Resumed' });
  });
});
