/** `rxwire tail stoat`: the call sites of the Stoat source (rename here if the factory moves). */
import { takeWhile, tap } from 'rxjs';
import { createRedactor } from '../../core';
import { stoatGateway } from '../../gateway/stoat';
import { recordWebSocket } from '../../testing/record';
import { startStoatServer, StoatIds, stoatMessageFixture } from '../../testing/stoat';
import type { TailContext, TailSource, TailSourceModule } from './types';

function gateway(ctx: TailContext, token: string, url: string | undefined) {
  const transport = ctx.record ? recordWebSocket(ctx.record, { redactor: createRedactor([token]) }) : undefined;
  return stoatGateway({ token, ...(url ? { url } : {}), ...(transport ? { transport } : {}) });
}

export const stoat: TailSourceModule = {
  async local(ctx): Promise<TailSource> {
    const server = await startStoatServer({ tokens: { 'tail-token': StoatIds.me } });
    let scripted = false;
    const events$ = gateway(ctx, 'tail-token', server.url).pipe(
      tap((e) => {
        if (e.type === 'Ready' && !scripted) {
          scripted = true;
          server.emit({ type: 'ChannelStartTyping', id: StoatIds.general, user: StoatIds.alice });
          server.emit({ type: 'Message', ...stoatMessageFixture('hello from the local Bonfire') });
        }
      }),
      takeWhile((e) => e.type !== 'MessageCreate', true),
    );
    return { events$, close: () => server.close() };
  },
  async real(ctx): Promise<TailSource> {
    const token = await ctx.secret('token');
    return { events$: gateway(ctx, token, ctx.options.url), close: async () => undefined };
  },
};
