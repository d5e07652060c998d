/**
 * Stoat demo: a local Bonfire, a typed event stream with a cache, and one
 * canceled update (it reaches us, the cache ignores it). No credentials.
 *
 *   npx tsx examples/stoat-demo.ts
 */
import { firstValueFrom, takeWhile, tap, timeout, toArray } from 'rxjs';
import { afterOf, beforeOf, cancelWhen, getMessage, stoat, withStoatCache } from '../src/gateway/stoat';
import { startStoatServer, StoatIds, stoatMessageFixture } from '../src/testing/stoat';
import { runIfMain } from './standalone';

export default async function demo(log: (line: string) => void): Promise<void> {
  const server = await startStoatServer({ tokens: { 'demo-token': StoatIds.me } });
  try {
    const hello = stoatMessageFixture('hello from the local Bonfire');
    const script = (): void => {
      server.emit({ type: 'ChannelStartTyping', id: StoatIds.general, user: StoatIds.alice });
      server.emit({ type: 'Message', ...hello });
      // Two edits in one Bulk frame: the first one is canceled below.
      server.emitBulk([
        { type: 'MessageUpdate', id: hello._id, channel: hello.channel, data: { content: 'SPAM SPAM SPAM' }, clear: [] },
        { type: 'MessageUpdate', id: hello._id, channel: hello.channel, data: { content: 'hello (edited)', edited: new Date().toISOString() }, clear: [] },
      ]);
      server.emit({ type: 'MessageReact', id: hello._id, channel_id: hello.channel, user_id: StoatIds.me, emoji_id: '🦦' });
      server.sendRaw('{"type": "Message", oops'); // a malformed frame: a DecodeError event, the stream goes on
      server.emit({ type: 'ServerMemberLeave', id: StoatIds.server, user: StoatIds.alice, reason: 'Leave' });
    };

    const events = await firstValueFrom(
      stoat({ url: server.url, token: 'demo-token' }).events$.pipe(
        withStoatCache({ intercept: [cancelWhen((e) => e.type === 'MessageUpdate' && e.data.data.content === 'SPAM SPAM SPAM')] }),
        tap((e) => {
          switch (e.type) {
            case 'Ready':
              log(`Ready: ${e.data.users?.length ?? 0} users, ${e.data.servers?.length ?? 0} server, ${e.data.channels?.length ?? 0} channels (cache generation ${e.after.generation})`);
              script();
              return;
            case 'MessageCreate':
              log(`MessageCreate ${e.data._id}: "${e.data.content}"`);
              return;
            case 'MessageUpdate':
              log(
                `MessageUpdate${e.canceled ? ' (canceled: cache untouched)' : ''}: wire says "${e.data.data.content}", before "${beforeOf(e)?.content}", after "${afterOf(e)?.content}"`,
              );
              return;
            case 'MessageReact':
              log(`MessageReact ${e.data.emoji_id}: cached reactions ${JSON.stringify(getMessage(e.after, e.data.id)?.reactions)}`);
              return;
            case 'DecodeError':
              log(`DecodeError (stream goes on): ${e.data.errors.join('; ')}`);
              return;
            case 'ServerMemberRemove':
              log(`ServerMemberRemove ${e.data.user} (${e.data.reason}): member was cached as ${JSON.stringify(beforeOf(e)?._id)}, now ${afterOf(e) ?? 'gone'}`);
              return;
            default:
              log(e.type);
          }
        }),
        takeWhile((e) => e.type !== 'ServerMemberRemove', true),
        toArray(),
        timeout(5_000),
      ),
    );
    log(`${events.length} events, ${events.filter((e) => e.canceled).length} canceled`);
  } finally {
    await server.close();
  }
}

runIfMain(module, demo);
