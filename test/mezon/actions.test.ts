/**
 * Actions and authentication against the local Mezon server: join rules,
 * cid-matched replies, error replies as typed errors, bad credentials as a
 * fatal typed error without the secret, raw API-response reassembly, reconnect
 * after a dropped socket.
 */
import { filter, firstValueFrom, lastValueFrom, take, tap, timeout, toArray } from 'rxjs';
import { AuthenticationFailedError, CommandFailedError } from '../../src/core';
import { authenticate, mezon, type MezonClient, type MezonEvent } from '../../src/gateway/mezon';
import { MezonSampleIds, startMezonServer, type MezonTestServer } from '../../src/testing/mezon';
import { officialDecode } from './officialSchema';

let server: MezonTestServer;
beforeAll(async () => {
  server = await startMezonServer();
});
afterAll(() => server.close());

const CLAN = MezonSampleIds.clan;
const CHANNEL = MezonSampleIds.channel;

function client(format: 'protobuf' | 'json', extra: { apiKey?: string; clans?: string[] } = {}): MezonClient {
  return mezon({ clientId: server.clientId, apiKey: extra.apiKey ?? server.apiKey, baseUrl: server.url, format, clans: extra.clans ?? [CLAN] });
}

const message = { clan_id: CLAN, channel_id: CHANNEL, mode: 2, is_public: true, content: { t: 'hi from rxwire' } };

describe.each(['protobuf', 'json'] as const)('actions over %s', (format) => {
  test('sending before joining the channel fails with the server error; after joining it is acked and echoed', async () => {
    const c = client(format);
    const events = c.events$; // keep one connection for the whole test
    const echoed = firstValueFrom(events.pipe(filter((e: MezonEvent) => e.type === 'ChannelMessage'), take(1), timeout(10_000)));
    const refused = await lastValueFrom(c.sendMessage(message)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(CommandFailedError);
    expect((refused as Error).message).toMatch(/Must join channel before sending messages/);

    const channel = await lastValueFrom(c.joinChannel({ clan_id: CLAN, channel_id: CHANNEL, channel_type: 1, is_public: true }));
    expect(channel.id).toBe(CHANNEL);
    const ack = await lastValueFrom(c.sendMessage(message));
    expect(ack.channel_id).toBe(CHANNEL);
    expect(ack.message_id).not.toBe('0');
    const echo = await echoed;
    if (echo.type !== 'ChannelMessage') throw new Error('narrowing');
    expect(echo.data.content.t).toBe('hi from rxwire');
    expect(echo.data.message_id).toBe(ack.message_id);
  });

  test('react is answered with the reaction; joining a clan the bot is not in fails typed', async () => {
    const c = client(format);
    const r = await lastValueFrom(
      c.react({ clan_id: CLAN, channel_id: CHANNEL, mode: 2, is_public: true, message_id: '1840700000000000001', emoji_id: '42', emoji: 'thumbsup' }),
    );
    expect(r).toMatchObject({ emoji: 'thumbsup', clan_id: CLAN, count: 1, action: false });
    await expect(lastValueFrom(c.joinClan('999'))).rejects.toThrow(CommandFailedError);
  });
});

test('every clan (and clan "0") is joined before the first request is sent', async () => {
  const c = client('protobuf', { clans: [CLAN] });
  const before = server.received.length;
  await lastValueFrom(c.joinChannel({ clan_id: CLAN, channel_id: CHANNEL, channel_type: 1, is_public: true }));
  const frames = server.received.slice(before).filter((r) => r.field !== 'ping');
  expect(frames.map((r) => r.field)).toEqual(['clan_join', 'clan_join', 'channel_join']);
  expect(frames.map((r) => r.envelope.cid)).toEqual([1, 2, 3]);
});

test('bad credentials: a fatal AuthenticationFailedError that does not contain the key', async () => {
  const secret = 'sk-very-secret-value-123';
  const c = client('protobuf', { apiKey: secret });
  const err = await firstValueFrom(c.events$.pipe(toArray(), timeout(10_000))).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthenticationFailedError);
  expect((err as Error).message).not.toContain(secret);
  expect((err as Error).message).toMatch(/authentication failed/);
  expect(JSON.stringify(err)).not.toContain(secret);
});

test('the token endpoint answers protobuf when asked', async () => {
  const res = await fetch(`${server.url}/v2/apps/authenticate/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${server.clientId}:${server.apiKey}`).toString('base64')}`, Accept: 'application/x-protobuf' },
    body: '{}',
  });
  expect(res.headers.get('content-type')).toBe('application/x-protobuf');
  const s = officialDecode('mezon.api.Session', new Uint8Array(await res.arrayBuffer())) as { token: string };
  expect(s.token.split('.')).toHaveLength(3);
});

test('authenticate returns a session with a token', async () => {
  const s = await lastValueFrom(authenticate({ baseUrl: server.url, clientId: server.clientId, apiKey: server.apiKey }));
  expect(s.token.length).toBeGreaterThan(10);
  expect(s.ws_url).toBe(`127.0.0.1:${server.port}`);
});

test('a raw API response in several chunks resolves the request with its cid', async () => {
  const c = client('protobuf');
  const payload = new Uint8Array(5000).map((_, i) => i % 251);
  server.setApiResponse('ListClanDescs', 200, payload, 2048);
  const got = await lastValueFrom(c.request('list_data_socket', { api_name: 'ListClanDescs' }).pipe(timeout(10_000)));
  if (got.kind !== 'ApiResponse') throw new Error(`expected an API response, got ${got.kind}`);
  expect(got.code).toBe(200);
  expect(Array.from(got.data)).toEqual(Array.from(payload));
  await expect(lastValueFrom(c.request('list_data_socket', { api_name: 'Nope' }))).rejects.toThrow(/API response 404/);
});

test('a dropped socket: Disconnected, Reconnecting, then a new connection that joins again and gets events', async () => {
  const c = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, clans: [CLAN], backoff: { initialDelay: 20, maxDelay: 50 } });
  let readies = 0;
  const seen = await firstValueFrom(
    c.events$.pipe(
      tap((e) => {
        if (e.type !== 'Ready') return;
        readies++;
        if (readies === 1) server.dropAll();
        else server.pushEvent('GiveCoffee', { sender_id: '1', receiver_id: '2', token_count: 1 });
      }),
      filter((e) => e.type !== 'Connecting'),
      take(7),
      toArray(),
      timeout(10_000),
    ),
  );
  expect(seen.map((e) => e.type)).toEqual(['Connected', 'Ready', 'Disconnected', 'Reconnecting', 'Connected', 'Ready', 'GiveCoffee']);
  const reconnecting = seen[3];
  if (reconnecting.type !== 'Reconnecting') throw new Error('narrowing');
  expect(reconnecting.data).toEqual({ attempt: 1, delay: 20 });
});

test('a reconnect re-authenticates: revoked session tokens are replaced by fresh ones', async () => {
  const c = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, backoff: { initialDelay: 20, maxDelay: 50 } });
  let readies = 0;
  const seen = await firstValueFrom(
    c.events$.pipe(
      tap((e) => {
        if (e.type !== 'Ready') return;
        if (++readies === 1) {
          server.revokeTokens();
          server.dropAll();
        }
      }),
      filter((e) => e.type === 'Ready' || e.type === 'Reconnecting'),
      take(3),
      toArray(),
      timeout(10_000),
    ),
  );
  expect(seen.map((e) => e.type)).toEqual(['Ready', 'Reconnecting', 'Ready']);
});

test('credentials revoked while connected: the reconnect fails with AuthenticationFailedError and the stream ends', async () => {
  const own = await startMezonServer({ apiKey: 'first-key-abc' });
  try {
    const c = mezon({ clientId: own.clientId, apiKey: 'first-key-abc', baseUrl: own.url, backoff: { initialDelay: 20, maxDelay: 50 } });
    const types: string[] = [];
    const err = await lastValueFrom(
      c.events$.pipe(
        tap((e) => {
          types.push(e.type);
          if (e.type === 'Ready') {
            own.rotateApiKey('second-key-xyz');
            own.dropAll();
          }
        }),
        timeout(10_000),
      ),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AuthenticationFailedError);
    expect((err as Error).message).not.toContain('first-key-abc');
    expect(types).toEqual(['Connecting', 'Connected', 'Ready', 'Disconnected', 'Reconnecting', 'Connecting', 'Closed']);
  } finally {
    await own.close();
  }
});
