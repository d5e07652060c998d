import { MAILTM_RATE_LIMIT_TEXT, startMailtmServer, type MailtmTestServer } from '../../src/testing/mailtm';

/** Raw HTTP against the local server: its fidelity to the documented API. */
describe('local Mail.tm server', () => {
  let srv: MailtmTestServer;
  const address = 'fidelity@rxwire.test';
  const password = 'correct horse';
  const call = async (method: string, path: string, init: { token?: string; body?: unknown; type?: string } = {}) => {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const res = await fetch(`${srv.url}${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const text = await res.text();
    return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: res.headers };
  };
  let token = '';

  beforeAll(async () => {
    srv = await startMailtmServer({ rateLimit: false });
    expect((await call('POST', '/accounts', { body: { address, password } })).status).toBe(201);
    token = String((await call('POST', '/token', { body: { address, password } })).json?.token);
  });
  afterAll(() => srv.close());

  it('issues JWT-shaped tokens and answers 401 with LexikJWT bodies', async () => {
    expect(token.split('.')).toHaveLength(3);
    expect((await call('POST', '/token', { body: { address, password: 'nope' } })).json).toEqual({ code: 401, message: 'Invalid credentials.' });
    expect((await call('GET', '/me')).json).toEqual({ code: 401, message: 'JWT Token not found' });
    expect((await call('GET', '/me', { token: 'a.b.c' })).json).toEqual({ code: 401, message: 'Invalid JWT Token' });
    const me = await call('GET', '/me', { token });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ '@type': 'Account', address, isDeleted: false });
  });

  it('lists Hydra collections 30 per page, newest first, with view links', async () => {
    const ids = Array.from({ length: 31 }, (_, i) => srv.deliver(address, { subject: `n${i}` }));
    const p1 = await call('GET', '/messages?page=1', { token });
    const p2 = await call('GET', '/messages?page=2', { token });
    const m1 = p1.json?.['hydra:member'] as Array<{ id: string }>;
    const m2 = p2.json?.['hydra:member'] as Array<{ id: string }>;
    expect(m1).toHaveLength(30);
    expect(m1[0].id).toBe(ids[30]);
    expect(m2.map((m) => m.id)).toEqual([ids[0]]);
    expect(p1.json?.['hydra:totalItems']).toBe(31);
    expect(p1.json?.['hydra:view']).toMatchObject({ 'hydra:next': '/messages?page=2', 'hydra:last': '/messages?page=2' });
    expect(p2.json?.['hydra:view']).not.toHaveProperty('hydra:next');
    expect((await call('GET', '/messages?page=0', { token })).status).toBe(400);
  });

  it('requires merge-patch on PATCH, answers DELETE with 204, serves sources, 404s with a Hydra error', async () => {
    const id = srv.deliver(address, { subject: 'patch me', text: 'body' });
    const wrongType = await call('PATCH', `/messages/${id}`, { token, body: { seen: true } });
    expect(wrongType.status).toBe(415);
    const ok = await call('PATCH', `/messages/${id}`, { token, body: { seen: true }, type: 'application/merge-patch+json' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ seen: true }); // what docs.mail.tm (api/messages) shows
    const source = await call('GET', `/sources/${id}`, { token });
    expect(String(source.json?.data)).toContain('Subject: patch me');
    const del = await call('DELETE', `/messages/${id}`, { token });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const gone = await call('GET', `/messages/${id}`, { token });
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ '@type': 'hydra:Error', 'hydra:description': 'Not Found' });
    expect((await call('PUT', `/messages/${id}`, { token })).status).toBe(405);
  });

  it('validates accounts with 422 constraint violations', async () => {
    const taken = await call('POST', '/accounts', { body: { address, password } });
    expect(taken.status).toBe(422);
    expect(taken.json).toMatchObject({ '@type': 'ConstraintViolationList', violations: [{ propertyPath: 'address', message: 'This value is already used.' }] });
    expect((await call('POST', '/accounts', { body: { address: 'ab@rxwire.test', password } })).status).toBe(422);
    expect((await call('POST', '/accounts', { body: { address: 'someone@unknown.test', password } })).status).toBe(422);
    srv.setDomainActive('rxwire.test', false);
    expect((await call('POST', '/accounts', { body: { address: 'inactive@rxwire.test', password } })).status).toBe(422);
    srv.setDomainActive('rxwire.test', true);
  });

  it('refuses a deleted account and its tokens', async () => {
    const other = 'shortlived@rxwire.test';
    const created = await call('POST', '/accounts', { body: { address: other, password } });
    const t = String((await call('POST', '/token', { body: { address: other, password } })).json?.token);
    expect((await call('DELETE', `/accounts/${String(created.json?.id)}`, { token: t })).status).toBe(204);
    expect((await call('GET', '/me', { token: t })).status).toBe(401);
  });
});

describe('local Mail.tm server rate limit', () => {
  it('answers 429 with the documented text when a client sends more than 8 requests per second', async () => {
    const srv = await startMailtmServer();
    try {
      const results = await Promise.all(Array.from({ length: 12 }, () => fetch(`${srv.url}/domains`).then(async (r) => ({ status: r.status, text: await r.text() }))));
      const refused = results.filter((r) => r.status === 429);
      expect(results.filter((r) => r.status === 200)).toHaveLength(8);
      expect(refused).toHaveLength(4);
      expect(refused[0].text).toBe(MAILTM_RATE_LIMIT_TEXT);
      expect(srv.maxRequestsPerSecond()).toBe(12);
    } finally {
      await srv.close();
    }
  });
});
