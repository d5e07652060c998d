// Mail.tm bodies through the live decode path: the real MailtmClient (ky, body cap, JSON parse, io-ts codecs,
// httpError, redaction) over a stub fetch that answers the fuzzed body, then the engine's per-item page
// decode (mailboxPage) and the hub frame decode (hubSignals). Inputs are near-valid Hydra collections,
// messages, domains and tokens, plus prototype-key tags, deep nesting, length bombs and echoed secrets.
import { firstValueFrom } from 'rxjs';
import { MailtmClient, hubSignals, mailboxPage, type MailtmSession } from '../../src/mailtm';
import type { FuzzTarget, Rng } from '../harness';

const PASSWORD = 'fuzz-Pa55word-never-out';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.fuzz-token-never-out.c2ln';
const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '@type', '@id', 'hydra:member', 'hydra:totalItems', 'hydra:view'];

interface Input {
  readonly kind: 'messages' | 'domains' | 'token' | 'message' | 'patch';
  readonly status: number;
  readonly body: string;
}

function scalar(rng: Rng): unknown {
  switch (rng.int(7)) {
    case 0:
      return rng.string(12);
    case 1:
      return rng.int(100_000) - 50_000;
    case 2:
      return null;
    case 3:
      return rng.chance(0.5);
    case 4:
      return rng.pick([PASSWORD, TOKEN, `Bearer ${TOKEN}`, '']);
    case 5:
      return 1e308 * (rng.chance(0.5) ? 10 : 1);
    default:
      return rng.pick(PROTO);
  }
}

function value(rng: Rng, depth: number): unknown {
  if (depth > 4 || rng.chance(0.5)) return scalar(rng);
  if (rng.chance(0.5)) return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = rng.int(4); i > 0; i--) o[rng.chance(0.4) ? rng.pick(PROTO) : rng.string(6)] = value(rng, depth + 1);
  return o;
}

const address = (rng: Rng): unknown => (rng.chance(0.9) ? { name: rng.string(6), address: `${rng.string(4)}@x.test` } : value(rng, 3));

function message(rng: Rng, i: number, full: boolean): Record<string, unknown> {
  const m: Record<string, unknown> = {
    '@id': `/messages/m${i}`,
    '@type': 'Message',
    id: `m${i}`,
    accountId: '/accounts/a',
    msgid: `<m${i}@x.test>`,
    from: address(rng),
    to: [address(rng)],
    subject: rng.string(20),
    intro: rng.string(20),
    seen: false,
    isDeleted: false,
    hasAttachments: false,
    size: 100,
    downloadUrl: `/messages/m${i}/download`,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
  if (full) {
    delete m.intro;
    Object.assign(m, {
      cc: rng.chance(0.5) ? [`${rng.string(4)}@x.test`] : [address(rng)],
      bcc: [],
      flagged: false,
      verifications: value(rng, 2),
      retention: true,
      retentionDate: '2026-01-08T00:00:00Z',
      text: rng.string(40),
      html: [rng.string(40)],
      attachments: [],
    });
  }
  return mutate(rng, m);
}

/** Drops, retypes or adds a field now and then (prototype keys included). */
function mutate(rng: Rng, o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...o };
  const keys = Object.keys(out);
  for (let n = rng.int(3); n > 0; n--) {
    const k = rng.pick(keys);
    if (rng.chance(0.4)) delete out[k];
    else out[rng.chance(0.3) ? rng.pick(PROTO) : k] = value(rng, 2);
  }
  return out;
}

function collection(rng: Rng, items: unknown[]): Record<string, unknown> {
  const c: Record<string, unknown> = {
    '@context': '/contexts/Message',
    '@id': '/messages',
    '@type': 'hydra:Collection',
    'hydra:member': items,
    'hydra:totalItems': rng.chance(0.9) ? items.length : rng.int(100),
    'hydra:view': { '@id': '/messages?page=1', ...(rng.chance(0.3) ? { 'hydra:next': '/messages?page=2' } : {}) },
  };
  return rng.chance(0.3) ? mutate(rng, c) : c;
}

function domain(rng: Rng, i: number): Record<string, unknown> {
  const d = { '@id': `/domains/d${i}`, '@type': 'Domain', id: `d${i}`, domain: `${rng.string(5)}.test`, isActive: true, isPrivate: rng.chance(0.1) ? null : false, createdAt: 'x', updatedAt: 'x' };
  return rng.chance(0.3) ? mutate(rng, d) : d;
}

/** Hostile shapes: deep nesting, a long string, many members, a body that is not JSON, an echoed secret in an error. */
function hostile(rng: Rng): Input {
  switch (rng.int(6)) {
    case 0: {
      const depth = 1 + rng.int(20_000);
      return { kind: 'messages', status: 200, body: `{"hydra:member":[${'['.repeat(depth)}${']'.repeat(depth)}],"hydra:totalItems":1}` };
    }
    case 1:
      return { kind: 'message', status: 200, body: JSON.stringify({ id: 'x'.repeat(rng.int(200_000)), __proto__: { polluted: true } }) };
    case 2:
      return { kind: 'messages', status: 200, body: JSON.stringify(collection(rng, Array.from({ length: rng.int(3000) }, (_, i) => ({ id: `m${i}` })))) };
    case 3:
      return { kind: rng.pick(['messages', 'domains', 'token'] as const), status: 200, body: rng.string(40) };
    case 4:
      return {
        kind: rng.pick(['messages', 'token', 'patch'] as const),
        status: rng.pick([400, 401, 404, 422, 429, 500, 503]),
        body: JSON.stringify({ 'hydra:description': `bad request ${JSON.stringify({ address: 'a@x.test', password: PASSWORD })} Bearer ${TOKEN}`, message: TOKEN }),
      };
    default:
      return { kind: 'token', status: 200, body: JSON.stringify({ token: TOKEN, id: rng.chance(0.5) ? 7 : value(rng, 2) }) };
  }
}

function generate(rng: Rng): Input {
  if (rng.chance(0.15)) return hostile(rng);
  const kind = rng.pick(['messages', 'domains', 'token', 'message', 'patch'] as const);
  const status = rng.chance(0.9) ? 200 : rng.pick([204, 400, 404, 429, 500]);
  let body: unknown;
  switch (kind) {
    case 'messages':
      body = collection(rng, Array.from({ length: rng.int(6) }, (_, i) => message(rng, i, false)));
      break;
    case 'domains':
      body = collection(rng, Array.from({ length: rng.int(4) }, (_, i) => domain(rng, i)));
      break;
    case 'token':
      body = rng.chance(0.8) ? { token: TOKEN, id: 'a' } : mutate(rng, { token: TOKEN, id: 'a' });
      break;
    case 'message':
      body = message(rng, 1, true);
      break;
    default:
      body = rng.chance(0.5) ? { seen: rng.chance(0.9) ? true : value(rng, 2) } : message(rng, 1, true);
  }
  let text = JSON.stringify(body) ?? '';
  if (rng.chance(0.1)) text = Buffer.from(rng.mutate(Buffer.from(text))).toString('utf8');
  return { kind, status, body: text };
}

let answer: Input = { kind: 'messages', status: 200, body: '' };
const client = new MailtmClient({
  baseUrl: 'http://mailtm.fuzz',
  rateLimit: false,
  backoff: { maxAttempts: 0 }, // one answer per input: no retries
  maxBodyBytes: 1024 * 1024,
  fetch: async () => new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers: { 'content-type': 'application/ld+json' } }),
});
const session: MailtmSession = client.session({ address: 'fuzz@x.test', password: PASSWORD, token: TOKEN });

async function run(input: Input): Promise<unknown[]> {
  answer = input;
  const out: unknown[] = [];
  switch (input.kind) {
    case 'messages': {
      const page = await firstValueFrom(session.messagesLoose(1, 'none'));
      try {
        out.push(mailboxPage(page));
      } catch (e) {
        out.push(client.redactor.error(e));
      }
      out.push(hubSignals(input.body));
      break;
    }
    case 'domains':
      out.push(await firstValueFrom(client.domains(1, 'none')));
      break;
    case 'token':
      // The token itself is the expected answer here: check only that errors never carry it.
      await firstValueFrom(client.requestToken({ address: 'fuzz@x.test', password: PASSWORD }));
      break;
    case 'message':
      out.push(await firstValueFrom(session.message('m1')));
      break;
    case 'patch':
      out.push(await firstValueFrom(session.markSeen('m1')));
      break;
  }
  // Decoded values may legitimately contain the fuzzed secrets as data: only errors are checked for them.
  return out.filter((o) => o instanceof Error);
}

export const targets: FuzzTarget<Input>[] = [
  {
    name: 'mailtm.bodies',
    secrets: [PASSWORD, TOKEN],
    // Each input is a whole async HTTP exchange (ky, a Response stream, timers): GC pauses on a shared
    // machine reach ~100 ms on tiny bodies; the parse itself is linear (bench/linearity-mailtm.ts).
    maxMsPerInput: 250,
    generate,
    run,
  },
];
