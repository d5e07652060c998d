/** `rxwire tail mezon`: the call sites of the Mezon source (rename here if the factory moves). */
import { takeWhile, tap } from 'rxjs';
import { createRedactor } from '../../core';
import { mezonClient } from '../../gateway/mezon';
import { MezonSampleEvents, MezonSampleIds, startMezonServer } from '../../testing/mezon';
import { recordWebSocket } from '../../testing/record';
import type { TailContext, TailSource, TailSourceModule } from './types';

function client(ctx: TailContext, clientId: string, apiKey: string, baseUrl: string | undefined, clans: string[]) {
  const transport = ctx.record ? recordWebSocket(ctx.record, { redactor: createRedactor([apiKey]) }) : undefined;
  return mezonClient({ clientId, apiKey, clans, ...(baseUrl ? { baseUrl } : {}), ...(transport ? { transport } : {}) });
}

export const mezon: TailSourceModule = {
  async local(ctx): Promise<TailSource> {
    const server = await startMezonServer();
    let scripted = false;
    const events$ = client(ctx, server.clientId, server.apiKey, server.url, [MezonSampleIds.clan]).events$.pipe(
      tap((e) => {
        if (e.type === 'Ready' && !scripted) {
          scripted = true;
          server.pushEvent('MessageTypingEvent', MezonSampleEvents.MessageTypingEvent);
          server.pushEvent('ChannelMessage', MezonSampleEvents.ChannelMessage);
        }
      }),
      takeWhile((e) => e.type !== 'ChannelMessage', true),
    );
    return { events$, close: () => server.close() };
  },
  async real(ctx): Promise<TailSource> {
    const clientId = ctx.options['client-id'];
    if (!clientId) throw new Error('mezon needs --client-id ID');
    const apiKey = await ctx.secret('api-key');
    const clans = ctx.options.clan ? ctx.options.clan.split(',') : [];
    return { events$: client(ctx, clientId, apiKey, ctx.options['base-url'], clans).events$, close: async () => undefined };
  },
};
