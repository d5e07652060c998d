import { defaultIfEmpty, forkJoin, lastValueFrom, map, mergeMap, toArray } from 'rxjs';
import { BodyStructure, FetchMessage, parseInternalDate, Search, type ImapClient } from '../../src/imap';
import { loggedIn, message, uniqueName } from './helpers';

const multipart = [
  'From: "Carol \\"C\\" Example" <carol@example.org>',
  'To: alice@example.org, Bob <bob@example.org>',
  'Cc: undisclosed-recipients:;',
  'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= multipart',
  'Message-ID: <mp-1@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  '--outer',
  'Content-Type: multipart/alternative; boundary="inner"',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'plain body',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>html body</p>',
  '--inner--',
  '--outer',
  'Content-Type: application/octet-stream; name="a.bin"',
  'Content-Disposition: attachment; filename="a.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  'AAECAwQF',
  '--outer',
  'Content-Type: message/rfc822',
  '',
  'Subject: inner message',
  'From: dave@example.org',
  '',
  'inner text',
  '--outer--',
  '',
].join('\r\n');

describe('IMAP against Dovecot: messages', () => {
  let c: ImapClient;
  let box: string;
  let uids: number[];
  beforeAll(async () => {
    c = await loggedIn('alice');
    box = uniqueName('Msgs');
    await lastValueFrom(c.create(box));
    const a = await lastValueFrom(c.append(box, message('first', 'first body\r\n'), { flags: ['\\Flagged'], date: new Date('2024-02-03T04:05:06Z') }));
    const b = await lastValueFrom(c.append(box, multipart));
    const d = await lastValueFrom(c.append(box, message('Überraschung', 'umlaut body äöü\r\n'), { flags: ['$Important'] }));
    uids = [a, b, d].map((x) => Number(x!.uids));
    await lastValueFrom(c.select(box));
  });
  afterAll(async () => {
    await lastValueFrom(c.logout());
  });

  it('APPEND reports APPENDUID; FETCH UID/FLAGS/INTERNALDATE/RFC822.SIZE/ENVELOPE', async () => {
    expect(uids).toEqual([uids[0], uids[0] + 1, uids[0] + 2]);
    const msgs = await lastValueFrom(c.fetch('1:*', ['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE']).pipe(toArray()));
    expect(msgs.map((m) => m.seq)).toEqual([1, 2, 3]);
    for (const m of msgs) expect(FetchMessage.is(m)).toBe(true);
    expect(msgs[0].flags).toContain('\\Flagged');
    expect(parseInternalDate(msgs[0].internalDate!)?.toISOString()).toBe('2024-02-03T04:05:06.000Z');
    expect(msgs[0].size).toBeGreaterThan(150);
    const env = msgs[1].envelope!;
    expect(env.subject).toBe('=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= multipart');
    expect(env.from).toEqual([{ name: 'Carol "C" Example', adl: null, mailbox: 'carol', host: 'example.org' }]);
    expect(env.to?.map((a) => a.mailbox)).toEqual(['alice', 'bob']);
    expect(env.messageId).toBe('<mp-1@example.org>');
    expect(msgs[2].envelope?.subject).toBe('Überraschung');
  });

  it('BODYSTRUCTURE of nested multipart with message/rfc822, and the simplified BODY', async () => {
    const [m] = await lastValueFrom(c.fetchBodyStructure(uids[1], { uid: true }).pipe(toArray()));
    const bs = m.bodyStructure!;
    expect(BodyStructure.is(bs)).toBe(true);
    if (!bs.multipart) throw new Error('expected multipart');
    expect(bs.subtype).toBe('mixed');
    expect(bs.parameters).toEqual({ boundary: 'outer' });
    const [alt, bin, rfc] = bs.childNodes;
    expect(alt.multipart && alt.childNodes.map((p) => `${p.part} ${p.type}/${p.subtype}`)).toEqual(['1.1 text/plain', '1.2 text/html']);
    expect(!bin.multipart && bin.disposition).toEqual({ type: 'attachment', parameters: { filename: 'a.bin' } });
    expect(!bin.multipart && bin.encoding.toLowerCase()).toBe('base64');
    expect(rfc.part).toBe('3');
    expect(!rfc.multipart && rfc.envelope?.subject).toBe('inner message');
    const [s] = await lastValueFrom(c.fetchSimplifiedBody(uids[1], { uid: true }).pipe(toArray()));
    expect(s.body?.multipart).toBe(true);
  });

  it('fetchSpecific: HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME, part paths, peek, partial', async () => {
    const hdr = await lastValueFrom(c.fetchSpecific(uids[1], { text: 'HEADER.FIELDS', fields: ['Subject', 'Message-ID'], peek: true }, { uid: true }));
    expect(hdr.body?.toString()).toBe('Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= multipart\r\nMessage-ID: <mp-1@example.org>\r\n\r\n');
    const not = await lastValueFrom(c.fetchSpecific(uids[1], { text: 'HEADER.FIELDS.NOT', fields: ['Subject', 'To', 'Cc', 'From', 'Content-Type', 'MIME-Version'], peek: true }, { uid: true }));
    expect(not.body?.toString()).toBe('Message-ID: <mp-1@example.org>\r\n\r\n');
    const plain = await lastValueFrom(c.fetchSpecific(uids[1], { part: [1, 1], peek: true }, { uid: true }));
    expect(plain.body?.toString()).toBe('plain body');
    const mime = await lastValueFrom(c.fetchSpecific(uids[1], { part: '2', text: 'MIME', peek: true }, { uid: true }));
    expect(mime.body?.toString()).toContain('Content-Disposition: attachment');
    const inner = await lastValueFrom(c.fetchSpecific(uids[1], { part: '3', text: 'TEXT', peek: true }, { uid: true }));
    expect(inner.body?.toString()).toBe('inner text');
    const partial = await lastValueFrom(c.fetchSpecific(uids[0], { peek: true, partial: { offset: 6, length: 5 } }, { uid: true }));
    expect(partial.body?.toString()).toBe('Alice');
    const header = await lastValueFrom(c.fetchSpecific(uids[0], { text: 'HEADER', peek: true }, { uid: true }));
    expect(header.body?.toString()).toMatch(/^From: Alice <alice@example.org>\r\n[\s\S]*\r\n\r\n$/);
    const flags = await lastValueFrom(c.fetchFlags(uids[1], { uid: true }).pipe(toArray()));
    expect(flags[0].flags).not.toContain('\\Seen'); // peek did not set \Seen
  });

  it('whole-message shorthands: fetchMessage (sets \\Seen), fetchHeaders, fetchBody, fetchSize, fetchUid, fetchInternalDate, fetchEnvelope, fast/all/full macros', async () => {
    const whole = await lastValueFrom(c.fetchMessage(uids[2], { uid: true }));
    expect(whole.rfc822?.toString()).toContain('umlaut body äöü');
    expect((await lastValueFrom(c.fetchFlags(uids[2], { uid: true }))).flags).toContain('\\Seen');
    expect((await lastValueFrom(c.fetchHeaders(uids[0], { uid: true }))).rfc822Header?.toString()).toContain('Subject: first');
    expect((await lastValueFrom(c.fetchBody(uids[0], { uid: true }))).rfc822Text?.toString()).toBe('first body\r\n');
    expect((await lastValueFrom(c.fetchSize(1))).size).toBeGreaterThan(0);
    expect((await lastValueFrom(c.fetchUid(1))).uid).toBe(uids[0]);
    expect((await lastValueFrom(c.fetchInternalDate(1))).internalDate).toMatch(/2024/);
    expect((await lastValueFrom(c.fetchEnvelope(1))).envelope?.subject).toBe('first');
    const fast = await lastValueFrom(c.fetchFast(1));
    expect(fast).toEqual(expect.objectContaining({ flags: expect.any(Array), internalDate: expect.any(String), size: expect.any(Number) }));
    expect((await lastValueFrom(c.fetchAll(1))).envelope).toBeDefined();
    expect((await lastValueFrom(c.fetchFull(1))).body).toBeDefined();
  });

  it('SEARCH with the typed builder: and/or/not, UID, dates, sizes, keywords, headers, CHARSET UTF-8', async () => {
    expect(await lastValueFrom(c.search(Search.all()))).toEqual([1, 2, 3]);
    expect(await lastValueFrom(c.search(Search.flagged(), { uid: true }))).toEqual([uids[0]]);
    expect(await lastValueFrom(c.search(Search.or(Search.subject('first'), Search.keyword('$Important'))))).toEqual([1, 3]);
    expect(await lastValueFrom(c.search(Search.and(Search.not(Search.flagged()), Search.header('Message-ID', 'mp-1'))))).toEqual([2]);
    expect(await lastValueFrom(c.search(Search.subject('Überraschung')))).toEqual([3]);
    expect(await lastValueFrom(c.search(Search.body('äöü')))).toEqual([3]);
    expect(await lastValueFrom(c.search(Search.larger(600)))).toEqual([2]);
    expect(await lastValueFrom(c.search(Search.and(Search.since(new Date('2024-02-01')), Search.before(new Date('2024-02-05')))))).toEqual([1]);
    expect(await lastValueFrom(c.search(Search.uid(uids.slice(1)), { uid: true }))).toEqual(uids.slice(1));
    expect(await lastValueFrom(c.search(Search.from('carol"evil\\')))).toEqual([]);
  });

  it('STORE set/add/remove, .SILENT and UID STORE; the FETCH responses come back', async () => {
    const added = await lastValueFrom(c.addFlags(1, ['\\Answered', 'custom1']).pipe(toArray()));
    expect(added[0].flags).toEqual(expect.arrayContaining(['\\Answered', 'custom1', '\\Flagged']));
    const removed = await lastValueFrom(c.removeFlags(uids[0], ['custom1'], { uid: true }).pipe(toArray()));
    expect(removed[0].uid).toBe(uids[0]);
    expect(removed[0].flags).not.toContain('custom1');
    const silent = await lastValueFrom(c.setFlags(1, ['\\Seen'], { silent: true }).pipe(toArray()));
    expect(silent).toEqual([]);
    expect((await lastValueFrom(c.fetchFlags(1))).flags?.filter((f) => f !== '\\Recent')).toEqual(['\\Seen']);
  });

  it('COPY (COPYUID), MOVE, EXPUNGE, UID EXPUNGE, CLOSE', async () => {
    const dest = uniqueName('Dest');
    await lastValueFrom(c.create(dest));
    const copied = await lastValueFrom(c.copy(uids, dest, { uid: true }));
    expect(copied?.source).toBe(`${uids[0]}:${uids[2]}`);
    const other = await loggedIn('alice');
    const d = await lastValueFrom(other.select(dest));
    expect(d.exists).toBe(3);
    const moved = await lastValueFrom(other.move(1, box));
    expect(moved?.uidValidity).toBeGreaterThan(0);
    await lastValueFrom(other.addFlags('1', ['\\Deleted']));
    expect(await lastValueFrom(other.expunge())).toEqual([1]);
    const remaining = await lastValueFrom(other.fetchUid('1:*').pipe(toArray()));
    expect(remaining).toHaveLength(1);
    await lastValueFrom(other.addFlags(remaining[0].uid!, ['\\Deleted'], { uid: true }));
    expect(await lastValueFrom(other.uidExpunge(remaining[0].uid!))).toEqual([1]);
    expect((await lastValueFrom(other.select(dest))).exists).toBe(0);
    await lastValueFrom(other.closeMailbox());
    await lastValueFrom(other.logout());
  });

  it('CONDSTORE/QRESYNC: CHANGEDSINCE fetch, and SELECT (QRESYNC ...) reports VANISHED (EARLIER) and changed flags on unsolicited$', async () => {
    const q = await loggedIn('alice');
    const name = uniqueName('Qresync');
    await lastValueFrom(q.create(name));
    for (const s of ['a', 'b', 'c']) await lastValueFrom(q.append(name, message(s)));
    expect(await lastValueFrom(q.enable('QRESYNC'))).toContain('QRESYNC');
    const before = await lastValueFrom(q.select(name));
    expect(before.highestModseq).toBeGreaterThan(0);
    const all = await lastValueFrom(q.fetchUid('1:*').pipe(toArray()));
    await lastValueFrom(q.unselect());
    // changes made by someone else while we are away
    const other = await loggedIn('alice');
    await lastValueFrom(other.select(name));
    await lastValueFrom(other.addFlags(2, ['\\Flagged']));
    await lastValueFrom(other.addFlags(1, ['\\Deleted']));
    await lastValueFrom(other.expunge());
    await lastValueFrom(other.logout());
    const seen: string[] = [];
    const sub = q.unsolicited$.subscribe((r) => {
      if (r.kind === 'vanished') seen.push(`vanished ${r.earlier} ${r.uids}`);
      if (r.kind === 'fetch') seen.push(`fetch ${r.attributes.uid} ${r.attributes.flags?.includes('\\Flagged')} ${typeof r.attributes.modseq}`);
    });
    const after = await lastValueFrom(q.select(name, { qresync: { uidValidity: before.uidValidity!, modseq: before.highestModseq! } }));
    sub.unsubscribe();
    expect(after.exists).toBe(2);
    expect(after.highestModseq).toBeGreaterThan(before.highestModseq!);
    expect(seen).toEqual([`vanished true ${all[0].uid}`, `fetch ${all[1].uid} true number`]);
    const changed = await lastValueFrom(q.fetch('1:*', ['UID', 'FLAGS'], { uid: true, changedSince: before.highestModseq! }).pipe(toArray()));
    expect(changed.map((m) => [m.uid, typeof m.modseq])).toEqual([[all[1].uid, 'number']]);
    await lastValueFrom(q.logout());
  });

  it('commands issued from inside a running fetch (per message) do not deadlock (imapflow #110/#159)', async () => {
    const w = await loggedIn('alice');
    const name = uniqueName('Loop');
    await lastValueFrom(w.create(name));
    await lastValueFrom(forkJoin(Array.from({ length: 40 }, (_, i) => w.append(name, message(`loop ${i}`)))));
    await lastValueFrom(w.select(name));
    const flagged = await lastValueFrom(
      w.fetch('1:*', ['UID', 'ENVELOPE']).pipe(
        mergeMap((m) => w.addFlags(m.uid!, ['\\Flagged'], { uid: true, silent: true }).pipe(defaultIfEmpty(null), map(() => m.uid))),
        toArray(),
      ),
    );
    expect(flagged).toHaveLength(40);
    expect(await lastValueFrom(w.search(Search.flagged()))).toHaveLength(40);
    await lastValueFrom(w.logout());
  });

  it('pipelines many commands at once; tags are matched and unsolicited EXISTS reaches unsolicited$', async () => {
    const other = await loggedIn('alice');
    await lastValueFrom(other.select(box));
    const seen: string[] = [];
    const sub = other.unsolicited$.subscribe((r) => seen.push(r.kind));
    const results = await lastValueFrom(
      forkJoin([
        other.fetchUid('1:*').pipe(toArray()),
        other.status('INBOX', ['MESSAGES']),
        other.noop(),
        c.append(box, message('pipelined')),
        other.search(Search.all()),
        other.capability(true),
      ]),
    );
    expect(results[0].length).toBeGreaterThanOrEqual(3);
    expect(typeof results[1].MESSAGES).toBe('number');
    await lastValueFrom(other.noop());
    expect(seen).toContain('exists');
    sub.unsubscribe();
    await lastValueFrom(other.logout());
  });
});
