/** `rxwire tail imap`: the call sites of the IMAP source (rename here if the factory moves). */
import { takeWhile, tap } from 'rxjs';
import { createRedactor } from '../../core';
import { watchMailbox, type SessionOptions } from '../../imap';
import { startImapServer } from '../../testing/imap';
import { recordImapTransport } from '../../testing/record';
import type { TailContext, TailSource, TailSourceModule } from './types';

function watch(ctx: TailContext, connection: SessionOptions, password: string, mailbox: string) {
  const transport = ctx.record ? recordImapTransport(ctx.record, { redactor: createRedactor([password]) }) : undefined;
  return watchMailbox({ ...connection, ...(transport ? { transport } : {}) }, mailbox);
}

export const imap: TailSourceModule = {
  async local(ctx): Promise<TailSource> {
    const server = await startImapServer({ users: { alice: 'alicepw' } });
    server.deliver('alice', 'INBOX', 'From: Bob <bob@example.org>\r\nSubject: already there\r\n\r\nold\r\n');
    let delivered = false;
    const events$ = watch(ctx, { host: server.host, port: server.port, tlsOptions: { ca: server.ca }, auth: { user: 'alice', password: 'alicepw' } }, 'alicepw', 'INBOX').pipe(
      tap((e) => {
        if (e.type === 'IdleStarted' && !delivered) {
          delivered = true;
          server.deliver('alice', 'INBOX', 'From: Carol <carol@example.org>\r\nSubject: hello from the in-process IMAP server\r\n\r\nnew\r\n');
        }
      }),
      takeWhile((e) => e.type !== 'NewMessages', true),
    );
    return { events$, close: () => server.close() };
  },
  async real(ctx): Promise<TailSource> {
    const host = ctx.options.host;
    const user = ctx.options.user;
    if (!host || !user) throw new Error('imap needs --host H and --user U');
    const password = await ctx.secret('password');
    const port = Number(ctx.options.port ?? 993);
    const tls = (ctx.options.tls as 'implicit' | 'starttls' | undefined) ?? (port === 993 ? 'implicit' : 'starttls');
    return { events$: watch(ctx, { host, port, tls, auth: { user, password } }, password, ctx.options.mailbox ?? 'INBOX'), close: async () => undefined };
  },
};
