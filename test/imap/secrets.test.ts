/**
 * #19: credentials never show in util.inspect / JSON.stringify of a client, its
 * options or a session; SASL fields that would shift (NUL in PLAIN, ^A in
 * XOAUTH2/OAUTHBEARER) are refused with InvalidArgumentError before anything is written.
 */
import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { InvalidArgumentError } from '../../src/core';
import { ImapClient, imapSession, saslOauthBearer, saslPlain, saslXoauth2 } from '../../src/imap';
import { ScriptedImapServer as ScriptedServer, waitUntil as until } from '../../src/testing';

const PASSWORD = 'hunter2-secret-pw';

describe('credentials stay out of inspectable state', () => {
  it('a client from imapSession({ auth }) does not show the password in util.inspect, JSON.stringify(client.options) or JSON.stringify(client)', async () => {
    const server = new ScriptedServer();
    const session = imapSession({ host: 'scripted', port: 143, tls: 'none', allowCleartextLogin: true, transport: server.factory, auth: { user: 'alice', password: PASSWORD } });
    const got = firstValueFrom(session);
    await until(() => server.handlers !== undefined, 'transport opened');
    server.send('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
    await until(() => server.wire.includes('LOGIN'), 'LOGIN sent');
    expect(server.wire).toContain(PASSWORD); // it is sent, once, to the server
    server.send('A1 OK [CAPABILITY IMAP4rev1 IDLE] logged in\r\n');
    const client = await got;
    for (const shown of [inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client.options), JSON.stringify(client), inspect(client.options, { depth: 10, showHidden: true }), inspect(session, { depth: 10, showHidden: true }), String(Object.keys(client))]) {
      expect(shown).not.toContain(PASSWORD);
    }
    expect(JSON.stringify(client)).toContain('"status":"authenticated"');
    expect(Object.keys(client.options)).not.toContain('auth');
    client.close();
  });

  it('a plain ImapClient given auth-like keys by accident drops them from its options', () => {
    const options = { host: 'h', port: 143, password: PASSWORD, auth: { user: 'u', password: PASSWORD } } as unknown as ConstructorParameters<typeof ImapClient>[0];
    const c = new ImapClient(options);
    expect(JSON.stringify(c.options)).not.toContain(PASSWORD);
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
  });
});

describe('SASL field injection is refused before anything is written', () => {
  it('NUL in a PLAIN user name, password or authzid', () => {
    for (const make of [() => saslPlain('alice\0admin', 'pw'), () => saslPlain('alice', 'p\0w'), () => saslPlain('alice', 'pw', 'x\0y')]) {
      expect(make).toThrow(InvalidArgumentError);
    }
    expect(saslPlain('alice', 'pw').initial!().toString()).toBe('\0alice\0pw');
  });

  it('^A in an XOAUTH2 or OAUTHBEARER user name (or token, host)', () => {
    expect(() => saslXoauth2('alice\x01auth=Bearer evil', 'tok')).toThrow(InvalidArgumentError);
    expect(() => saslXoauth2('alice', 'tok\x01')).toThrow(InvalidArgumentError);
    expect(() => saslOauthBearer('alice\x01host=evil', 'tok')).toThrow(InvalidArgumentError);
    expect(() => saslOauthBearer('alice', 'tok', 'h\x01ost')).toThrow(InvalidArgumentError);
    expect(saslXoauth2('alice', 'tok').initial!().toString()).toBe('user=alice\x01auth=Bearer tok\x01\x01');
  });

  it('LOGIN falling back to AUTHENTICATE PLAIN (LOGINDISABLED) with a NUL user errors and writes nothing', async () => {
    const server = new ScriptedServer();
    const c = new ImapClient({ host: 'scripted', port: 143, tls: 'none', allowCleartextLogin: true, transport: server.factory });
    const g = lastValueFrom(c.connect());
    await until(() => server.handlers !== undefined, 'transport opened');
    server.send('* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN] ready\r\n');
    await g;
    await expect(lastValueFrom(c.login('alice\0bob', 'pw'))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(server.wire).toBe('');
    c.close();
  });
});
