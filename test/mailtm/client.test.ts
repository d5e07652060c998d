import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { AuthenticationFailedError, CommandFailedError, DecodeFailedError, TimeoutError } from '../../src/core';
import { MailtmClient, MailtmRateLimiter, retryAfterMs } from '../../src/mailtm';
import { startMailtmServer, type MailtmTestServer } from '../../src/testing/mailtm';

describe('MailtmClient against the local server', () => {
  let srv: MailtmTestServer;
  let client: MailtmClient;
  const creds = { address: 'client@rxwire.test', password: 'pa55-w0rd-secret' };

  beforeAll(async () => {
    srv = await startMailtmServer();
    client = new MailtmClient({ baseUrl: srv.url, backoff: { initialDelay: 20, maxDelay: 200 } });
    await firstValueFrom(client.createAccount(creds));
  });
  afterAll(() => srv.close());

  it('decodes domains, the account, paged messages, a full message and its source', async () => {
    const domains = await firstValueFrom(client.allDomains());
    expect(domains.map((d) => d.domain)).toEqual(['rxwire.test']);
    const s = client.session(creds);
    const me = await firstValueFrom(s.me());
    expect(me.address).toBe(creds.address);
    expect(s.accountId).toBe(me.id);
    expect((await firstValueFrom(s.account())).id).toBe(me.id);
    for (let i = 0; i < 33; i++) srv.deliver(creds.address, { subject: `s${i}`, text: `text ${i}` });
    const all = await firstValueFrom(s.allMessages());
    expect(all).toHaveLength(33);
    expect(all[0].subject).toBe('s32');
    const full = await firstValueFrom(s.message(all[0].id));
    expect(full.text).toBe('text 32');
    const seen = await firstValueFrom(s.markSeen(all[1].id));
    expect(seen.seen).toBe(true);
    expect((await firstValueFrom(s.source(all[0].id))).data).toContain('Subject: s32');
    await lastValueFrom(s.deleteMessage(all[0].id), { defaultValue: undefined });
    expect(srv.messageIds(creds.address)).not.toContain(all[0].id);
  });

  it('re-authenticates once after a 401 (expired token) and goes on', async () => {
    const s = client.session(creds);
    await firstValueFrom(s.me());
    srv.expireTokens();
    expect((await firstValueFrom(s.me())).address).toBe(creds.address);
  });

  it('fails with AuthenticationFailedError when the 401 persists after one re-authentication', async () => {
    const s = client.session(creds);
    await firstValueFrom(s.me());
    srv.inject({ kind: 'status', status: 401, path: '/me', count: 2 });
    await expect(firstValueFrom(s.me())).rejects.toBeInstanceOf(AuthenticationFailedError);
  });

  it('a bad password is AuthenticationFailedError with no password (or token) in the message', async () => {
    const bad = client.session({ address: creds.address, password: 'hunter2-very-secret' });
    const error: unknown = await firstValueFrom(bad.messages()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    const text = `${String(error)} ${(error as Error).stack ?? ''} ${JSON.stringify(error)}`;
    expect(text).not.toContain('hunter2-very-secret');
    expect(text).not.toContain(creds.password);
    expect(JSON.stringify(bad)).not.toContain('hunter2');
    expect(inspect(bad, { depth: 6, showHidden: true })).not.toContain('hunter2');
  });

  it('a 422 is a CommandFailedError carrying the violation', async () => {
    const error: unknown = await firstValueFrom(client.createAccount(creds)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect((error as Error).message).toContain('address: This value is already used.');
  });

  it('retries 5xx and dropped connections with backoff', async () => {
    srv.inject({ kind: 'status', status: 502, path: '/domains', count: 2 });
    srv.inject({ kind: 'drop', path: '/domains', count: 1 });
    expect(await firstValueFrom(client.allDomains())).toHaveLength(1);
  });

  it('times out a slow answer (TimeoutError, retryable) and retries it', async () => {
    const impatient = new MailtmClient({ baseUrl: srv.url, timeout: 300, backoff: { initialDelay: 20, maxDelay: 100 } });
    srv.inject({ kind: 'delay', ms: 1500, path: '/domains', count: 1 });
    expect(await firstValueFrom(impatient.allDomains())).toHaveLength(1);
    srv.inject({ kind: 'delay', ms: 1500, path: '/domains', count: 1 });
    await expect(firstValueFrom(impatient.domains(1, 'none'))).rejects.toBeInstanceOf(TimeoutError);
  });

  it('retries 429s (honouring Retry-After) and gets through', async () => {
    const withHeader = await startMailtmServer({ retryAfterHeader: true });
    try {
      const c = new MailtmClient({ baseUrl: withHeader.url });
      withHeader.inject({ kind: 'rateLimit', count: 2 });
      expect(await firstValueFrom(c.allDomains())).toHaveLength(1);
      expect(withHeader.requestCount).toBe(3);
    } finally {
      await withHeader.close();
    }
  });

  it('a body that does not decode is a DecodeFailedError with readable paths, not a crash', async () => {
    const bogus: typeof fetch = async () =>
      new Response(JSON.stringify({ 'hydra:member': [{ id: 1 }], 'hydra:totalItems': 'many' }), { status: 200, headers: { 'content-type': 'application/ld+json' } });
    const c = new MailtmClient({ baseUrl: 'http://127.0.0.1:9', fetch: bogus, rateLimit: false });
    const error: unknown = await firstValueFrom(c.domains()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeFailedError);
    expect((error as DecodeFailedError).errors.join('\n')).toContain('hydra:totalItems');
    const notJson: typeof fetch = async () => new Response('<html>', { status: 200 });
    const c2 = new MailtmClient({ baseUrl: 'http://127.0.0.1:9', fetch: notJson, rateLimit: false });
    await expect(firstValueFrom(c2.domains())).rejects.toBeInstanceOf(DecodeFailedError);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  });

  it('shares one rate limiter across all accounts of a client, and across clients when given one', () => {
    expect(client.limiter).toBeInstanceOf(MailtmRateLimiter);
    const shared = new MailtmRateLimiter();
    expect(new MailtmClient({ rateLimit: shared }).limiter).toBe(new MailtmClient({ rateLimit: shared }).limiter);
    expect(client.session(creds).client.limiter).toBe(client.session({ address: 'x@rxwire.test', password: 'y' }).client.limiter);
  });
});
