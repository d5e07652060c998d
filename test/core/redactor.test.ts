import { inspect } from 'node:util';
import { of, throwError, concat, lastValueFrom, toArray } from 'rxjs';
import {
  CommandFailedError,
  createRedactor,
  NO_SECRETS,
  redacted,
  sourceLogger,
  type Logger,
} from '../../src/core';

const password = 'hunter2"pass/wörd';
const token = 'eyJhbGciOi.J9.sig';

describe('createRedactor', () => {
  const r = createRedactor([password, token, undefined, '']);

  it('removes a secret in every form it travels in', () => {
    const forms = [
      password,
      encodeURIComponent(password),
      JSON.stringify(password).slice(1, -1),
      Buffer.from(password).toString('base64').replace(/=+$/, ''),
    ];
    for (const f of forms) {
      const out = r.text(`server said: ${f} (end)`);
      expect(out).toBe('server said: *** (end)');
    }
    expect(r.text(`{"password":${JSON.stringify(password)},"token":"${token}"}`)).toBe('{"password":"***","token":"***"}');
  });

  it('walks values deeply and leaves unchanged values identical', () => {
    const clean = { a: 'x', b: [1, 'y'], c: { d: null } };
    expect(r.value(clean)).toBe(clean);
    const dirty = { type: 'Disconnected', data: { reason: `bad token ${token}`, list: ['ok', `p=${password}`], code: 4004 } };
    const out = r.value(dirty);
    expect(out).toEqual({ type: 'Disconnected', data: { reason: 'bad token ***', list: ['ok', 'p=***'], code: 4004 } });
    expect(dirty.data.reason).toContain(token); // the input is not mutated
    expect(out.data.code).toBe(4004);
  });

  it('survives cycles and deep nesting', () => {
    const cyclic: Record<string, unknown> = { s: token };
    cyclic.self = cyclic;
    expect((r.value(cyclic) as { s: string }).s).toBe('***');
    let deep: unknown = token;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => r.value(deep)).not.toThrow();
  });

  it('cleans an error in place: message, stack, own fields and cause', () => {
    const e = new CommandFailedError('LOGIN', 'NO', `echo: ${password}`);
    (e as { cause?: unknown }).cause = new Error(`inner ${token}`);
    r.error(e);
    expect(e.message).not.toContain(password);
    expect(e.text).toBe('echo: ***');
    expect(inspect(e)).not.toContain(password);
    expect(inspect(e)).not.toContain(token);
    expect(e).toBeInstanceOf(CommandFailedError);
  });

  it('without secrets it is the identity', () => {
    expect(createRedactor([])).toBe(NO_SECRETS);
    const v = { a: 1 };
    expect(NO_SECRETS.value(v)).toBe(v);
  });
});

describe('redacted', () => {
  const r = createRedactor([token]);
  it('cleans lifecycle, DecodeError and Unknown events and the final error, and passes data events untouched', async () => {
    const data = { source: 's', type: 'MessageCreate', data: { content: token } };
    const events = [
      { source: 's', type: 'Disconnected', data: { reason: `bad token ${token}`, willReconnect: false } },
      { source: 's', type: 'DecodeError', data: { tag: 'X', raw: { t: token }, errors: [] } },
      data,
    ];
    const seen: unknown[] = [];
    await expect(
      lastValueFrom(concat(of(...events), throwError(() => new Error(`closed: ${token}`))).pipe(redacted(r), toArray())),
    ).rejects.toThrow('closed: ***');
    await lastValueFrom(of(...events).pipe(redacted(r))).then(() => undefined);
    of(...events).pipe(redacted(r)).subscribe((e) => seen.push(e));
    expect(JSON.stringify(seen.slice(0, 2))).not.toContain(token);
    expect(seen[2]).toBe(data);
  });
});

describe('sourceLogger', () => {
  it('adds the source, redacts fields and message, and a throwing logger never breaks the caller', () => {
    const lines: unknown[] = [];
    const logger: Logger = {
      debug: (obj, msg) => lines.push([obj, msg]),
      info: () => undefined,
      warn: () => {
        throw new Error('logger broke');
      },
      error: () => undefined,
    };
    const log = sourceLogger('mailtm', logger, createRedactor([password]));
    log.debug({ frame: `{"password":${JSON.stringify(password)}}` }, `sent ${password}`);
    expect(lines).toEqual([[{ source: 'mailtm', frame: '{"password":"***"}' }, 'sent ***']]);
    expect(() => log.warn({}, 'x')).not.toThrow();
    expect(sourceLogger('x', undefined, NO_SECRETS).debug).toBeInstanceOf(Function);
  });
});
