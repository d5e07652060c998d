import { lastValueFrom } from 'rxjs';
import { CommandFailedError } from '../../src/core';
import { ImapArgumentError, type ImapClient } from '../../src/imap';
import { loggedIn, uniqueName } from './helpers';

describe('IMAP against Dovecot: mailboxes', () => {
  let c: ImapClient;
  beforeAll(async () => {
    c = await loggedIn('alice');
  });
  afterAll(async () => {
    await lastValueFrom(c.logout());
  });

  it('a mailbox named with non-ASCII characters, spaces, quotes and a backslash round-trips through CREATE, LIST, STATUS, RENAME, DELETE', async () => {
    const base = uniqueName('Entwürfe Ω "q"');
    const name = `${base} \\ 日本語 & co`;
    await lastValueFrom(c.create(name));
    const listed = await lastValueFrom(c.list('', '*'));
    const mine = listed.find((b) => b.name === name);
    expect(mine).toBeDefined();
    expect(mine!.rawName).not.toBe(name); // sent and listed as modified UTF-7
    expect(mine!.rawName).toMatch(/^[\x20-\x7e]+$/);
    const pattern = await lastValueFrom(c.list('', `${base}%`));
    expect(pattern.map((b) => b.name)).toEqual([name]);
    const st = await lastValueFrom(c.status(name, ['MESSAGES', 'UIDNEXT', 'UIDVALIDITY']));
    expect(st.MESSAGES).toBe(0);
    expect(st.UIDNEXT).toBe(1);
    const renamed = `${name} → renamed`;
    await lastValueFrom(c.rename(name, renamed));
    const after = (await lastValueFrom(c.list('', '*'))).map((b) => b.name);
    expect(after).toContain(renamed);
    expect(after).not.toContain(name);
    await lastValueFrom(c.delete(renamed));
    expect((await lastValueFrom(c.list('', '*'))).map((b) => b.name)).not.toContain(renamed);
  });

  it('SUBSCRIBE / LSUB / UNSUBSCRIBE with % and * wildcards', async () => {
    const parent = uniqueName('Parent');
    await lastValueFrom(c.create(`${parent}/Child`));
    await lastValueFrom(c.create(`${parent}/Child/Grandchild`));
    await lastValueFrom(c.subscribe(`${parent}/Child`));
    const subscribed = await lastValueFrom(c.lsub('', `${parent}/*`));
    expect(subscribed.map((b) => b.name)).toEqual([`${parent}/Child`]);
    const oneLevel = await lastValueFrom(c.list('', `${parent}/%`));
    expect(oneLevel.map((b) => b.name)).toEqual([`${parent}/Child`]);
    expect(oneLevel[0].delimiter).toBe('/');
    expect(oneLevel[0].flags).toContain('\\HasChildren');
    const anyDepth = await lastValueFrom(c.list('', `${parent}/*`));
    expect(anyDepth.map((b) => b.name).sort()).toEqual([`${parent}/Child`, `${parent}/Child/Grandchild`]);
    await lastValueFrom(c.unsubscribe(`${parent}/Child`));
    expect(await lastValueFrom(c.lsub('', `${parent}/*`))).toEqual([]);
  });

  it('SELECT and EXAMINE report counts, flags, UIDVALIDITY/UIDNEXT, HIGHESTMODSEQ and read-write mode', async () => {
    const name = uniqueName('Sel');
    await lastValueFrom(c.create(name));
    await lastValueFrom(c.append(name, 'Subject: one\r\n\r\n1\r\n'));
    await lastValueFrom(c.append(name, 'Subject: two\r\n\r\n2\r\n', { flags: ['\\Seen'] }));
    const sel = await lastValueFrom(c.select(name, { condstore: true }));
    expect(sel).toMatchObject({ name, exists: 2, readWrite: true, uidNext: 3, unseen: 1 });
    expect(sel.recent).toBeGreaterThanOrEqual(0);
    expect(sel.uidValidity).toBeGreaterThan(0);
    expect(sel.highestModseq).toBeGreaterThan(0);
    expect(sel.flags).toContain('\\Seen');
    expect(sel.permanentFlags).toContain('\\*');
    const ex = await lastValueFrom(c.examine(name));
    expect(ex.readWrite).toBe(false);
    expect(ex.exists).toBe(2);
    await lastValueFrom(c.check().pipe());
    await lastValueFrom(c.unselect());
  });

  it('NO from the server is a CommandFailedError; bad arguments never reach the wire', async () => {
    const err: unknown = await lastValueFrom(c.select(uniqueName('Missing'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect((err as CommandFailedError).status).toBe('NO');
    await expect(lastValueFrom(c.create('evil\r\nA1 DELETE INBOX'))).rejects.toBeInstanceOf(ImapArgumentError);
    await expect(lastValueFrom(c.status('INBOX\n', ['MESSAGES']))).rejects.toBeInstanceOf(ImapArgumentError);
    // the connection is still fine
    expect((await lastValueFrom(c.status('INBOX', ['MESSAGES']))).MESSAGES).toBeGreaterThanOrEqual(0);
  });
});
