/**
 * Discord demo: the local gateway (no token, no network), a typed event
 * stream over zlib-stream, one killed socket that the client resumes from
 * without losing an event, a malformed frame that becomes a DecodeError,
 * and a request-guild-members action. Finishes in a second or two.
 *
 *   npx tsx examples/discord-demo.ts
 */
import { once } from 'node:events';
import { filter, firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { discord, type DiscordEvent } from '../src/gateway/discord';
import { discordMessageCreate, startDiscordGateway } from '../src/testing/discord';
import { runIfMain } from './standalone';

function describe(e: DiscordEvent): string {
  switch (e.type) {
    case 'Connecting':
      return `Connecting to ${e.data.url}${e.data.resume ? ' (resume)' : ''}`;
    case 'Hello':
      return `Hello: heartbeat every ${e.data.heartbeat_interval} ms`;
    case 'Ready':
      return `Ready as ${e.data.user.username}, session ${e.data.session_id}, ${e.data.guilds.length} guild(s)`;
    case 'GuildCreate':
      return 'name' in e.data ? `GuildCreate ${e.data.name} (${e.data.channels?.length ?? 0} channel(s))` : `GuildCreate ${e.data.id} (unavailable: outage)`;
    case 'MessageCreate':
      return `MessageCreate #${e.seq} from ${e.data.author.username}: ${e.data.content}`;
    case 'Disconnected':
      return `Disconnected (code ${e.data.code}${e.data.willReconnect ? ', reconnecting' : ''})`;
    case 'Reconnecting':
      return `Reconnecting (attempt ${e.data.attempt}) in ${e.data.delay} ms, ${e.data.resume ? 'resuming' : 'new session'}`;
    case 'Resumed':
      return `Resumed (#${e.seq}): missed events were replayed first`;
    case 'DecodeError':
      return `DecodeError: ${e.data.errors[0]} (the stream goes on)`;
    case 'GuildMembersChunk':
      return `GuildMembersChunk ${e.data.chunk_index + 1}/${e.data.chunk_count}: ${e.data.members.length} member(s)`;
    default:
      return e.type;
  }
}

export default async function demo(log: (line: string) => void): Promise<void> {
  const server = await startDiscordGateway({ guilds: [{ id: '81384788765712384', name: 'Demo Guild' }] });
  const gateway = discord({ token: server.token, intents: 1 | 512 | 32768, url: server.url, compress: 'zlib-stream' });
  const sub = gateway.events$.subscribe((e) => log(`[shard ${e.shard}] ${describe(e)}`));
  try {
    await firstValueFrom(gateway.events$.pipe(filter((e) => e.type === 'GuildCreate'), timeout(5000)));
    const messages = lastValueFrom(gateway.events$.pipe(filter((e) => e.type === 'MessageCreate'), take(4), toArray(), timeout(5000)));
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('hello from the local gateway'));
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('second message'));
    log('-- killing the socket; two messages are sent while the client is away --');
    const resumed = once(server.events, 'resume');
    server.killSockets();
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('sent while disconnected (1)'));
    server.dispatch('MESSAGE_CREATE', discordMessageCreate('sent while disconnected (2)'));
    await resumed;
    const got = await messages;
    log(`-- got all ${got.length} messages, in order, each exactly once --`);
    server.sendRaw('{"op":0,"t":"MESSAGE_CREATE","s":');
    await firstValueFrom(gateway.events$.pipe(filter((e) => e.type === 'DecodeError'), timeout(5000)));
    const chunks = await lastValueFrom(gateway.requestGuildMembers({ guild_id: '81384788765712384', query: '', limit: 0 }).pipe(toArray(), timeout(5000)));
    log(`-- requestGuildMembers: ${chunks.reduce((n, c) => n + c.data.members.length, 0)} member(s) in ${chunks.length} chunk(s) --`);
  } finally {
    sub.unsubscribe();
    await server.close();
  }
}

runIfMain(module, demo);
