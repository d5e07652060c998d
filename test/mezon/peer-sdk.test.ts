/**
 * The local server against a real peer: mezon-sdk's own DefaultSocket with its
 * protobuf adapter connects (token from our token endpoint), keeps its
 * cid-matched ping/pong and receives a channel message pushed by the server.
 *
 * Schema skew: the server speaks the current official schema (int32 cid,
 * int64 ids, content/bytes fields). mezon-sdk 2.8.33 (the newest the
 * registry serves) writes string cids (the previous generation): the server
 * answers each request in the generation its cid came in, so the SDK's
 * cid-matched pings and joins resolve. Its ChannelMessage decoder is older
 * still (string ids, Timestamps at fields 9 and 10), so over protobuf the
 * test checks the fields both layouts share: content, username, avatar.
 * (mezon-sdk needs protobufjs without declaring it: a devDependency here.)
 */
import { DefaultSocket } from 'mezon-sdk/dist/cjs/socket';
import { WebSocketAdapterPb } from 'mezon-sdk/dist/cjs/web_socket_adapter_pb';
import { Session } from 'mezon-sdk/dist/cjs/session';
import { WebSocketAdapterText } from 'mezon-sdk/dist/cjs/web_socket_adapter';
import { lastValueFrom } from 'rxjs';
import { authenticate } from '../../src/gateway/mezon';
import { MezonSampleEvents, MezonSampleIds, startMezonServer, type MezonTestServer } from '../../src/testing/mezon';

let server: MezonTestServer;

async function waitUntil(cond: () => boolean, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}
beforeAll(async () => {
  server = await startMezonServer();
  // The SDK arms a never-cleared timer per request (default 10 s); keep it short so it cannot outlive the test.
  Object.defineProperty(DefaultSocket, 'DefaultSendTimeoutMs', { value: 1000 });
});
afterAll(() => server.close());

/** A mezon-sdk session from our token endpoint, and the SDK's socket pointed at the local server. */
async function sdkSocket(adapter: ConstructorParameters<typeof DefaultSocket>[4]) {
  const apiSession = await lastValueFrom(authenticate({ baseUrl: server.url, clientId: server.clientId, apiKey: server.apiKey }));
  const session = new Session({ ...apiSession, user_id: String(apiSession.user_id ?? ''), refresh_token: apiSession.refresh_token ?? '', created: false } as ConstructorParameters<typeof Session>[0]);
  const socket = new DefaultSocket('127.0.0.1', String(server.port), false, false, adapter);
  return { session, socket };
}

/** The first channel_message the SDK surfaces, within 10 s. */
function nextChannelMessage(socket: DefaultSocket): Promise<Record<string, unknown>> {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no channel_message within 10 s')), 10_000);
    socket.socketEvents.on('channel_message', (m: Record<string, unknown>) => {
      clearTimeout(t);
      resolve(m);
    });
  });
}

test("mezon-sdk's DefaultSocket (protobuf adapter) connects and receives a channel message", async () => {
  const { session, socket } = await sdkSocket(new WebSocketAdapterPb());
  try {
    const received = nextChannelMessage(socket);
    // Short SDK timers so none of its own setTimeouts outlive the test.
    socket.setHeartbeatTimeoutMs(1000);
    await socket.connect(session, true, 1000);
    await server.waitForConnections(1, false);
    // The SDK pings as soon as it is open, with a cid; wait for that ping and for a second one,
    // which it only sends after the pong to the first came back with the same cid.
    await waitUntil(() => server.received.filter((r) => r.field === 'ping' && r.envelope.cid !== '').length >= 2);
    server.pushEvent('ChannelMessage', { ...MezonSampleEvents.ChannelMessage, channel_label: '', clan_logo: '' });
    const m = await received;
    expect(m.content).toEqual(MezonSampleEvents.ChannelMessage.content);
    expect(m.username).toBe('alice');
    expect(m.avatar).toBe(MezonSampleEvents.ChannelMessage.avatar);
    expect(socket.isOpen()).toBe(true);
  } finally {
    socket.disconnect(false);
  }
});

test("mezon-sdk's DefaultSocket with its JSON (text) adapter gets the whole channel message, ids included", async () => {
  const { session, socket } = await sdkSocket(new WebSocketAdapterText());
  const before = server.received.length;
  try {
    const received = nextChannelMessage(socket);
    socket.setHeartbeatTimeoutMs(1000);
    await socket.connect(session, true, 1000);
    const joined = await socket.joinClanChat(MezonSampleIds.clan);
    expect(joined).toEqual({ clan_id: MezonSampleIds.clan });
    expect(server.received.slice(before).some((r) => r.format === 'json' && r.field === 'clan_join')).toBe(true);
    server.pushEvent('ChannelMessage', MezonSampleEvents.ChannelMessage);
    const m = await received;
    // The JSON mapping names fields, so even this older SDK reads every id and the text fields.
    expect(m).toMatchObject({
      clan_id: MezonSampleIds.clan,
      channel_id: MezonSampleIds.channel,
      message_id: MezonSampleEvents.ChannelMessage.message_id,
      username: 'alice',
      channel_label: 'general',
      content: MezonSampleEvents.ChannelMessage.content,
    });
  } finally {
    socket.disconnect(false);
  }
});
