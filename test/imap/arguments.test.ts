import fc from 'fast-check';
import { decodeMailboxName, encodeMailboxName, ImapArgumentError, astring, mailbox, listPattern, quoted, sequenceSet, expandSet, Search } from '../../src/imap';

const text = (parts: readonly (string | { literal: unknown })[]) => parts.map((p) => (typeof p === 'string' ? p : `{literal:${Buffer.isBuffer(p.literal) ? p.literal.toString() : '?'}}`)).join('');

describe('modified UTF-7 (RFC 3501 §5.1.3)', () => {
  it('encodes and decodes the RFC examples and specials', () => {
    expect(encodeMailboxName('~peter/mail/台北/日本語')).toBe('~peter/mail/&U,BTFw-/&ZeVnLIqe-');
    expect(decodeMailboxName('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toBe('~peter/mail/台北/日本語');
    expect(encodeMailboxName('A&B')).toBe('A&-B');
    expect(decodeMailboxName('A&-B')).toBe('A&B');
    expect(encodeMailboxName('Entwürfe')).toBe('Entw&APw-rfe');
    expect(decodeMailboxName('&Jjo-!')).toBe('☺!');
    expect(encodeMailboxName('😀')).toBe('&2D3eAA-');
  });
  it('round-trips any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => expect(decodeMailboxName(encodeMailboxName(s))).toBe(s)), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => expect(encodeMailboxName(s)).toMatch(/^[\x20-\x7e]*$/)), { numRuns: 500 });
  });
});

describe('argument quoting', () => {
  it('atoms stay atoms; anything else is quoted (with escapes) or a literal', () => {
    expect(astring('alice')).toBe('alice');
    expect(astring('with space')).toBe('"with space"');
    expect(astring('q"uo\\te')).toBe('"q\\"uo\\\\te"');
    expect(astring('')).toBe('""');
    expect(astring('pässword')).toEqual({ literal: Buffer.from('pässword') });
    expect(quoted('x'.repeat(2000))).toEqual({ literal: Buffer.from('x'.repeat(2000)) });
    expect(mailbox('inbox')).toBe('INBOX');
    expect(mailbox('Entwürfe 2024')).toBe('"Entw&APw-rfe 2024"');
    expect(listPattern('Archive/%')).toBe('Archive/%');
    expect(listPattern('My Folders/*')).toBe('"My Folders/*"');
  });
  it('rejects CR, LF and NUL anywhere before anything is sent', () => {
    for (const bad of ['a\r\nb', 'a\nb', 'a\rb', 'a\0b']) {
      expect(() => astring(bad)).toThrow(ImapArgumentError);
      expect(() => quoted(bad)).toThrow(ImapArgumentError);
      expect(() => mailbox(bad)).toThrow(ImapArgumentError);
      expect(() => Search.subject(bad)).toThrow(ImapArgumentError);
    }
  });
  it('property: astring output never contains a raw CR/LF and quoted strings re-parse to the input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        if (/[\r\n\0]/.test(s)) return expect(() => astring(s)).toThrow(ImapArgumentError);
        const p = astring(s);
        if (typeof p !== 'string') return expect(Buffer.isBuffer(p.literal) && p.literal.toString('utf8')).toBe(s);
        expect(p).not.toMatch(/[\r\n]/);
        if (p.startsWith('"')) expect(p.slice(1, -1).replace(/\\(.)/g, '$1')).toBe(s);
        else expect(p).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
  it('sequence sets', () => {
    expect(sequenceSet([5, 1, 2, 3, 9, 10])).toBe('1:3,5,9:10');
    expect(sequenceSet('1:*')).toBe('1:*');
    expect(sequenceSet(7)).toBe('7');
    expect(() => sequenceSet('1:2 DELETE')).toThrow(ImapArgumentError);
    expect(() => sequenceSet([])).toThrow(ImapArgumentError);
    expect(expandSet('1:3,7,9:8')).toEqual([1, 2, 3, 7, 8, 9]);
  });
});

describe('SEARCH builder', () => {
  it('builds RFC 3501 syntax with and/or/not, dates and sizes', () => {
    const q = Search.and(Search.unseen(), Search.or(Search.from('alice'), Search.to('bob smith')), Search.not(Search.deleted()), Search.since(new Date('2024-01-05T10:00:00Z')), Search.larger(1000));
    expect(text(q.parts)).toBe('(UNSEEN OR FROM alice TO "bob smith" NOT DELETED SINCE 5-Jan-2024 LARGER 1000)');
    expect(q.nonAscii).toBe(false);
    expect(text(Search.or(Search.seen(), Search.flagged(), Search.draft()).parts)).toBe('OR SEEN OR FLAGGED DRAFT');
    expect(text(Search.not(Search.and(Search.seen(), Search.flagged())).parts)).toBe('NOT (SEEN FLAGGED)');
    expect(text(Search.header('X-Mailer', '').parts)).toBe('HEADER X-Mailer ""');
    expect(text(Search.uid([1, 2, 3, 10]).parts)).toBe('UID 1:3,10');
    const u = Search.subject('Grüße');
    expect(u.nonAscii).toBe(true);
    expect(text(u.parts)).toBe('SUBJECT {literal:Grüße}');
    expect(() => Search.keyword('bad flag')).toThrow(ImapArgumentError);
  });
});
