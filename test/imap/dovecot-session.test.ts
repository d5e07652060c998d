import { filter, firstValueFrom, lastValueFrom, Subject, take, timeout, toArray } from 'rxjs';
import { AuthenticationFailedError } from '../../src/core';
import { imapSession, openImapSession, withImapSession, type ImapClient } from '../../src/imap';
import { TransportClosedError } from '../../src/core';
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

  const opts = () => ({ host, port, tlsOptions: { ca: ca() }, auth: { user: 'alice', password: users().alice } });

  it('firstValueFrom(imapSession(o)) hands back a client that is logging out: its commands say so and how to keep it', async () => {
    const c = await firstValueFrom(imapSession(opts()));
    const err = await lastValueFrom(c.noop()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect(String((err as Error).message)).toMatch(/imapSession\(\) subscription that has ended.*withImapSession.*openImapSession/);
    await firstValueFrom(c.closed$.pipe(timeout(10_000)));
  });

  it('withImapSession(o, fn) keeps the client for fn (Observable or Promise) and logs out after', async () => {
    let kept: ImapClient | undefined;
    const box = await lastValueFrom(withImapSession(opts(), (c) => ((kept = c), c.select('INBOX'))));
    expect(box.name).toBe('INBOX');
    const n = await lastValueFrom(withImapSession(opts(), async (c) => (await lastValueFrom(c.status('INBOX', ['MESSAGES']))).MESSAGES));
    expect(typeof n).toBe('number');
    await firstValueFrom(kept!.closed$.pipe(timeout(10_000)));
  });

  it('openImapSession(o): the client stays usable until close()', async () => {
    const lease = await openImapSession(opts());
    await lastValueFrom(lease.client.select('INBOX'));
    expect(lease.client.state.status).toBe('selected');
    await lease.close();
    expect(lease.client.closed).toBe(true);
    await expect(lastValueFrom(lease.client.noop())).rejects.toThrow(/closed with its openImapSession\(\) lease/);
  });
});
