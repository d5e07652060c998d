/**
 * The ImapClient command surface (Twisted IMAP4Client's, plus UID variants) on
 * both real servers, asserting the same user-visible results. Where Dovecot
 * and Cyrus legitimately differ (RFC 3501 / 9051 leave it to the server), the
 * assertion is the set the RFC allows, said next to it.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { AuthenticationFailedError, CommandFailedError } from '../../src/core';
import { BodyStructure, FetchMessage, ImapClient, parseInternalDate, saslPlain, Search } from '../../src/imap';
import { clientOptions, loggedIn, logout, message, password, sansRecent, servers, uniqueName } from './servers';

const USER = 'interop';

const multipart = [
  'From: "Carol \\"C\\" Example" <carol@example.org>',
  'To: alice@example.org, Bob <bob@example.org>',
  'Subject: multipart',
  'Message-ID: <mp-1@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'plain body',
  '--outer',
  'Content-Type: application/octet-stream; name="a.bin"',
  'Content-Disposition: attachment; filename="a.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAwQF',
  '--outer--',
  '',
].join('\r\n');

/** Keys lower-cased: parameter names are case-insensitive (RFC 2045 §5.1), values are not. */
function lowerKeys(o: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

describe.each(servers)('IMAP command surface on %s', (_name, server) => {
  let c: ImapClient;
  beforeAll(async () => {
    c = await loggedIn(server, USER);
  });
  afterAll(async () => {
    await logout(c);
  });

  it('CAPABILITY, wrong LOGIN, AUTHENTICATE PLAIN, NOOP, LOGOUT, implicit TLS', async () => {
    const caps = await lastValueFrom(c.capability(true));
    for (const cap of ['IMAP4REV1', 'IDLE', 'UIDPLUS', 'MOVE', 'CONDSTORE', 'QRESYNC', 'NAMESPACE', 'ENABLE', 'UNSELECT']) {
      expect([cap, caps.map((x) => x.toUpperCase()).includes(cap)]).toEqual([cap, true]);
    }
    expect(c.secure).toBe(true); // upgraded with STARTTLS before LOGIN
    const wrong = new ImapClient(clientOptions(server));
    await lastValueFrom(wrong.connect());
    await expect(lastValueFrom(wrong.login(USER, 'not-the-password'))).rejects.toBeInstanceOf(AuthenticationFailedError);
    wrong.close();
    const sasl = new ImapClient(clientOptions(server));
    await lastValueFrom(sasl.connect());
    await lastValueFrom(sasl.authenticate(saslPlain(USER, password(USER))));
    expect(await lastValueFrom(sasl.noop())).toBeUndefined();
    expect((await lastValueFrom(sasl.status('INBOX', ['MESSAGES']))).MESSAGES).toBeGreaterThanOrEqual(0);
    await lastValueFrom(sasl.logout());
    expect(sasl.closed).toBe(true);
    const imaps = new ImapClient(clientOptions(server, { port: server.tlsPort, tls: 'implicit' }));
    await lastValueFrom(imaps.connect());
    expect(imaps.secure).toBe(true);
    await lastValueFrom(imaps.login(USER, password(USER)));
    await lastValueFrom(imaps.logout());
  });

  it('NAMESPACE: personal "" with "/"; other users and shared are the server\'s choice', async () => {
    const ns = await lastValueFrom(c.namespace());
    expect(ns.personal).toEqual([{ prefix: '', delimiter: '/' }]);
    // RFC 2342: NIL or a list (Cyrus lists "Other Users/" and "Shared Folders/", this Dovecot NIL)
    for (const other of [ns.other, ns.shared]) {
      expect(other === null || other.every((n) => typeof n.prefix === 'string' && n.delimiter === '/')).toBe(true);
    }
  });

  it('CREATE, LIST, STATUS, RENAME, DELETE with a non-ASCII name (modified UTF-7 on the wire)', async () => {
    // a server may refuse names with some characters (RFC 3501 §5.1): Cyrus refuses `"` and `\`
    const base = uniqueName('Entwürfe Ω');
    const name = `${base} 日本語 & co`;
    await lastValueFrom(c.create(name));
    const mine = (await lastValueFrom(c.list('', '*'))).find((b) => b.name === name);
    expect(mine?.rawName).toMatch(/^[\x20-\x7e]+$/);
    expect(mine?.rawName).not.toBe(name);
    expect((await lastValueFrom(c.list('', `${base}%`))).map((b) => b.name)).toEqual([name]);
    expect(await lastValueFrom(c.status(name, ['MESSAGES', 'UIDNEXT', 'UNSEEN']))).toEqual({ MESSAGES: 0, UIDNEXT: 1, UNSEEN: 0 });
    const renamed = `${name} → renamed`;
    await lastValueFrom(c.rename(name, renamed));
    const after = (await lastValueFrom(c.list('', `${base}*`))).map((b) => b.name);
    expect(after).toEqual([renamed]);
    await lastValueFrom(c.delete(renamed));
    expect(await lastValueFrom(c.list('', `${base}*`))).toEqual([]);
    const err: unknown = await lastValueFrom(c.select(uniqueName('Missing'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect((err as CommandFailedError).status).toBe('NO');
  });

  it('hierarchy: LIST % and *, \\HasChildren, SUBSCRIBE / LSUB / UNSUBSCRIBE', async () => {
    const parent = uniqueName('Parent');
    await lastValueFrom(c.create(`${parent}/Child`));
    await lastValueFrom(c.create(`${parent}/Child/Grandchild`));
    const oneLevel = await lastValueFrom(c.list('', `${parent}/%`));
    expect(oneLevel.map((b) => b.name)).toEqual([`${parent}/Child`]);
    expect(oneLevel[0].delimiter).toBe('/');
    expect(oneLevel[0].flags.map((f) => f.toLowerCase())).toContain('\\haschildren');
    expect((await lastValueFrom(c.list('', `${parent}/*`))).map((b) => b.name).sort()).toEqual([`${parent}/Child`, `${parent}/Child/Grandchild`]);
    await lastValueFrom(c.subscribe(`${parent}/Child`));
    expect((await lastValueFrom(c.lsub('', `${parent}/*`))).map((b) => b.name)).toEqual([`${parent}/Child`]);
    await lastValueFrom(c.unsubscribe(`${parent}/Child`));
    expect(await lastValueFrom(c.lsub('', `${parent}/*`))).toEqual([]);
  });

  describe('messages', () => {
    let box: string;
    let uids: number[];
    beforeAll(async () => {
      box = uniqueName('Msgs');
      await lastValueFrom(c.create(box));
      const a = await lastValueFrom(c.append(box, message('first', 'first body\r\n'), { flags: ['\\Flagged'], date: new Date('2024-02-03T04:05:06Z') }));
      const b = await lastValueFrom(c.append(box, multipart));
      // 8-bit header text is not RFC 5322 (Cyrus turns it into "X"s, munge8bit): an encoded word
      const d = await lastValueFrom(c.append(box, message('=?UTF-8?Q?=C3=9Cberraschung?=', 'umlaut body äöü\r\n'), { flags: ['$Important'] }));
      uids = [a, b, d].map((x) => Number(x?.uids));
    });

    it('APPEND (APPENDUID), STATUS, SELECT / EXAMINE with CONDSTORE, CHECK', async () => {
      expect(uids).toEqual([uids[0], uids[0] + 1, uids[0] + 2]);
      const st = await lastValueFrom(c.status(box, ['MESSAGES', 'UIDNEXT', 'UNSEEN', 'UIDVALIDITY']));
      expect(st).toMatchObject({ MESSAGES: 3, UIDNEXT: uids[2] + 1, UNSEEN: 3 });
      const ex = await lastValueFrom(c.examine(box));
      expect(ex).toMatchObject({ exists: 3, readWrite: false, uidValidity: st.UIDVALIDITY });
      // CONDSTORE in another session: once enabled, Dovecot adds a FETCH (MODSEQ) after each
      // FETCH that sets \Seen (see regressions.test.ts)
      const other = await loggedIn(server, USER);
      const cond = await lastValueFrom(other.select(box, { condstore: true }));
      expect(cond.highestModseq).toBeGreaterThan(0);
      await logout(other);
      const sel = await lastValueFrom(c.select(box));
      expect(sel).toMatchObject({ name: box, exists: 3, readWrite: true, uidNext: uids[2] + 1, unseen: 1 });
      expect(sel.flags).toEqual(expect.arrayContaining(['\\Seen', '\\Flagged', '\\Deleted']));
      expect(sel.permanentFlags).toContain('\\*');
      expect(await lastValueFrom(c.check())).toBeUndefined();
    });

    it('FETCH UID/FLAGS/INTERNALDATE/RFC822.SIZE/ENVELOPE and the shorthands', async () => {
      const msgs = await lastValueFrom(c.fetch('1:*', ['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']).pipe(toArray()));
      expect(msgs.map((m) => [m.seq, m.uid])).toEqual([
        [1, uids[0]],
        [2, uids[1]],
        [3, uids[2]],
      ]);
      for (const m of msgs) expect(FetchMessage.is(m)).toBe(true);
      expect(sansRecent(msgs[0].flags)).toEqual(['\\Flagged']);
      expect(sansRecent(msgs[2].flags)).toEqual(['$Important']);
      expect(parseInternalDate(msgs[0].internalDate!)?.toISOString()).toBe('2024-02-03T04:05:06.000Z');
      expect(msgs[1].envelope?.from).toEqual([{ name: 'Carol "C" Example', adl: null, mailbox: 'carol', host: 'example.org' }]);
      expect(msgs[1].envelope?.to?.map((a) => a.mailbox)).toEqual(['alice', 'bob']);
      expect(msgs[1].envelope?.messageId).toBe('<mp-1@example.org>');
      expect(msgs[2].envelope?.subject).toBe('=?UTF-8?Q?=C3=9Cberraschung?=');
      expect((await lastValueFrom(c.fetchUid(2))).uid).toBe(uids[1]);
      expect((await lastValueFrom(c.fetchSize(1))).size).toBe(msgs[0].size);
      expect((await lastValueFrom(c.fetchInternalDate(1))).internalDate).toBe(msgs[0].internalDate);
      expect((await lastValueFrom(c.fetchEnvelope(uids[0], { uid: true }))).envelope?.subject).toBe('first');
      expect((await lastValueFrom(c.fetchHeaders(uids[0], { uid: true }))).rfc822Header?.toString()).toMatch(/^From: Alice <alice@example.org>\r\n[\s\S]*Subject: first\r\n[\s\S]*\r\n\r\n$/);
      expect((await lastValueFrom(c.fetchBody(uids[0], { uid: true }))).rfc822Text?.toString()).toBe('first body\r\n');
      expect(await lastValueFrom(c.fetchFast(1))).toEqual(expect.objectContaining({ flags: expect.any(Array), internalDate: msgs[0].internalDate, size: msgs[0].size }));
      expect((await lastValueFrom(c.fetchAll(1))).envelope?.subject).toBe('first');
      expect((await lastValueFrom(c.fetchFull(1))).body).toBeDefined();
    });

    it('BODYSTRUCTURE and BODY: same structure on both (tokens compared case-insensitively here)', async () => {
      const [m] = await lastValueFrom(c.fetchBodyStructure(uids[1], { uid: true }).pipe(toArray()));
      const bs = m.bodyStructure!;
      expect(BodyStructure.is(bs)).toBe(true);
      if (!bs.multipart) throw new Error('expected multipart');
      expect(bs.subtype.toLowerCase()).toBe('mixed');
      expect(lowerKeys(bs.parameters)).toEqual({ boundary: 'outer' });
      const [text, bin] = bs.childNodes;
      expect(text.multipart || [text.part, text.type.toLowerCase(), text.subtype.toLowerCase(), lowerKeys(text.parameters)]).toEqual(['1', 'text', 'plain', { charset: 'utf-8' }]);
      if (bin.multipart) throw new Error('expected a leaf');
      expect([bin.part, bin.encoding.toLowerCase(), bin.disposition?.type.toLowerCase(), lowerKeys(bin.disposition?.parameters)]).toEqual(['2', 'base64', 'attachment', { filename: 'a.bin' }]);
      const [s] = await lastValueFrom(c.fetchSimplifiedBody(uids[1], { uid: true }).pipe(toArray()));
      expect(s.body?.multipart).toBe(true);
    });

    it('fetchSpecific: HEADER.FIELDS(.NOT), TEXT, MIME, part paths, partial, peek; fetchMessage sets \\Seen', async () => {
      const hdr = await lastValueFrom(c.fetchSpecific(uids[1], { text: 'HEADER.FIELDS', fields: ['Subject', 'Message-ID'], peek: true }, { uid: true }));
      expect(hdr.body?.toString()).toBe('Subject: multipart\r\nMessage-ID: <mp-1@example.org>\r\n\r\n');
      const not = await lastValueFrom(c.fetchSpecific(uids[1], { text: 'HEADER.FIELDS.NOT', fields: ['Subject', 'To', 'From', 'Content-Type', 'MIME-Version'], peek: true }, { uid: true }));
      expect(not.body?.toString()).toBe('Message-ID: <mp-1@example.org>\r\n\r\n');
      expect((await lastValueFrom(c.fetchSpecific(uids[1], { part: [1], peek: true }, { uid: true }))).body?.toString()).toBe('plain body');
      expect((await lastValueFrom(c.fetchSpecific(uids[1], { part: '2', text: 'MIME', peek: true }, { uid: true }))).body?.toString()).toContain('Content-Disposition: attachment');
      expect((await lastValueFrom(c.fetchSpecific(uids[0], { text: 'TEXT', peek: true }, { uid: true }))).body?.toString()).toBe('first body\r\n');
      expect((await lastValueFrom(c.fetchSpecific(uids[0], { peek: true, partial: { offset: 6, length: 5 } }, { uid: true }))).body?.toString()).toBe('Alice');
      expect(sansRecent((await lastValueFrom(c.fetchFlags(uids[1], { uid: true }))).flags)).toEqual([]); // peek left \Seen alone
      expect((await lastValueFrom(c.fetchMessage(uids[2], { uid: true }))).rfc822?.toString()).toContain('umlaut body äöü');
      expect(sansRecent((await lastValueFrom(c.fetchFlags(uids[2], { uid: true }))).flags)).toEqual(['$Important', '\\Seen']);
    });

    it('SEARCH and UID SEARCH: flags, or/not, header, UTF-8 text, size, dates, UID sets', async () => {
      expect(await lastValueFrom(c.search(Search.all()))).toEqual([1, 2, 3]);
      expect(await lastValueFrom(c.search(Search.flagged(), { uid: true }))).toEqual([uids[0]]);
      expect(await lastValueFrom(c.search(Search.or(Search.subject('first'), Search.keyword('$Important'))))).toEqual([1, 3]);
      expect(await lastValueFrom(c.search(Search.and(Search.not(Search.flagged()), Search.header('Message-ID', 'mp-1'))))).toEqual([2]);
      expect(await lastValueFrom(c.search(Search.subject('Überraschung')))).toEqual([3]);
      expect(await lastValueFrom(c.search(Search.body('äöü')))).toEqual([3]);
      expect(await lastValueFrom(c.search(Search.larger(450)))).toEqual([2]);
      expect(await lastValueFrom(c.search(Search.and(Search.since(new Date('2024-02-01')), Search.before(new Date('2024-02-05')))))).toEqual([1]);
      expect(await lastValueFrom(c.search(Search.uid(uids.slice(1)), { uid: true }))).toEqual(uids.slice(1));
      expect(await lastValueFrom(c.search(Search.from('nobody-matches')))).toEqual([]);
    });
  });

  it('STORE set/add/remove and UID STORE answer with the stored flags; .SILENT sends none or only those asked for', async () => {
    const box = uniqueName('Store');
    await lastValueFrom(c.create(box));
    for (const s of ['a', 'b']) await lastValueFrom(c.append(box, message(s)));
    await lastValueFrom(c.select(box));
    const [u1] = (await lastValueFrom(c.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid!);
    const added = await lastValueFrom(c.addFlags(1, ['\\Answered', 'custom1']).pipe(toArray()));
    expect(added.map((m) => [m.seq, sansRecent(m.flags)])).toEqual([[1, ['\\Answered', 'custom1']]]);
    const removed = await lastValueFrom(c.removeFlags(u1, ['custom1'], { uid: true }).pipe(toArray()));
    expect(removed.map((m) => [m.seq, m.uid, sansRecent(m.flags)])).toEqual([[1, u1, ['\\Answered']]]);
    const set = await lastValueFrom(c.setFlags(1, ['\\Flagged']).pipe(toArray()));
    expect(set.map((m) => [m.seq, sansRecent(m.flags)])).toEqual([[1, ['\\Flagged']]]);
    // RFC 3501 §6.4.6: with .SILENT the server SHOULD NOT send FETCH (Dovecot sends none; Cyrus, in
    // its sessions with CONDSTORE, sends FETCH FLAGS MODSEQ): what comes back is about message 1 only
    const silent = await lastValueFrom(c.setFlags(1, ['\\Seen'], { silent: true }).pipe(toArray()));
    expect(silent.every((m) => m.seq === 1)).toBe(true);
    expect(sansRecent((await lastValueFrom(c.fetchFlags(1))).flags)).toEqual(['\\Seen']);
    expect(sansRecent((await lastValueFrom(c.fetchFlags(2))).flags)).toEqual([]);
    await lastValueFrom(c.unselect());
  });

  it('COPY / UID COPY (COPYUID), MOVE, EXPUNGE, UID EXPUNGE, CLOSE', async () => {
    const box = uniqueName('Src');
    const dest = uniqueName('Dest');
    await lastValueFrom(c.create(box));
    await lastValueFrom(c.create(dest));
    for (const s of ['a', 'b', 'c']) await lastValueFrom(c.append(box, message(s)));
    await lastValueFrom(c.select(box));
    const uids = (await lastValueFrom(c.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid!);
    const copied = await lastValueFrom(c.copy(uids, dest, { uid: true }));
    expect(copied?.source).toBe(`${uids[0]}:${uids[2]}`);
    expect(copied?.uidValidity).toBe((await lastValueFrom(c.status(dest, ['UIDVALIDITY']))).UIDVALIDITY);
    expect((await lastValueFrom(c.copy(1, dest)))?.source).toBe(String(uids[0]));
    const moved = await lastValueFrom(c.move(3, dest));
    expect(moved?.source).toBe(String(uids[2]));
    expect((await lastValueFrom(c.status(dest, ['MESSAGES']))).MESSAGES).toBe(5);
    expect((await lastValueFrom(c.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid)).toEqual(uids.slice(0, 2));
    await lastValueFrom(c.addFlags(1, ['\\Deleted'], { silent: true }).pipe(toArray()));
    expect(await lastValueFrom(c.expunge())).toEqual([1]);
    await lastValueFrom(c.addFlags(uids[1], ['\\Deleted'], { uid: true, silent: true }).pipe(toArray()));
    expect(await lastValueFrom(c.uidExpunge(uids[1]))).toEqual([1]);
    expect((await lastValueFrom(c.select(dest))).exists).toBe(5);
    await lastValueFrom(c.addFlags('1:2', ['\\Deleted'], { silent: true }).pipe(toArray()));
    await lastValueFrom(c.closeMailbox()); // CLOSE expunges silently
    expect((await lastValueFrom(c.status(dest, ['MESSAGES']))).MESSAGES).toBe(3);
    expect((await lastValueFrom(c.status(box, ['MESSAGES']))).MESSAGES).toBe(0);
  });
});
