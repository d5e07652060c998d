import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { AuthenticationFailedError, TransportClosedError } from '../../src/core';
import { CleartextRefusedError, ImapClient, saslLogin, saslPlain } from '../../src/imap';
import { ca, client, host, loggedIn, port, tlsPort, users } from './helpers';

describe('IMAP against Dovecot: connection security and authentication', () => {
  it('upgrades with STARTTLS before LOGIN and refreshes the capabilities', async () => {
    const c = client();
    const greeting = await lastValueFrom(c.connect());
    expect(greeting.status).toBe('OK');
    expect(c.secure).toBe(false);
    expect(c.hasCapability('STARTTLS')).toBe(true);
    expect(c.hasCapability('MOVE')).toBe(false);
    await lastValueFrom(c.login('alice', users().alice));
    expect(c.secure).toBe(true);
    expect(c.hasCapability('STARTTLS')).toBe(false);
    expect(c.hasCapability('MOVE')).toBe(true);
    expect(c.hasCapability('UIDPLUS')).toBe(true);
    await lastValueFrom(c.logout());
    expect(c.closed).toBe(true);
  });

  it('an explicit starttls() then login works and capability() answers from the cache', async () => {
    const c = client({ tls: 'starttls' });
    await lastValueFrom(c.connect());
    await lastValueFrom(c.starttls());
    expect(c.secure).toBe(true);
    await lastValueFrom(c.login('bob', users().bob));
    const caps = await lastValueFrom(c.capability());
    expect(caps).toContain('IMAP4REV1');
    await lastValueFrom(c.logout());
  });

  it('connects with implicit TLS when given the test CA', async () => {
    const c = new ImapClient({ host, port: tlsPort, tls: 'implicit', tlsOptions: { ca: ca() } });
    await lastValueFrom(c.connect());
    expect(c.secure).toBe(true);
    await lastValueFrom(c.login('alice', users().alice));
    const info = await lastValueFrom(c.examine('INBOX'));
    expect(info.readWrite).toBe(false);
    await lastValueFrom(c.logout());
  });

  it('refuses an implicit TLS server whose certificate it cannot verify', async () => {
    const c = new ImapClient({ host, port: tlsPort, tls: 'implicit' });
    await expect(lastValueFrom(c.connect())).rejects.toBeInstanceOf(TransportClosedError);
    await expect(lastValueFrom(c.noop())).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('wrong password: AuthenticationFailedError without the password in it', async () => {
    const c = client();
    await lastValueFrom(c.connect());
    const secret = 'not-the-password-Zq9';
    const err: unknown = await lastValueFrom(c.login('alice', secret)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationFailedError);
    expect(String((err as Error).message)).not.toContain(secret);
    expect(JSON.stringify(err)).not.toContain(secret);
    c.close();
  });

  it('refuses to send a password in cleartext unless allowed', async () => {
    const c = client({ tls: 'none' });
    await lastValueFrom(c.connect());
    await expect(lastValueFrom(c.login('alice', users().alice))).rejects.toBeInstanceOf(CleartextRefusedError);
    c.close();
    const allowed = client({ tls: 'none', allowCleartextLogin: true });
    await lastValueFrom(allowed.connect());
    await lastValueFrom(allowed.login('alice', users().alice));
    expect(allowed.secure).toBe(false);
    await lastValueFrom(allowed.logout());
  });

  it('AUTHENTICATE PLAIN (SASL-IR) and LOGIN', async () => {
    const a = client();
    await lastValueFrom(a.connect());
    await lastValueFrom(a.authenticate(saslPlain('alice', users().alice)));
    expect(a.hasCapability('MOVE')).toBe(true);
    await lastValueFrom(a.logout());
    const b = client();
    await lastValueFrom(b.connect());
    await lastValueFrom(b.authenticate(saslLogin('bob', users().bob)));
    await lastValueFrom(b.noop());
    await lastValueFrom(b.logout());
    const bad = client();
    await lastValueFrom(bad.connect());
    await expect(lastValueFrom(bad.authenticate(saslPlain('alice', 'wrong-one')))).rejects.toBeInstanceOf(AuthenticationFailedError);
    bad.close();
  });

  it('ID, ENABLE, NAMESPACE, COMPRESS=DEFLATE', async () => {
    const c = await loggedIn('bob');
    const server = await lastValueFrom(c.id({ name: 'rxwire-test', version: '1' }));
    expect(server?.name).toBe('Dovecot');
    expect(await lastValueFrom(c.enable('CONDSTORE'))).toEqual(['CONDSTORE']);
    const ns = await lastValueFrom(c.namespace());
    expect(ns.personal?.[0]).toEqual({ prefix: '', delimiter: '/' });
    await lastValueFrom(c.compress());
    const boxes = await lastValueFrom(c.list('', '*'));
    expect(boxes.map((b) => b.name)).toContain('INBOX');
    const info = await lastValueFrom(c.select('INBOX', { condstore: true }));
    expect(typeof info.highestModseq).toBe('number');
    await lastValueFrom(c.logout());
  });

  it('emits the greeting and completes connect(); a second connect() errors', async () => {
    const c = client();
    const all = await firstValueFrom(c.connect().pipe(toArray()));
    expect(all).toHaveLength(1);
    await expect(lastValueFrom(c.connect())).rejects.toBeInstanceOf(TransportClosedError);
    c.close();
  });

  it('a connection refused errors connect() with TransportClosedError', async () => {
    const c = new ImapClient({ host, port: 1, tls: 'none' });
    await expect(lastValueFrom(c.connect())).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('uses the configured port', () => {
    expect(port).toBeGreaterThan(0);
  });
});
