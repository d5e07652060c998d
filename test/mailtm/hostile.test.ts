// Hostile or odd servers against the live client: echoed secrets, redirects, huge bodies, bad header values,
// unparseable request targets and oversized request bodies at the local server, and the documented answers.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { CommandFailedError, DecodeFailedError, InvalidArgumentError, ProtocolViolationError } from '../../src/core';
import { MailtmClient, MailtmMessage } from '../../src/mailtm';
import { startMailtmServer, type MailtmTestServer } from '../../src/testing/mailtm';

const PASSWORD = 'pw-S3cret-echo-me';

/** Everything an error exposes (message, stack, own fields) as one string. */
function exposed(e: unknown): string {
  const err = e as Error & Record<string, unknown>;
  return `${String(err.message)} ${String(err.stack)} ${JSON.stringify(err)} ${JSON.stringify(err.raw ?? '')}`;
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('Mail.tm client against a hostile server', () => {
  let srv: MailtmTestServer;
  beforeEach(async () => {
    srv = await startMailtmServer({ rateLimit: false });
  });
  afterEach(() => srv.close());

  const client = (o: { maxBodyBytes?: number } = {}): MailtmClient => new MailtmClient({ baseUrl: srv.url, rateLimit: false, backoff: { initialDelay: 5, maxDelay: 10, maxAttempts: 1 }, ...o });

  it('a server echoing the request body does not put the password into CommandFailedError or TransportClosedError', async () => {
    const c = client();
    srv.inject({ kind: 'echo', status: 422, path: '/accounts' });
    const refused = await errorOf(firstValueFrom(c.createAccount({ address: 'echo@rxwire.test', password: PASSWORD })));
    expect(refused).toBeInstanceOf(CommandFailedError);
    expect(exposed(refused)).toContain('could not handle POST /accounts');
    expect(exposed(refused)).not.toContain(PASSWORD);
    srv.inject({ kind: 'echo', status: 503, path: '/token', count: 2 });
    const down = await errorOf(firstValueFrom(c.requestToken({ address: 'echo@rxwire.test', password: PASSWORD })));
    expect((down as Error).name).toBe('TransportClosedError');
    expect(exposed(down)).toContain('could not handle POST /token');
    expect(exposed(down)).not.toContain(PASSWORD);
  });

  it('a server echoing the bearer token in an error, or sending a token body that does not decode, leaks no token', async () => {
    const c = client();
    await firstValueFrom(c.createAccount({ address: 'tok@rxwire.test', password: PASSWORD }));
    const s = c.session({ address: 'tok@rxwire.test', password: PASSWORD });
    const token = await firstValueFrom(s.token());
    srv.inject({ kind: 'echo', status: 400, path: '/me' });
    const echoed = await errorOf(firstValueFrom(s.me()));
    expect(exposed(echoed)).toContain('authorization: Bearer ***');
    expect(exposed(echoed)).not.toContain(token);
    // A token answer with a wrong field type: DecodeFailedError, the token redacted from its raw body.
    srv.inject({ kind: 'respond', path: '/token', body: JSON.stringify({ token: 'eyJ.fresh-token-value.sig', id: 42 }) });
    const bad = await errorOf(firstValueFrom(c.requestToken({ address: 'tok@rxwire.test', password: PASSWORD })));
    expect(bad).toBeInstanceOf(DecodeFailedError);
    expect(exposed(bad)).not.toContain('fresh-token-value');
  });

  it('a token HTTP cannot carry (non-Latin-1) is a clear InvalidArgumentError, not a ByteString TypeError', async () => {
    const c = client();
    const s = c.session({ address: 'x@rxwire.test', password: PASSWORD, token: 'tok\u2603en' });
    const e = await errorOf(firstValueFrom(s.me()));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as Error).message).toMatch(/Latin-1/);
    expect(exposed(e)).not.toContain('tok\u2603en');
  });

  it('caps the response body (typed ProtocolViolationError), declared or streamed, and the server keeps serving', async () => {
    const c = client({ maxBodyBytes: 64 * 1024 });
    srv.inject({ kind: 'huge', path: '/domains', bytes: 256 * 1024 * 1024 });
    const streamed = await errorOf(firstValueFrom(c.domains(1, 'none')));
    expect(streamed).toBeInstanceOf(ProtocolViolationError);
    expect((streamed as Error).message).toMatch(/maxBodyBytes/);
    srv.inject({ kind: 'huge', path: '/domains', bytes: 10 * 1024 * 1024, declareLength: true });
    expect(await errorOf(firstValueFrom(c.domains(1, 'none')))).toBeInstanceOf(ProtocolViolationError);
    expect((await firstValueFrom(c.domains(1, 'none')))['hydra:member']).toHaveLength(1);
  });

  it('a page with far more members than Mail.tm sends is refused before any member is decoded', async () => {
    const c = client();
    const members = Array.from({ length: 5000 }, (_, i) => ({ id: `m${i}` }));
    srv.inject({ kind: 'respond', path: '/domains', body: JSON.stringify({ 'hydra:member': members, 'hydra:totalItems': 5000 }) });
    const e = await errorOf(firstValueFrom(c.domains(1, 'none')));
    expect(e).toBeInstanceOf(DecodeFailedError);
    expect((e as Error).message).toMatch(/5000 members on one page/);
  });

  it('follows a same-origin redirect with the token, and never sends the Authorization header to another origin', async () => {
    const seen: Array<string | undefined> = [];
    const other: Server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const c = client();
      await firstValueFrom(c.createAccount({ address: 'redir@rxwire.test', password: PASSWORD }));
      const s = c.session({ address: 'redir@rxwire.test', password: PASSWORD });
      srv.inject({ kind: 'redirect', path: '/me', location: '/me' });
      expect((await firstValueFrom(s.me())).address).toBe('redir@rxwire.test');
      const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/me`;
      srv.inject({ kind: 'redirect', path: '/me', location: elsewhere, status: 307 });
      const e = await errorOf(firstValueFrom(s.me()));
      expect(e).toBeInstanceOf(CommandFailedError);
      expect((e as Error).message).toMatch(/another origin/);
      expect(seen).toEqual([]); // not a single request reached the other origin
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('markSeen accepts the documented {"seen": true} answer and a full message', async () => {
    const c = client();
    await firstValueFrom(c.createAccount({ address: 'seen@rxwire.test', password: PASSWORD }));
    const s = c.session({ address: 'seen@rxwire.test', password: PASSWORD });
    const id = srv.deliver('seen@rxwire.test', { subject: 'mark me', cc: ['copy@example.org'] });
    expect(await firstValueFrom(s.markSeen(id))).toEqual({ id, seen: true, message: undefined });
    const full = await firstValueFrom(s.message(id));
    expect(full.cc).toEqual(['copy@example.org']);
    srv.inject({ kind: 'respond', path: `/messages/${id}`, method: 'PATCH', body: JSON.stringify(full) });
    const answered = await firstValueFrom(s.markSeen(id));
    expect(answered.message?.id).toBe(id);
  });
});

describe('the documented message shape (docs.mail.tm, api/messages: GET /messages/{id})', () => {
  // The field set the docs show; cc/bcc are arrays of address strings there.
  const documented = {
    '@context': '/contexts/Message',
    '@id': '/messages/6389a9a4b3b5b1c4c3f1e2d0',
    '@type': 'Message',
    id: '6389a9a4b3b5b1c4c3f1e2d0',
    accountId: '/accounts/6389a97fb3b5b1c4c3f1e2c1',
    msgid: '<abc@mail.example>',
    from: { address: 'sender@example.org', name: 'Sender' },
    to: [{ address: 'me@example.com', name: '' }],
    cc: ['cc@example.org'],
    bcc: ['bcc@example.org'],
    subject: 'Hello',
    seen: false,
    flagged: false,
    isDeleted: false,
    verifications: [],
    retention: true,
    retentionDate: '2026-01-08T00:00:00+00:00',
    text: 'hi',
    html: ['<p>hi</p>'],
    hasAttachments: false,
    attachments: [],
    size: 1234,
    downloadUrl: '/messages/6389a9a4b3b5b1c4c3f1e2d0/download',
    createdAt: '2026-01-01T00:00:00+00:00',
    updatedAt: '2026-01-01T00:00:00+00:00',
  };

  it('decodes through the live client path, cc/bcc as strings or {name, address}', async () => {
    for (const cc of [['cc@example.org'], [{ name: 'Cc', address: 'cc@example.org' }]]) {
      const body = JSON.stringify({ ...documented, cc });
      const c = new MailtmClient({ baseUrl: 'http://mailtm.invalid', rateLimit: false, fetch: async () => new Response(body, { status: 200 }) });
      const s = c.session({ address: 'me@example.com', password: 'x', token: 'tok' });
      const m = await firstValueFrom(s.message(documented.id));
      expect(m.cc).toEqual(cc);
      expect(MailtmMessage.is(m)).toBe(true);
    }
  });
});

describe('the local Mail.tm server refuses what it cannot parse and keeps serving', () => {
  let srv: MailtmTestServer;
  beforeEach(async () => {
    srv = await startMailtmServer({ maxRequestBytes: 1024 });
  });
  afterEach(() => srv.close());

  const raw = (request: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const { port } = new URL(srv.url);
      const sock = connect(Number(port), '127.0.0.1', () => sock.write(request));
      let data = '';
      sock.on('data', (d) => (data += d.toString('latin1')));
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
    });

  it('answers 400 to `GET http://[ HTTP/1.1` and 413 to an oversized body, then serves the next request', async () => {
    expect(await raw('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    const big = 'x'.repeat(4096);
    expect(await raw(`POST /accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`)).toMatch(/^HTTP\/1\.1 413/);
    // Chunked (no length announced): refused once over the limit, never buffered whole.
    const chunk = `${(2048).toString(16)}\r\n${'y'.repeat(2048)}\r\n`;
    expect(await raw(`POST /accounts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}${chunk}0\r\n\r\n`)).toMatch(/^HTTP\/1\.1 413/);
    const ok = await fetch(`${srv.url}/domains`);
    expect(ok.status).toBe(200);
  });
});
