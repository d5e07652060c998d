/** `rxwire tail mailtm`: the call sites of the Mail.tm source (rename here if the factory moves). */
import { concatMap, defer, EMPTY, ignoreElements, merge, takeWhile, tap } from 'rxjs';
import { Mailtm } from '../../mailtm';
import { startMailtmServer } from '../../testing/mailtm';
import type { TailContext, TailSource, TailSourceModule } from './types';

function refuseRecord(ctx: TailContext): void {
  if (ctx.record) throw new Error('--record is not available for mailtm (HTTP polling and SSE, no WebSocket or IMAP wire to record)');
}

export const mailtm: TailSourceModule = {
  async local(ctx): Promise<TailSource> {
    refuseRecord(ctx);
    const server = await startMailtmServer();
    const address = 'tail@rxwire.test';
    const mt = new Mailtm({ baseUrl: server.url });
    let delivered = false;
    const events$ = merge(
      mt.events({ pollInterval: 200, push: true }),
      defer(() => mt.createAccount({ address, password: 'tail-password' }, { switchTo: true })).pipe(ignoreElements()),
    ).pipe(
      tap((e) => {
        if ((e.type === 'HubConnected' || e.type === 'AccountSwitched') && !delivered) {
          delivered = true;
          server.deliver(address, { from: { name: 'Alice', address: 'alice@example.org' }, subject: 'hello from the local Mail.tm', text: 'hello' });
        }
      }),
      takeWhile((e) => e.type !== 'NewMessage', true),
    );
    return { events$, close: () => server.close() };
  },
  async real(ctx): Promise<TailSource> {
    refuseRecord(ctx);
    const address = ctx.options.address;
    if (!address) throw new Error('mailtm needs --address ADDR');
    const password = await ctx.secret('password');
    const mt = new Mailtm({ ...(ctx.options['base-url'] ? { baseUrl: ctx.options['base-url'] } : {}) });
    const events$ = merge(mt.events({ push: true }), defer(() => mt.switchAccount({ address, password })).pipe(concatMap(() => EMPTY)));
    return { events$, close: async () => undefined };
  },
};
