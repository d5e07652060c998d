/** MULTIAPPEND (RFC 3502), binary APPEND (RFC 3516 literal8) and ID (RFC 2971) against Dovecot, which advertises all three. */
import { lastValueFrom, toArray } from 'rxjs';
import { expandSet } from '../../src/imap';
import { loggedIn, message, uniqueName } from './helpers';

describe('IMAP against Dovecot: MULTIAPPEND, binary APPEND, ID', () => {
  it('appendMany sends one APPEND with several messages (MULTIAPPEND) and reports their UIDs', async () => {
    const c = await loggedIn('alice');
    expect(c.hasCapability('MULTIAPPEND')).toBe(true);
    const name = uniqueName('Multi');
    await lastValueFrom(c.create(name));
    const res = await lastValueFrom(
      c.appendMany(name, [{ message: message('one') }, { message: message('two'), flags: ['\\Seen'] }, { message: message('three'), date: new Date(Date.UTC(2024, 1, 3, 4, 5, 6)) }]),
    );
    expect(res).not.toBeNull();
    expect(expandSet(res!.uids)).toHaveLength(3);
    await lastValueFrom(c.select(name));
    const got = await lastValueFrom(c.fetch('1:*', ['UID', 'ENVELOPE', 'FLAGS', 'INTERNALDATE']).pipe(toArray()));
    expect(got.map((m) => m.envelope?.subject)).toEqual(['one', 'two', 'three']);
    expect(got.map((m) => m.uid)).toEqual(expandSet(res!.uids));
    expect(got[1].flags).toContain('\\Seen');
    expect(got[2].internalDate).toBe('03-Feb-2024 04:05:06 +0000');
    await lastValueFrom(c.logout());
  });

  it('binary APPEND: a message with NUL bytes goes as a literal8 and is accepted', async () => {
    const c = await loggedIn('alice');
    expect(c.hasCapability('BINARY')).toBe(true);
    const name = uniqueName('Binary');
    await lastValueFrom(c.create(name));
    const body = Buffer.concat([Buffer.from(message('bin', ''), 'utf8'), Buffer.from([0x00, 0x01, 0xff, 0x00, 0x0d, 0x0a])]);
    const res = await lastValueFrom(c.append(name, body, { binary: true }));
    expect(res?.uids).toBeDefined();
    await lastValueFrom(c.select(name));
    const [m] = await lastValueFrom(c.fetch(1, ['RFC822.SIZE', 'ENVELOPE']).pipe(toArray()));
    expect(m.envelope?.subject).toBe('bin');
    expect(m.size).toBeGreaterThan(0);
    await lastValueFrom(c.logout());
  });

  it('ID sends ours and emits the server\'s parameters', async () => {
    const c = await loggedIn('alice');
    expect(c.hasCapability('ID')).toBe(true);
    const server = await lastValueFrom(c.id({ name: 'rxwire', version: 'test' }));
    expect(server?.name).toBe('Dovecot');
    expect(await lastValueFrom(c.id())).toMatchObject({ name: 'Dovecot' });
    await lastValueFrom(c.logout());
  });
});
