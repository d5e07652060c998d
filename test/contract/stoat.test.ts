/**
 * The source contract for Stoat, against the local Bonfire of rxwire/testing:
 * connectionState() over a full lifecycle, one socket for two subscribers, a
 * fresh socket after a resubscribe, actions that complete when written and
 * error when dropped, and a token that never leaves (events, errors, logs).
 */
import { filter, firstValueFrom, lastValueFrom, take, tap, timeout, toArray } from 'rxjs';
import { ActionDroppedError, AuthenticationFailedError, connectionState, type ConnectionState, type Logger } from '../../src/core';
import { stoat, type StoatEvent, type StoatOptions } from '../../src/gateway/stoat';
import { startStoatServer, type StoatTestServer } from '../../src/testing/stoat';

const TOKEN = 'stoat-contract-token-4f9a1c';
let server: StoatTestServer;

beforeEach(async () => {
  server = await startStoatServer({ tokens: { [TOKEN]: 'user-me' } });
});
afterEach(() => server.close());

const options = (extra: Partial<StoatOptions> = {}): StoatOptions => ({
  url: server.url,
  token: TOKEN,
  backoff: { initialDelay: 5, maxDelay: 10, jitter: 'none' },
  ...extra,
});

/** Lines a logger received, as JSON. */
function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (obj: Readonly<Record<string, unknown>>, msg?: string) => lines.push(JSON.stringify({ level, obj, msg }));
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('stoat source contract', () => {
  it('connectionState() reads the lifecycle: connecting → connected → ready → disconnected → reconnecting → … → closed', async () => {
    const handle = stoat(options());
    const states: ConnectionState[] = [];
    let readies = 0;
    const done = lastValueFrom(
      handle.events$.pipe(
        tap((e) => {
          if (e.type !== 'Ready') return;
          readies++;
          if (readies === 1) server.drop(); // a dead socket: reconnect
          else {
            server.revokeToken(TOKEN); // the next attempt is refused: fatal
            server.drop();
          }
        }),
        connectionState(),
        tap((s) => states.push(s)),
        timeout(10_000),
      ),
    ).catch((e: unknown) => e);
    expect(await done).toBeInstanceOf(AuthenticationFailedError);
    expect(states.map((s) => s.status)).toEqual([
      'connecting',
      'connected',
      'ready',
      'disconnected',
      'reconnecting',
      'connecting',
      'connected',
      'ready',
      'disconnected',
      'reconnecting',
      'connecting',
      'connected',
      'disconnected',
      'closed',
    ]);
    expect(states[0]).toMatchObject({ cause: 'BeforeConnect', attempt: 1 });
    expect(states[1]).toMatchObject({ cause: 'AfterConnect' });
    expect(states[3]).toMatchObject({ willReconnect: true });
    expect(states[4]).toMatchObject({ attempt: 1 });
    expect(states[12]).toMatchObject({ willReconnect: false });
    expect(states[13]).toMatchObject({ cause: 'Closed' });
  });

  it('Disconnected carries the close code, and the contract fields of every lifecycle event', async () => {
    const handle = stoat(options());
    let closed = false;
    const events = await firstValueFrom(
      handle.events$.pipe(
        tap((e) => {
          if (e.type === 'Ready' && !closed) {
            closed = true;
            server.closeAll(4001, 'going away');
          }
        }),
        filter((e) => e.type === 'Disconnected' || e.type === 'Reconnecting' || e.type === 'BeforeConnect' || e.type === 'AfterConnect'),
        take(5),
        toArray(),
        timeout(10_000),
      ),
    );
    expect(events.map((e) => e.type)).toEqual(['BeforeConnect', 'AfterConnect', 'Disconnected', 'Reconnecting', 'BeforeConnect']);
    expect(events[0].data).toEqual({ url: expect.stringContaining('ws://127.0.0.1'), attempt: 1 });
    expect(events[1].data).toEqual({ url: expect.any(String) });
    expect(events[2].data).toEqual({ reason: expect.stringContaining('going away'), willReconnect: true, code: 4001 });
    expect(events[3].data).toEqual({ attempt: 1, delay: 5 });
    expect(events[4].data).toMatchObject({ attempt: 2 });
  });

  it('two subscribers share one connection; a resubscribe after the last one left opens a new one', async () => {
    const handle = stoat(options());
    const typed = (label: string) => firstValueFrom(handle.events$.pipe(filter((e) => e.type === 'ChannelStartTyping' && e.data.id === label), timeout(10_000)));
    const a = typed('shared');
    const b = typed('shared');
    // The Ready this subscriber sees is the shared connection's: the server sends to it.
    const readyThen = (label: string) =>
      firstValueFrom(
        handle.events$.pipe(
          filter((e) => e.type === 'Ready'),
          tap(() => server.emit({ type: 'ChannelStartTyping', id: label, user: 'u' })),
          timeout(10_000),
        ),
      );
    await readyThen('shared');
    await Promise.all([a, b]);
    expect(server.connections).toBe(1);
    // Every subscriber left: the socket closed. A new subscriber connects again.
    const c = typed('again');
    await readyThen('again');
    await c;
    expect(server.connections).toBe(2);
  });

  it('actions wait for Ready, complete once written, and open the connection while they wait', async () => {
    const handle = stoat(options());
    const typing = firstValueFrom(handle.events$.pipe(filter((e) => e.type === 'ChannelStartTyping'), timeout(10_000)));
    await lastValueFrom(handle.beginTyping('chan-1').pipe(timeout(10_000)), { defaultValue: 'completed' });
    await lastValueFrom(handle.subscribe('server-1').pipe(timeout(10_000)), { defaultValue: 'completed' });
    const echoed = await typing;
    expect(echoed).toMatchObject({ type: 'ChannelStartTyping', data: { id: 'chan-1', user: 'user-me' } });
    expect(server.received.map((r) => r.message)).toEqual(
      expect.arrayContaining([
        { type: 'BeginTyping', channel: 'chan-1' },
        { type: 'Subscribe', server_id: 'server-1' },
      ]),
    );
    expect(server.connections).toBe(1);
  });

  it('an action whose source ends before Ready errors with ActionDroppedError, never completes silently', async () => {
    server.revokeToken(TOKEN);
    const handle = stoat(options());
    const error = await lastValueFrom(handle.endTyping('chan-1').pipe(timeout(10_000))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionDroppedError);
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it('never lets the token out: not in a close reason or Error frame the server echoes, not in errors, not in log lines', async () => {
    const { logger, lines } = recordingLogger();
    const handle = stoat(options({ logger, tokenIn: 'query' }));
    const seen: StoatEvent[] = [];
    let step = 0;
    const error = await lastValueFrom(
      handle.events$.pipe(
        tap((e) => {
          seen.push(e);
          if (e.type !== 'Ready') return;
          step++;
          if (step === 1) server.closeAll(4000, `bad token ${TOKEN}`);
          else {
            // An Error frame echoing the token (retryable), then the token is refused (fatal).
            server.revokeToken(TOKEN);
            server.emit({ type: 'Error', data: { type: `InvalidSession ${TOKEN}` } });
          }
        }),
        timeout(10_000),
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    const reasons = seen.flatMap((e) => (e.type === 'Disconnected' ? [e.data.reason] : []));
    expect(reasons[0]).toContain('bad token ***');
    expect(reasons[1]).toContain('InvalidSession ***');
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(String((error as Error).stack)).not.toContain(TOKEN);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => l.includes('"level":"debug"') && l.includes('frame in'))).toBe(true);
    expect(lines.some((l) => l.includes('"level":"warn"') && l.includes('reconnecting'))).toBe(true);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });
});
