import { filter, firstValueFrom, lastValueFrom, Subject, take, timeout, toArray } from 'rxjs';
import { AuthenticationFailedError } from '../../src/core';
import { imapSession, type ImapClient } from '../../src/imap';
import { ca, host, port, users } from './helpers';

describe('imapSession against Dovecot', () => {
  it('emits a logged-in client; unsubscribing logs out and closes the socket', async () => {
    const clients = new Subject<ImapClient>();
    const sub = imapSession({ host, port, tlsOptions: { ca: ca() }, auth: { user: 'alice', password: users().alice } }).subscribe(clients);
    const c = await firstValueFrom(clients.pipe(timeout(10_000)));
    expect(c.secure).toBe(true);
    expect((await lastValueFrom(c.status('INBOX', ['MESSAGES']))).MESSAGES).toBeGreaterThanOrEqual(0);
    const closed = firstValueFrom(c.closed$.pipe(timeout(10_000)));
    sub.unsubscribe();
    await closed;
    expect(c.closed).toBe(true);
  });

  it('errors with AuthenticationFailedError on a wrong password', async () => {
    await expect(lastValueFrom(imapSession({ host, port, tlsOptions: { ca: ca() }, auth: { user: 'alice', password: 'nope' } }))).rejects.toBeInstanceOf(AuthenticationFailedError);
  });

  it('a command issued before the greeting is queued and sent once the connection is up', async () => {
    const { client } = await import('./helpers');
    const c = client({ tls: 'none' });
    const caps = lastValueFrom(c.capability(true));
    await lastValueFrom(c.connect());
    expect(await caps).toContain('IMAP4REV1');
    const all = await lastValueFrom(c.noop().pipe(filter(() => true), take(1), toArray()));
    expect(all).toEqual([undefined]);
    c.close();
  });
});
