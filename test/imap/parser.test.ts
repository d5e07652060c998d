import fc from 'fast-check';
import { ProtocolViolationError } from '../../src/core';
import { parseResponse, Response, Tokenizer, type Frame } from '../../src/imap';
import { CAPTURED } from './fixtures';

function responses(chunks: Buffer[]): Response[] {
  const out: Response[] = [];
  const t = new Tokenizer({ frame: (f: Frame) => out.push(parseResponse(f)) });
  for (const c of chunks) t.push(c);
  return out;
}

describe('parser', () => {
  const all = responses([CAPTURED]);
  const byKind = (k: Response['kind']) => all.filter((r) => r.kind === k);

  it('every parsed response satisfies the Response codec', () => {
    for (const r of all) expect(Response.is(r)).toBe(true);
    expect(all.filter((r) => r.kind === 'unknown')).toEqual([{ kind: 'unknown', tag: '*', line: 'XUNKNOWN whatever (it is)', error: null }]);
  });

  it('greeting, tagged status and response codes', () => {
    expect(all[0]).toMatchObject({ kind: 'condition', status: 'OK', code: { name: 'CAPABILITY' }, text: 'Dovecot (Debian) ready.' });
    const tagged = byKind('tagged');
    expect(tagged.map((t) => t.kind === 'tagged' && [t.tag, t.status, t.code])).toEqual([
      ['A1', 'OK', expect.objectContaining({ name: 'CAPABILITY', capabilities: expect.arrayContaining(['IMAP4rev1', 'LITERAL+', 'COMPRESS=DEFLATE']) })],
      ['A2', 'OK', { name: 'READ-WRITE' }],
      ['A3', 'NO', { name: 'TRYCREATE' }],
      ['A4', 'OK', { name: 'APPENDUID', uidValidity: 1795436978, uids: '7' }],
      ['A5', 'OK', { name: 'COPYUID', uidValidity: 38505, source: '304,319:320', destination: '3956:3958' }],
      ['A6', 'NO', { name: 'AUTHENTICATIONFAILED' }],
    ]);
    const codes = byKind('condition').map((c) => c.kind === 'condition' && c.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        { name: 'PERMANENTFLAGS', flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\*'] },
        { name: 'UNSEEN', value: 1 },
        { name: 'UIDVALIDITY', value: 1795436978 },
        { name: 'UIDNEXT', value: 4 },
        { name: 'HIGHESTMODSEQ', value: 7 },
        { name: 'ALERT' },
      ]),
    );
    expect(all[all.length - 1]).toEqual({ kind: 'condition', status: 'BYE', code: null, text: 'Logging out' });
  });

  it('FETCH: UID, FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE, literal strings, BODY[section], MODSEQ, empty literal', () => {
    const [f1, f2, f3] = byKind('fetch');
    if (f1.kind !== 'fetch' || f2.kind !== 'fetch' || f3.kind !== 'fetch') throw new Error('kinds');
    expect(f1.seq).toBe(1);
    expect(f1.attributes).toMatchObject({ uid: 1, flags: ['\\Flagged', '\\Recent'], internalDate: '03-Feb-2024 04:05:06 +0000', size: 212 });
    expect(f1.attributes.envelope).toMatchObject({ subject: 'first', from: [{ name: 'Alice', adl: null, mailbox: 'alice', host: 'example.org' }], cc: null, messageId: '<m-1@example.org>' });
    expect(f1.attributes.bodyStructure).toMatchObject({ multipart: false, part: '1', type: 'text', subtype: 'plain', parameters: { charset: 'utf-8' }, size: 12, lines: 1 });
    expect(f2.attributes.envelope?.subject).toBe('Grüße "quoted" {5} and \\ \r\n');
    expect(f2.attributes.envelope?.date).toBeNull();
    expect(f2.attributes.envelope?.from?.[0].name).toBe('Carol "C" Example');
    expect(f2.attributes.sections?.['HEADER.FIELDS (SUBJECT)']?.toString()).toBe('Subject: {9}\r\nabc\r\n\r\n');
    expect(f2.attributes.modseq).toBe(5);
    expect(f3.attributes.sections?.['']?.length).toBe(0);
    expect(f3.attributes.flags).toEqual([]);
  });

  it('LIST (atom, literal and modified UTF-7 names, NIL delimiter), STATUS, SEARCH, ESEARCH, VANISHED, EXPUNGE, ENABLED, ID, NAMESPACE, FLAGS, continuation', () => {
    expect(byKind('list')).toEqual([
      { kind: 'list', command: 'LIST', flags: ['\\HasNoChildren', '\\Trash'], delimiter: '/', name: 'Trash', rawName: 'Trash' },
      { kind: 'list', command: 'LIST', flags: ['\\HasNoChildren'], delimiter: '/', name: 'with "quote" \\!', rawName: 'with "quote" \\!' },
      { kind: 'list', command: 'LIST', flags: ['\\Noselect'], delimiter: null, name: '日本語', rawName: '&ZeVnLIqe-' },
    ]);
    expect(byKind('status')).toEqual([{ kind: 'status', name: 'INBOX', rawName: 'INBOX', attributes: { MESSAGES: 3, UIDNEXT: 4, UNSEEN: 1 } }]);
    expect(byKind('search')).toEqual([{ kind: 'search', ids: [1, 3], modseq: 7 }]);
    expect(byKind('esearch')).toEqual([{ kind: 'esearch', tag: 'A9', uid: true, data: { min: 1, max: 3, count: 2, all: '1,3' } }]);
    expect(byKind('vanished')).toEqual([{ kind: 'vanished', earlier: true, uids: '41,43:116' }]);
    expect(byKind('expunge')).toEqual([{ kind: 'expunge', seq: 2 }]);
    expect(byKind('exists')).toEqual([{ kind: 'exists', count: 3 }]);
    expect(byKind('recent')).toEqual([{ kind: 'recent', count: 0 }]);
    expect(byKind('enabled')).toEqual([{ kind: 'enabled', capabilities: ['CONDSTORE', 'QRESYNC'] }]);
    expect(byKind('id')).toEqual([{ kind: 'id', params: { name: 'Dovecot', version: null } }]);
    expect(byKind('namespace')).toEqual([{ kind: 'namespace', personal: [{ prefix: '', delimiter: '/' }], other: null, shared: [{ prefix: '#shared/', delimiter: '/' }] }]);
    expect(byKind('flags')).toEqual([{ kind: 'flags', flags: ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] }]);
    expect(byKind('continuation')).toEqual([
      { kind: 'continuation', text: 'idling' },
      { kind: 'continuation', text: '' },
    ]);
  });

  it('parses the same at every split point of the captured bytes', () => {
    const expected = JSON.stringify(all);
    const bad: number[] = [];
    for (let i = 1; i < CAPTURED.length; i++) if (JSON.stringify(responses([CAPTURED.subarray(0, i), CAPTURED.subarray(i)])) !== expected) bad.push(i);
    expect(bad).toEqual([]);
  });

  it('BODYSTRUCTURE: nested multipart, message/rfc822 with its own multipart, extension data', () => {
    const line =
      '* 5 FETCH (BODYSTRUCTURE ((("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "US-ASCII") NIL NIL "QUOTED-PRINTABLE" 20 2 NIL ("inline" NIL) ("en" "de") "http://x") "ALTERNATIVE" ("BOUNDARY" "b1") NIL NIL NIL)' +
      '("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 400 (NIL "fwd" NIL NIL NIL NIL NIL NIL NIL NIL) (("TEXT" "PLAIN" NIL NIL NIL "7BIT" 5 1 NIL NIL NIL NIL)("IMAGE" "PNG" ("NAME" "a.png") "<id@x>" "pic" "BASE64" 100 "md5sum" ("attachment" ("FILENAME" "a.png")) NIL NIL) "MIXED" ("BOUNDARY" "b2") NIL NIL NIL) 12 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "b0") ("inline" NIL) NIL NIL 42 ("x" 1)))\r\n';
    const [r] = responses([Buffer.from(line)]);
    expect(Response.is(r)).toBe(true);
    if (r.kind !== 'fetch') throw new Error(r.kind);
    const bs = r.attributes.bodyStructure!;
    if (!bs.multipart) throw new Error('multipart expected');
    expect(bs).toMatchObject({ part: '', subtype: 'mixed', parameters: { boundary: 'b0' }, disposition: { type: 'inline', parameters: null }, extensions: [42, ['x', 1]] });
    const [alt, msg] = bs.childNodes;
    if (!alt.multipart || msg.multipart) throw new Error('shape');
    expect(alt.childNodes[1]).toMatchObject({ part: '1.2', encoding: 'quoted-printable', lines: 2, disposition: { type: 'inline', parameters: null }, language: ['en', 'de'], location: 'http://x' });
    expect(msg).toMatchObject({ part: '2', type: 'message', subtype: 'rfc822', lines: 12, envelope: { subject: 'fwd' } });
    const inner = msg.body!;
    if (!inner.multipart) throw new Error('inner multipart expected');
    expect(inner.part).toBe('2');
    expect(inner.childNodes.map((p) => p.part)).toEqual(['2.1', '2.2']);
    expect(inner.childNodes[1]).toMatchObject({ type: 'image', subtype: 'png', id: '<id@x>', description: 'pic', md5: 'md5sum', disposition: { type: 'attachment', parameters: { filename: 'a.png' } } });
  });

  it('is lenient where real servers are sloppy: unquoted strings, () for NIL parameters, NIL encoding', () => {
    const [r] = responses([Buffer.from('* 9 FETCH (BODYSTRUCTURE ("TEXT" PLAIN () NIL NIL NIL 10 1) ENVELOPE (NIL Hello NIL NIL NIL NIL NIL NIL NIL NIL))\r\n')]);
    if (r.kind !== 'fetch') throw new Error(JSON.stringify(r));
    expect(r.attributes.bodyStructure).toMatchObject({ type: 'text', subtype: 'plain', parameters: {}, encoding: '', size: 10, lines: 1 });
    expect(r.attributes.envelope?.subject).toBe('Hello');
    expect(Response.is(r)).toBe(true);
  });

  it('a response that does not parse becomes kind unknown with the reason, never an exception', () => {
    const [a, b, c] = responses([Buffer.from('* 1 FETCH (UID x)\r\n* LIST (\\X "/"\r\nA1 MAYBE so\r\n')]);
    expect(a).toMatchObject({ kind: 'unknown', tag: '*', error: expect.stringContaining('expected number') });
    expect(b).toMatchObject({ kind: 'unknown', tag: '*' });
    expect(c).toMatchObject({ kind: 'unknown', tag: 'A1' });
  });

  it('property: random printable responses never throw from the parser', () => {
    const piece = fc.constantFrom('(', ')', ' ', '"', '\\', 'NIL', '1', '{3}\r\nabc', '[', ']', 'FETCH', 'UID', 'BODY[', 'ENVELOPE', 'BODYSTRUCTURE', 'OK', 'LIST', '*', 'x');
    fc.assert(
      fc.property(fc.constantFrom('* ', '* 1 FETCH ', 'A1 ', '+ ', '* 2 '), fc.array(piece, { maxLength: 40 }), (start, pieces) => {
        const t = new Tokenizer({ frame: (f) => expect(Response.is(parseResponse(f))).toBe(true) }, { maxLineLength: 4000 });
        try {
          t.push(Buffer.from(`${start}${pieces.join('')}\r\n`));
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolViolationError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
