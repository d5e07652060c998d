import { parseResponse, Response, Tokenizer, type Frame } from '../../src/imap';
import { TokenizedFrame } from '../../src/imap/tokenizer';

/** The frames of `text` pushed as one chunk (so a frame with literals lies in one chunk: the raw form). */
function frames(text: string | Buffer): TokenizedFrame[] {
  const out: TokenizedFrame[] = [];
  const t = new Tokenizer({ frame: (f: Frame) => out.push(f as TokenizedFrame) });
  t.push(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return out;
}

/** The frame as a plain Frame: the parser reads its line form. */
const lineForm = (f: Frame): Frame => ({ tag: f.tag, line: f.line, literals: f.literals });

/** Buffers as hex, so results compare as JSON. */
const json = (r: Response) => JSON.stringify(r, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('hex') : v));

describe('parser: raw form (a frame read from its bytes) gives what the line form gives', () => {
  const cases: Array<[string, string | Buffer]> = [
    ['envelope with literal subject and name', '* 1 FETCH (UID 7 ENVELOPE ("d" {5}\r\nhello (({3}\r\nBob NIL "b" "x.org")) NIL NIL NIL NIL NIL NIL "<m@x>"))\r\n'],
    ['{0}, ~{N} and {N+}', '* 2 FETCH (BODY[1] {0}\r\n BINARY[2] ~{3}\r\nab\u0000 BODY[3] {2+}\r\nxy)\r\n'],
    ['LF-only line ends', '* 3 FETCH (BODY[] {3}\nabc UID 9)\n'],
    ['a literal holding CRLF, quotes and a marker', '* 4 FETCH (BODY[HEADER] {16}\r\n"a" {5}\r\nb\r\n\r\n FLAGS (\\Seen))\r\n'],
    ['8-bit UTF-8 in a literal only', '* 5 FETCH (ENVELOPE (NIL {7}\r\nGrüße NIL NIL NIL NIL NIL NIL NIL NIL))\r\n'],
    ['8-bit UTF-8 in a quoted string and a literal', '* 6 FETCH (ENVELOPE ("Grüße" {2}\r\nab NIL NIL NIL NIL NIL NIL NIL NIL))\r\n'],
    ['invalid UTF-8 around a literal', Buffer.concat([Buffer.from('* 7 FETCH (X-A "\xc3'), Buffer.from('" BODY[] {1}\r\n\xc3 X-B "\xa9\\\xa9")\r\n', 'latin1')])],
    ['a quoted string that runs into a literal marker', '* 8 FETCH (X-A "abc{2}\r\nx" UID 1)\r\n'],
    ['an atom that runs into a literal marker', '* 9 FETCH (X-A abc}{3}\r\nxyz UID 1)\r\n'],
    ['an escaped quoted string that runs into a literal marker', '* 9 FETCH (X-A "a\\"bc{2}\r\nx" UID 1)\r\n'],
    ['a marker not where a value starts', '* 10 FETCH (X-A ({3}\r\nabc) BODY[] x{2}\r\nab)\r\n'],
    ['a section spec across a literal', '* 11 FETCH (BODY[HEADER.FIELDS ("a{1}\r\nb")] {1}\r\nc)\r\n'],
    ['a partial origin across a literal', '* 12 FETCH (BODY[]<0{1}\r\n> {1}\r\nc)\r\n'],
    ['more literals than markers read', '* 13 FETCH (UID 1 X-A {1}\r\na X-B {1}\r\nb)\r\n'],
    ['a literal where a number is expected', '* 14 FETCH (UID {1}\r\n5)\r\n'],
    ['body structure with literal parameters, upper case', '* 15 FETCH (BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" {5}\r\nUTF-8) NIL NIL "BASE64" 10 1 NIL ("ATTACHMENT" ("FILENAME" {3}\r\na b)) ("EN") NIL))\r\n'],
    ['not a FETCH', '* LIST () "/" {5}\r\nINBOX\r\n'],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      const fs = frames(text);
      expect(fs.length).toBe(1);
      expect(fs[0].raw).toBeDefined();
      const viaRaw = parseResponse(fs[0]);
      expect(Response.is(viaRaw)).toBe(true);
      expect(json(viaRaw)).toBe(json(parseResponse(lineForm(fs[0]))));
    });
  }

  it('reads literal text and 8-bit text right in the raw form', () => {
    const [a] = frames(cases[0][1]);
    expect(parseResponse(a)).toMatchObject({ kind: 'fetch', seq: 1, attributes: { uid: 7, envelope: { subject: 'hello', from: [{ name: 'Bob', mailbox: 'b', host: 'x.org' }] } } });
    const [b] = frames(cases[5][1]);
    expect(parseResponse(b)).toMatchObject({ attributes: { envelope: { date: 'Grüße', subject: 'ab' } } });
    const [c] = frames(cases[1][1]);
    const r = parseResponse(c);
    if (r.kind !== 'fetch') throw new Error('fetch expected');
    expect(r.attributes.sections?.['1']?.length).toBe(0);
    expect(r.attributes.binary?.['2']?.toString('latin1')).toBe('ab\u0000');
    expect(r.attributes.sections?.['3']?.toString()).toBe('xy');
  });

  it('a frame split across chunks has no raw form and parses the same', () => {
    const text = Buffer.from(cases[0][1] as string);
    for (let cut = 1; cut < text.length; cut++) {
      const out: Response[] = [];
      const t = new Tokenizer({ frame: (f: Frame) => out.push(parseResponse(f)) });
      t.push(text.subarray(0, cut));
      t.push(text.subarray(cut));
      expect(json(out[0])).toBe(json(parseResponse(frames(text)[0])));
    }
  });

  it('a frame with a message body (literals over 2 KiB) keeps the line form: the body is not decoded as text', () => {
    const body = 'x'.repeat(4096);
    const [f] = frames(`* 16 FETCH (UID 3 BODY[] {${body.length}}\r\n${body})\r\n`);
    expect(f.raw).toBeUndefined();
    expect(parseResponse(f)).toMatchObject({ kind: 'fetch', attributes: { uid: 3, sections: { '': Buffer.from(body) } } });
  });

  it('line is put together on demand, with the markers and without the literals', () => {
    const [f] = frames(cases[0][1]);
    expect(f.line).toBe('1 FETCH (UID 7 ENVELOPE ("d" {5} (({3} NIL "b" "x.org")) NIL NIL NIL NIL NIL NIL "<m@x>"))');
    expect(f.literals.map((l) => l.toString())).toEqual(['hello', 'Bob']);
  });
});
