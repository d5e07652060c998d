/**
 * The bugs of issue #15, on both real servers:
 *  (a) another session's flag change leaking into a command's results,
 *  (b) EXPUNGE / UID EXPUNGE answering [] once QRESYNC turns EXPUNGE into VANISHED,
 *  (c) body-structure tokens in the server's case (Cyrus: "TEXT" "PLAIN" "BASE64", ("EN")),
 *  (d) found while writing these: once CONDSTORE is on, Dovecot follows a FETCH that sets
 *      \Seen with a second FETCH of the same message carrying only MODSEQ, and that second
 *      value is what a command's result ends with.
 */
import { lastValueFrom, toArray, type Subscription } from 'rxjs';
import type { FetchMessage, ImapClient, UntaggedResponse } from '../../src/imap';
import { loggedIn, logout, message, servers, uniqueName } from './servers';

const USER = 'regress';

/** The FETCH responses for message `seq` that reached `unsolicited$` while `run` ran, and run's result. */
async function watchingSeq<T>(c: ImapClient, seq: number, run: () => Promise<T>): Promise<[T, number]> {
  let n = 0;
  const sub: Subscription = c.unsolicited$.subscribe((r: UntaggedResponse) => {
    if (r.kind === 'fetch' && r.seq === seq) n++;
  });
  try {
    const result = await run();
    // the server may hold the update back until a later command (RFC 3501 §7): NOOP collects it
    await lastValueFrom(c.noop());
    return [result, n];
  } finally {
    sub.unsubscribe();
  }
}

describe.each(servers)('issue #15 regressions on %s', (_name, server) => {
  describe('(a) two sessions on INBOX: B flags message 3, A asks about message 1', () => {
    let a: ImapClient;
    let b: ImapClient;
    let uid1: number;
    beforeAll(async () => {
      a = await loggedIn(server, USER);
      b = await loggedIn(server, USER);
      const n = (await lastValueFrom(a.select('INBOX'))).exists;
      if (n > 0) {
        await lastValueFrom(a.addFlags('1:*', ['\\Deleted'], { silent: true }).pipe(toArray()));
        await lastValueFrom(a.expunge());
      }
      for (const s of ['one', 'two', 'three']) await lastValueFrom(a.append('INBOX', message(s)));
      await lastValueFrom(a.noop());
      uid1 = (await lastValueFrom(a.fetchUid(1))).uid!;
      expect((await lastValueFrom(b.select('INBOX'))).exists).toBe(3);
    });
    afterAll(async () => {
      await logout(a);
      await logout(b);
    });

    const flagThree = (mode: 'add' | 'remove') => lastValueFrom((mode === 'add' ? b.addFlags(3, ['\\Flagged']) : b.removeFlags(3, ['\\Flagged'])).pipe(toArray()));

    it('fetchEnvelope(1) emits message 1 with its envelope, nothing about message 3', async () => {
      await flagThree('add');
      const [got, toUnsolicited] = await watchingSeq(a, 3, () => lastValueFrom(a.fetchEnvelope(1).pipe(toArray())));
      expect(toUnsolicited).toBeGreaterThanOrEqual(1); // the server did tell A about message 3
      expect(got.map((m: FetchMessage) => [m.seq, m.envelope?.subject])).toEqual([[1, 'one']]);
    });

    it('UID fetchEnvelope(uid of 1) emits that UID only, never a value with uid undefined', async () => {
      await flagThree('remove');
      const [got, toUnsolicited] = await watchingSeq(a, 3, () => lastValueFrom(a.fetchEnvelope(uid1, { uid: true }).pipe(toArray())));
      expect(toUnsolicited).toBeGreaterThanOrEqual(1);
      expect(got.map((m: FetchMessage) => [m.uid, m.envelope?.subject])).toEqual([[uid1, 'one']]);
    });

    it('addFlags(1, ...) emits message 1 only', async () => {
      await flagThree('add');
      const [got, toUnsolicited] = await watchingSeq(a, 3, () => lastValueFrom(a.addFlags(1, ['$Checked']).pipe(toArray())));
      expect(toUnsolicited).toBeGreaterThanOrEqual(1);
      expect(got.map((m: FetchMessage) => m.seq)).toEqual([1]);
      expect(got[0].flags).toContain('$Checked');
    });
  });

  it('(b) with QRESYNC enabled, expunge() and uidExpunge() return the removed messages (VANISHED UIDs)', async () => {
    const c = await loggedIn(server, USER);
    try {
      const box = uniqueName('Vanish');
      await lastValueFrom(c.create(box));
      for (const s of ['a', 'b', 'c', 'd']) await lastValueFrom(c.append(box, message(s)));
      expect(await lastValueFrom(c.enable('QRESYNC'))).toContain('QRESYNC');
      await lastValueFrom(c.select(box));
      const uids = (await lastValueFrom(c.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid!);
      const vanished: string[] = [];
      // every untagged response (the VANISHED answers belong to the commands, so they are not unsolicited)
      const sub = c.untagged$.subscribe((r) => {
        if (r.kind === 'vanished') vanished.push(String(r.uids));
      });
      await lastValueFrom(c.addFlags('1:2', ['\\Deleted'], { silent: true }).pipe(toArray()));
      const expunged = await lastValueFrom(c.expunge());
      await lastValueFrom(c.addFlags(uids[3], ['\\Deleted'], { uid: true, silent: true }).pipe(toArray()));
      const uidExpunged = await lastValueFrom(c.uidExpunge(uids[3]));
      sub.unsubscribe();
      expect(vanished.length).toBeGreaterThanOrEqual(2); // the server did answer with VANISHED
      expect(expunged).toEqual([uids[0], uids[1]]);
      expect(uidExpunged).toEqual([uids[3]]);
      expect((await lastValueFrom(c.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid)).toEqual([uids[2]]);
    } finally {
      await logout(c);
    }
  });

  it('(c) BODYSTRUCTURE: type, subtype, encoding, parameter names, disposition type and language in lower case; values kept', async () => {
    const c = await loggedIn(server, USER);
    try {
      const box = uniqueName('Case');
      await lastValueFrom(c.create(box));
      const raw = [
        'From: a@example.org',
        'Subject: case',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="Outer-B"',
        '',
        '--Outer-B',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
        'Content-Language: en',
        'Content-Disposition: inline; filename="Report.TXT"',
        '',
        'aGVsbG8=',
        '--Outer-B--',
        '',
      ].join('\r\n');
      const uid = Number((await lastValueFrom(c.append(box, raw)))?.uids);
      await lastValueFrom(c.select(box));
      const bs = (await lastValueFrom(c.fetchBodyStructure(uid, { uid: true }))).bodyStructure;
      if (!bs?.multipart) throw new Error(`expected a multipart body structure, got ${JSON.stringify(bs)}`);
      expect([bs.type, bs.subtype, bs.parameters]).toEqual(['multipart', 'mixed', { boundary: 'Outer-B' }]);
      const leaf = bs.childNodes[0];
      if (leaf.multipart) throw new Error('expected a leaf');
      expect({ type: leaf.type, subtype: leaf.subtype, parameters: leaf.parameters, encoding: leaf.encoding, disposition: leaf.disposition, language: leaf.language }).toEqual({
        type: 'text',
        subtype: 'plain',
        parameters: { charset: 'utf-8' }, // charset names are case-insensitive (RFC 2046 §4.1.2): normalized too
        encoding: 'base64',
        disposition: { type: 'inline', parameters: { filename: 'Report.TXT' } },
        language: ['en'],
      });
    } finally {
      await logout(c);
    }
  });

  it('(d) with CONDSTORE on, a FETCH that sets \\Seen emits one value per message, carrying what was asked', async () => {
    const c = await loggedIn(server, USER);
    try {
      const box = uniqueName('Modseq');
      await lastValueFrom(c.create(box));
      for (const s of ['x', 'y', 'z']) await lastValueFrom(c.append(box, message(s, `${s} body\r\n`)));
      await lastValueFrom(c.select(box, { condstore: true }));
      const whole = await lastValueFrom(c.fetchMessage('1:2').pipe(toArray()));
      expect(whole.map((m) => [m.seq, m.rfc822?.toString().endsWith(`${m.seq === 1 ? 'x' : 'y'} body\r\n`)])).toEqual([
        [1, true],
        [2, true],
      ]);
      const text = await lastValueFrom(c.fetchBody(3).pipe(toArray()));
      expect(text.map((m) => [m.seq, m.rfc822Text?.toString()])).toEqual([[3, 'z body\r\n']]);
    } finally {
      await logout(c);
    }
  });
});
