import { Subject, filter, firstValueFrom, lastValueFrom, map, share, take, takeWhile, tap, timeout, toArray } from 'rxjs';
import { AuthenticationFailedError } from '../../src/core';
import { getMessage, stoatCodecs, stoatGateway, withStoatCache, type StoatEvent, type StoatGatewayOptions } from '../../src/gateway/stoat';
import { startStoatServer, StoatIds, stoatMessageFixture, type StoatTestServer } from '../../src/testing/stoat';
import { corpus, jsonForm, msgpackForm } from './corpus/events';

const TOKEN = 'stoat-test-token';
let server: StoatTestServer;

beforeAll(async () => {
  server = await startStoatServer();
});
afterAll(() => server.close());

const connect = (options: Partial<StoatGatewayOptions> = {}) => stoatGateway({ url: server.url, token: TOKEN, backoff: { initialDelay: 20, maxDelay: 50 }, ...options });

/** Collects events until `until` matches (inclusive), emitting `onReady` once connected. Deadline 10 s. */
function collect(events$: ReturnType<typeof connect>, onReady: () => void, until: (e: StoatEvent) => boolean): Promise<StoatEvent[]> {
  return firstValueFrom(
    events$.pipe(
      tap((e) => e.type === 'Ready' && onReady()),
      takeWhile((e) => !until(e), true),
      toArray(),
      timeout(10_000),
    ),
  );
}

describe.each(['json', 'msgpack'] as const)('stoat gateway against the local Bonfire (%s)', (format) => {
  it('round-trips the conformance corpus through a real socket to typed events, in order (half of them in a Bulk)', async () => {
    const live = corpus.filter((c) => c.wire !== 'Logout');
    const form = format === 'json' ? jsonForm : msgpackForm;
    const frames = live.map((c) => form(c.frame) as Record<string, unknown>);
    const half = Math.floor(frames.length / 2);
    const events = await collect(
      connect({ format }),
      () => {
        for (const f of frames.slice(0, half)) server.emit(f);
        server.emitBulk(frames.slice(half));
        server.emit({ type: 'Pong', data: 1 }); // internal: not an event
        server.emit({ type: 'ChannelStartTyping', id: 'end', user: 'end' });
      },
      (e) => e.type === 'ChannelStartTyping' && e.data.id === 'end',
    );
    const data = events.slice(events.findIndex((e) => e.type === 'Ready') + 1, -1);
    expect(data.map((e) => e.type)).toEqual(live.map((c) => c.name));
    data.forEach((e, i) => expect(e.data).toEqual(jsonForm(live[i].frame)));
  });

  it('turns a malformed frame into a DecodeError and goes on', async () => {
    const events = await collect(
      connect({ format }),
      () => {
        server.sendRaw(format === 'json' ? '{"type":"Message",' : Buffer.from([0xc1, 0x00]));
        server.emit({ type: 'Message', _id: 42, channel: StoatIds.general }); // fails its codec
        server.emit({ type: 'NotAnEventYet', x: 1 });
        server.emit({ type: 'Message', ...stoatMessageFixture('after the bad ones') });
      },
      (e) => e.type === 'MessageCreate',
    );
    const tail = events.slice(events.findIndex((e) => e.type === 'Ready') + 1);
    expect(tail.map((e) => e.type)).toEqual(['DecodeError', 'DecodeError', 'Unknown', 'MessageCreate']);
    const [bad, invalid, unknown] = tail;
    if (bad.type !== 'DecodeError' || invalid.type !== 'DecodeError' || unknown.type !== 'Unknown') throw new Error('narrowing');
    expect(bad.data.raw).toBeDefined();
    expect(invalid.data.errors.join('\n')).toMatch(/MessageCreate.*_id.*expected string/);
    expect(unknown.data.tag).toBe('NotAnEventYet');
  });

  it('reports a refused token as a typed fatal error that does not contain the token', async () => {
    const secret = 'super-secret-token-value';
    const seen: StoatEvent[] = [];
    const error = await lastValueFrom(connect({ format, token: secret }).pipe(tap((e) => seen.push(e)), timeout(10_000))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    expect(String((error as Error).message)).toContain('InvalidSession');
    expect(String((error as Error).message)).not.toContain(secret);
    expect(JSON.stringify(seen)).not.toContain(secret);
    expect(seen.map((e) => e.type)).toEqual(['BeforeConnect', 'AfterConnect', 'Disconnected', 'Closed']); // no retry with the same token
    expect(seen[2]).toMatchObject({ data: { willReconnect: false } });
  });
});

describe('stoat gateway: connection behaviour', () => {
  it('authenticates with the token in the query too, and sends the ready= selection', async () => {
    const events = await collect(connect({ tokenIn: 'query', ready: ['users', 'user_settings[ordering]'] }), () => undefined, (e) => e.type === 'Ready');
    const ready = events.find((e) => e.type === 'Ready');
    if (ready?.type !== 'Ready') throw new Error('no Ready');
    expect(Object.keys(ready.data).filter((k) => k !== 'type').sort()).toEqual(['user_settings', 'users']);
    expect(Object.keys(ready.data.user_settings ?? {})).toEqual(['ordering']);
  });

  it('reconnects after the server drops the socket, authenticates again and resets the cache', async () => {
    const events$ = connect().pipe(withStoatCache(), share());
    let readies = 0;
    const events = await firstValueFrom(
      events$.pipe(
        tap((e) => {
          if (e.type !== 'Ready') return;
          readies++;
          if (readies === 1) {
            server.emit({ type: 'Message', ...stoatMessageFixture('before the drop') });
          }
        }),
        tap((e) => e.type === 'MessageCreate' && server.drop()),
        takeWhile((e) => !(e.type === 'Ready' && e.reconnect), true),
        toArray(),
        timeout(10_000),
      ),
    );
    expect(events.map((e) => e.type)).toEqual([
      'BeforeConnect',
      'AfterConnect',
      'Authenticated',
      'Ready',
      'MessageCreate',
      'Disconnected',
      'Reconnecting',
      'BeforeConnect',
      'AfterConnect',
      'Authenticated',
      'Ready',
    ]);
    const last = events[events.length - 1];
    expect(last.before.messages.size).toBe(1);
    expect(last.after.messages.size).toBe(0);
    expect(last.after.generation).toBe(2);
  });

  it('detects a dead connection when Pongs stop and reconnects', async () => {
    server.setPong(false);
    try {
      const events = await collect(connect({ pingInterval: 50, pongTimeout: 50 }), () => undefined, (e) => e.type === 'Reconnecting');
      const disconnected = events.find((e) => e.type === 'Disconnected');
      if (disconnected?.type !== 'Disconnected') throw new Error('no Disconnected');
      expect(disconnected.data.reason).toMatch(/Pong did not arrive/);
      expect(server.received.some((r) => r.message.type === 'Ping')).toBe(true);
    } finally {
      server.setPong(true);
    }
  });

  it('emits Logout and ends with a typed error when the session is logged out', async () => {
    const seen: string[] = [];
    const error = await lastValueFrom(
      connect().pipe(
        tap((e) => {
          seen.push(e.type);
          if (e.type === 'Ready') server.logout();
        }),
        timeout(10_000),
      ),
    ).catch((e: unknown) => e);
    expect(seen.slice(-4)).toEqual(['Ready', 'Logout', 'Disconnected', 'Closed']);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
  });

  it('shows the token to nobody: onSend sees Authenticate redacted; the query mode sends no Authenticate frame', async () => {
    const sent: string[] = [];
    await collect(connect({ onSend: (m) => sent.push(JSON.stringify(m)) }), () => undefined, (e) => e.type === 'Ready');
    expect(sent).toEqual([JSON.stringify({ type: 'Authenticate', token: '***' })]);
    const queried: string[] = [];
    await collect(connect({ tokenIn: 'query', onSend: (m) => queried.push(m.type) }), () => undefined, (e) => e.type === 'Ready');
    expect(queried).toEqual([]);
  });

  it('sends client commands (BeginTyping) on the live connection after Ready; the typing broadcast comes back', async () => {
    const commands = new Subject<{ type: 'BeginTyping'; channel: string }>();
    const events = await collect(
      connect({ commands }),
      () => commands.next({ type: 'BeginTyping', channel: StoatIds.general }),
      (e) => e.type === 'ChannelStartTyping',
    );
    const typing = events[events.length - 1];
    expect(typing).toMatchObject({ type: 'ChannelStartTyping', data: { id: StoatIds.general, user: StoatIds.me } });
  });

  it('relays session deletion as Bonfire does: DeleteSession to the other session, Logout (fatal) to the deleted one', async () => {
    const a$ = connect().pipe(share());
    const aEvents: string[] = [];
    const aDone = lastValueFrom(a$.pipe(tap((e) => aEvents.push(e.type)), timeout(10_000))).catch((e: unknown) => e);
    await firstValueFrom(a$.pipe(filter((e) => e.type === 'Ready'), timeout(10_000)));
    const [aSession] = server.sessionIds;
    const bEvents = await collect(connect(), () => server.deleteSession(aSession), (e) => e.type === 'SessionDelete');
    expect(bEvents[bEvents.length - 1]).toMatchObject({ type: 'SessionDelete', data: { session_id: aSession } });
    expect(await aDone).toBeInstanceOf(AuthenticationFailedError);
    expect(aEvents.slice(-3)).toEqual(['Logout', 'Disconnected', 'Closed']);
  });

  it('passes UserSlowmodes sent right after Ready through as a typed event', async () => {
    const slow = await startStoatServer({ slowmodes: [{ channel_id: StoatIds.general, duration: 10, retry_after: 4 }] });
    try {
      const events = await firstValueFrom(stoatGateway({ url: slow.url, token: TOKEN }).pipe(takeWhile((e) => e.type !== 'UserSlowmodes', true), toArray(), timeout(10_000)));
      expect(events.map((e) => e.type).slice(-2)).toEqual(['Ready', 'UserSlowmodes']);
    } finally {
      await slow.close();
    }
  });

  it('keeps the cache bounded and consistent over many messages', async () => {
    const n = 300;
    const cached$ = connect().pipe(withStoatCache({ maxMessages: 100 }));
    const last = await firstValueFrom(
      cached$.pipe(
        tap((e) => {
          if (e.type === 'Ready') for (let i = 0; i < n; i++) server.emit({ type: 'Message', ...stoatMessageFixture(`m${i}`) });
        }),
        filter((e) => e.type === 'MessageCreate'),
        take(n),
        toArray(),
        map((all) => all[all.length - 1]),
        timeout(10_000),
      ),
    );
    const size = last.after.messages.size + last.after.olderMessages.size;
    expect(size).toBeLessThanOrEqual(100);
    expect(size).toBeGreaterThanOrEqual(50);
    if (last.type !== 'MessageCreate') throw new Error('narrowing');
    expect(getMessage(last.after, last.data._id)?.content).toBe(`m${n - 1}`);
  });
});
