/** `rxwire tail mailtm`: the call sites of the Mail.tm source (rename here if the factory moves). */
import { concatMap, defer, EMPTY, ignoreElements, merge, takeWhile, tap } from 'rxjs';
import { createRedactor } from '../../core';
import { Mailtm, type MailtmTransport } from '../../mailtm';
import { startMailtmServer } from '../../testing/mailtm';
import { recordMailtmTransport } from '../../testing/record';
import type { TailContext, TailSource, TailSourceModule } from './types';

/** --record: the HTTP requests/answers and hub messages, secrets redacted (passwords and tokens are also learnt as they cross). */
function recording(ctx: TailContext, password?: string): { transport?: MailtmTransport } {
  return ctx.record ? { transport: recordMailtmTransport(ctx.record, { redactor: createRedactor([password]) }) } : {};
}

export const mailtm: TailSourceModule = {
  async local(ctx): Promise<TailSource> {
    const server = await startMailtmServer();
    const address = 'tail@rxwire.test';
    const mt = new Mailtm({ baseUrl: server.url, ...recording(ctx, 'tail-password') });
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
    const address = ctx.options.address;
    if (!address) throw new Error('mailtm needs --address ADDR');
    const password = await ctx.secret('password');
    const mt = new Mailtm({ ...(ctx.options['base-url'] ? { baseUrl: ctx.options['base-url'] } : {}), ...recording(ctx, password) });
    const events$ = merge(mt.events({ push: true }), defer(() => mt.switchAccount({ address, password })).pipe(concatMap(() => EMPTY)));
    return { events$, close: async () => undefined };
  },
};
