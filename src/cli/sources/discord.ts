/** `rxwire tail discord`: the call sites of the Discord source (rename here if the factory moves). */
import { takeWhile, tap } from 'rxjs';
import { createRedactor } from '../../core';
import { discordGateway } from '../../gateway/discord';
import { discordMessageCreate, startDiscordGateway } from '../../testing/discord';
import { recordWebSocket } from '../../testing/record';
import type { TailContext, TailSource, TailSourceModule } from './types';

function gateway(ctx: TailContext, token: string, url: string | undefined, intents: number) {
  const transport = ctx.record ? recordWebSocket(ctx.record, { redactor: createRedactor([token]) }) : undefined;
  return discordGateway({ token, intents, ...(url ? { url } : {}), ...(transport ? { transport } : {}) });
}

export const discord: TailSourceModule = {
  async local(ctx): Promise<TailSource> {
    const server = await startDiscordGateway();
    let sent = 0;
    const events$ = gateway(ctx, server.token, server.url, 513).events$.pipe(
      tap((e) => {
        if (e.type === 'GuildCreate' && sent === 0) {
          sent = 2;
          server.dispatch('MESSAGE_CREATE', discordMessageCreate('hello from the local gateway'));
          server.dispatch('MESSAGE_CREATE', discordMessageCreate('second message'));
        }
      }),
      takeWhile((e) => !(e.type === 'MessageCreate' && e.data.content === 'second message'), true),
    );
    return { events$, close: () => server.close() };
  },
  async real(ctx): Promise<TailSource> {
    const token = await ctx.secret('token');
    const intents = Number(ctx.options.intents ?? 513);
    return { events$: gateway(ctx, token, ctx.options.url, intents).events$, close: async () => undefined };
  },
};
