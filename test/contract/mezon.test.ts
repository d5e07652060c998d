/**
 * The source contract for Mezon, against the local server (rxwire/testing):
 * connectionState() over the whole lifecycle, two subscribers sharing one
 * connection, a resubscribe reconnecting, actions completing on the server's
 * reply and failing with ActionDroppedError when a disconnect drops them,
 * and secrets (API key, session token) never reaching events, errors, logs,
 * util.inspect or JSON.stringify.
 */
import { inspect } from 'node:util';
import { filter, firstValueFrom, lastValueFrom, map, take, tap, toArray, type Observable } from 'rxjs';
import { ActionDroppedError, AuthenticationFailedError, connectionState, type Logger } from '../../src/core';
import { mezon, type MezonEvent } from '../../src/gateway/mezon';
import { MezonSampleIds, startMezonServer, type MezonTestServer } from '../../src/testing/mezon';

let server: MezonTestServer;
beforeEach(async () => {
  server = await startMezonServer();
});
afterEach(() => server.close());

const fast = { backoff: { initialDelay: 20, maxDelay: 40 } };

function untilType(events$: Observable<MezonEvent>, type: MezonEvent['type']): Promise<MezonEvent> {
  return firstValueFrom(events$.pipe(filter((e) => e.type === type), take(1)));
}

async function waitUntil(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('connectionState(): connecting → connected → ready → disconnected → reconnecting → connecting → … → closed', async () => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, ...fast });
  const states: string[] = [];
  const done = lastValueFrom(m.events$.pipe(connectionState(), tap((s) => states.push(`${s.status}${s.willReconnect === undefined ? '' : s.willReconnect ? '+' : '-'}`)), toArray())).catch((e: unknown) => e);
  await waitUntil(() => states.includes('ready'));
  server.dropAll(); // first loss: reconnects
  await waitUntil(() => states.filter((s) => s === 'ready').length === 2);
  server.rotateApiKey('another-key'); // the next reconnect cannot authenticate: fatal
  server.dropAll();
  const err = await done;
  expect(err).toBeInstanceOf(AuthenticationFailedError);
  expect(states).toEqual(['connecting', 'connected', 'ready', 'disconnected+', 'reconnecting', 'connecting', 'connected', 'ready', 'disconnected+', 'reconnecting', 'connecting', 'closed']);
});

test('lifecycle data in the core shapes; Connecting/Connected urls carry no token', async () => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, ...fast });
  const events = firstValueFrom(m.events$.pipe(filter((e) => ['Connecting', 'Connected', 'Ready'].includes(e.type)), take(3), toArray()));
  const [connecting, connected, ready] = await events;
  expect(connecting).toMatchObject({ type: 'Connecting', data: { url: server.url, attempt: 1 } });
  expect(connected).toMatchObject({ type: 'Connected', data: { url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/ws\?…$/), format: 'protobuf' } });
  expect(ready).toMatchObject({ type: 'Ready', data: { clans: expect.arrayContaining(['0']), failed: [] } });
});

test('two subscribers share one connection; after both leave, a new subscriber reconnects', async () => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, ...fast });
  const a = m.events$.subscribe();
  const b = m.events$.subscribe();
  await server.waitForConnections(1);
  expect(server.socketsAccepted).toBe(1);
  a.unsubscribe();
  b.unsubscribe();
  await waitUntil(() => server.connections === 0);
  const ready = untilType(m.events$, 'Ready');
  await ready;
  expect(server.socketsAccepted).toBe(2);
});

test('actions complete on the server reply; a frame dropped by a disconnect errors with ActionDroppedError', async () => {
  const { events$, joinChannel, sendMessage } = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, clans: [MezonSampleIds.clan], ...fast });
  const sub = events$.subscribe();
  const ch = await lastValueFrom(joinChannel({ clan_id: MezonSampleIds.clan, channel_id: MezonSampleIds.channel, channel_type: 1, is_public: true }));
  expect(ch.id).toBe(MezonSampleIds.channel);
  const ack = await lastValueFrom(sendMessage({ clan_id: MezonSampleIds.clan, channel_id: MezonSampleIds.channel, mode: 2, is_public: true, content: { t: 'hi' } }).pipe(toArray()));
  expect(ack).toHaveLength(1);
  expect(ack[0].message_id).toMatch(/^\d+$/);
  sub.unsubscribe();
});

test('an unanswered request dropped by a disconnect fails with ActionDroppedError', async () => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, ...fast });
  const sub = m.events$.subscribe();
  await untilType(m.events$, 'Ready');
  server.unanswered.add('status_update');
  const before = server.received.length;
  const result = lastValueFrom(m.request('status_update', { status: 'away' })).catch((e: unknown) => e);
  await waitUntil(() => server.received.slice(before).some((r) => r.field === 'status_update'));
  server.dropAll();
  const err = await result;
  sub.unsubscribe();
  expect(err).toBeInstanceOf(ActionDroppedError);
});

test('secrets: a close reason echoing the session token, and the logger, never show it; util.inspect / JSON.stringify hide the API key', async () => {
  await server.close();
  server = await startMezonServer({ issueToken: () => `tok-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}` });
  const lines: string[] = [];
  const rec = (level: string) => (obj: Readonly<Record<string, unknown>>, msg?: string) => lines.push(`${level} ${JSON.stringify(obj)} ${msg ?? ''}`);
  const logger: Logger = { debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, logger, ...fast });
  const seen: MezonEvent[] = [];
  const sub = m.events$.subscribe((e) => seen.push(e));
  await waitUntil(() => seen.some((e) => e.type === 'Ready'));
  const token = server.lastToken;
  expect(token.length).toBeGreaterThan(10);
  server.closeAll(4001, `session ${token} expired`);
  await waitUntil(() => seen.some((e) => e.type === 'Reconnecting'));
  sub.unsubscribe();
  const disconnected = seen.find((e) => e.type === 'Disconnected');
  expect(disconnected).toMatchObject({ data: { code: 4001, willReconnect: true, reason: expect.stringContaining('session *** expired') } });
  const all = JSON.stringify(seen.filter((e) => e.type !== 'ChannelMessage')) + lines.join('\n');
  expect(all).not.toContain(token);
  expect(all).not.toContain(server.apiKey);
  expect(lines.some((l) => l.startsWith('warn'))).toBe(true);
  expect(lines.some((l) => l.startsWith('debug') && l.includes('"dir":"in"'))).toBe(true);
  expect(inspect(m, { depth: 5, showHidden: true })).not.toContain(server.apiKey);
  expect(JSON.stringify(m)).not.toContain(server.apiKey);
  expect(JSON.stringify({ options: m })).not.toContain(server.apiKey);
});

test('secrets: an "Invalid URL" failure carrying the query string with the token does not leak it', async () => {
  const m = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, socketUrl: 'ws://[bad', backoff: { initialDelay: 10_000 } });
  const seen: MezonEvent[] = [];
  const sub = m.events$.subscribe({ next: (e) => seen.push(e), error: () => undefined });
  await waitUntil(() => seen.some((e) => e.type === 'Disconnected'));
  sub.unsubscribe();
  const d = seen.find((e) => e.type === 'Disconnected');
  expect(d?.type === 'Disconnected' && d.data.reason).toMatch(/Invalid URL/);
  expect(JSON.stringify(seen)).not.toContain(server.lastToken);
  expect(JSON.stringify(seen)).toContain('token=***');
});

test('the handle destructures: events$ and actions work unbound', async () => {
  const { events$ } = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, ...fast });
  const t = await firstValueFrom(events$.pipe(map((e) => e.type), take(1)));
  expect(t).toBe('Connecting');
});
