// Body-structure case normalization (issue 15): the tokens MIME defines as case-insensitive are
// lower-cased so Cyrus (upper case) and Dovecot (lower case) give the same values; case-sensitive
// values are kept as sent.
import { parseResponse, Response, Tokenizer, type BodyStructure } from '../../src/imap';

function bodyOf(line: string): BodyStructure {
  const out: Response[] = [];
  const t = new Tokenizer({ frame: (f) => out.push(parseResponse(f)) });
  t.push(Buffer.from(line));
  expect(out).toHaveLength(1);
  const [r] = out;
  expect(Response.is(r)).toBe(true);
  if (r.kind !== 'fetch' || !r.attributes.bodyStructure) throw new Error(JSON.stringify(r));
  return r.attributes.bodyStructure;
}

describe('body structure case', () => {
  it('RFC 3501 §7.4.2 example (upper-case tokens) is lower-cased; the id, description and name value are kept', () => {
    // https://www.rfc-editor.org/rfc/rfc3501#section-7.4.2 (BODYSTRUCTURE example)
    const bs = bodyOf(
      '* 12 FETCH (BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") "<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED"))\r\n',
    );
    expect(bs).toEqual({
      multipart: true,
      part: '',
      type: 'multipart',
      subtype: 'mixed',
      childNodes: [
        { multipart: false, part: '1', type: 'text', subtype: 'plain', parameters: { charset: 'us-ascii' }, id: null, description: null, encoding: '7bit', size: 1152, lines: 23 },
        {
          multipart: false,
          part: '2',
          type: 'text',
          subtype: 'plain',
          parameters: { charset: 'us-ascii', name: 'cc.diff' },
          id: '<960723163407.20117h@cac.washington.edu>',
          description: 'Compiler diff',
          encoding: 'base64',
          size: 4554,
          lines: 73,
        },
      ],
    });
  });

  // Cyrus-style: upper-case type/subtype/encoding/parameter names/disposition, ("EN") language
  // (as observed against Cyrus in issue 15); the same message as Dovecot sends it, lower case.
  const cyrus =
    '* 1 FETCH (BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "UTF-8" "FORMAT" "flowed") NIL NIL "QUOTED-PRINTABLE" 20 1 NIL ("INLINE" NIL) ("EN") NIL)' +
    '("APPLICATION" "PDF" ("NAME" "Q3 Report.PDF") "<Part2.ABC@Example.COM>" "Quarterly Report" "BASE64" 3000 "Md5SumAbC" ("ATTACHMENT" ("FILENAME" "Q3 Report.PDF" "SIZE" "3000")) ("EN-US" "DE") "HTTP://Example.COM/Q3")' +
    ' "MIXED" ("BOUNDARY" "==Boundary_AbC==") ("INLINE" NIL) ("EN") NIL))\r\n';
  const dovecot =
    '* 1 FETCH (BODYSTRUCTURE (("text" "plain" ("charset" "utf-8" "format" "flowed") NIL NIL "quoted-printable" 20 1 NIL ("inline" NIL) ("en") NIL)' +
    '("application" "pdf" ("name" "Q3 Report.PDF") "<Part2.ABC@Example.COM>" "Quarterly Report" "base64" 3000 "Md5SumAbC" ("attachment" ("filename" "Q3 Report.PDF" "size" "3000")) ("en-us" "de") "HTTP://Example.COM/Q3")' +
    ' "mixed" ("boundary" "==Boundary_AbC==") ("inline" NIL) ("en") NIL))\r\n';

  it('a Cyrus-style upper-case body structure equals the Dovecot-style lower-case one', () => {
    expect(bodyOf(cyrus)).toEqual(bodyOf(dovecot));
  });

  it('normalizes type, subtype, encoding, parameter names, charset, disposition type and language; keeps boundary, filename, name, id, description, md5, location', () => {
    const bs = bodyOf(cyrus);
    if (!bs.multipart) throw new Error('multipart expected');
    expect(bs).toMatchObject({ subtype: 'mixed', parameters: { boundary: '==Boundary_AbC==' }, disposition: { type: 'inline', parameters: null }, language: ['en'] });
    const [text, pdf] = bs.childNodes;
    expect(text).toMatchObject({ type: 'text', subtype: 'plain', encoding: 'quoted-printable', parameters: { charset: 'utf-8', format: 'flowed' }, language: ['en'] });
    expect(pdf).toMatchObject({
      type: 'application',
      subtype: 'pdf',
      encoding: 'base64',
      parameters: { name: 'Q3 Report.PDF' },
      id: '<Part2.ABC@Example.COM>',
      description: 'Quarterly Report',
      md5: 'Md5SumAbC',
      disposition: { type: 'attachment', parameters: { filename: 'Q3 Report.PDF', size: '3000' } },
      language: ['en-us', 'de'],
      location: 'HTTP://Example.COM/Q3',
    });
  });

  it('a single language string (not a list) and message/rfc822 parts are normalized too', () => {
    const bs = bodyOf(
      '* 2 FETCH (BODYSTRUCTURE ("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 300 (NIL "Fwd" NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "HTML" ("Charset" "ISO-8859-1") NIL NIL "8BIT" 100 4 NIL NIL "FR-CA" NIL) 9 NIL ("INLINE" NIL) "EN" NIL))\r\n',
    );
    expect(bs).toMatchObject({ type: 'message', subtype: 'rfc822', encoding: '7bit', language: ['en'], envelope: { subject: 'Fwd' } });
    if (bs.multipart) throw new Error('single part expected');
    expect(bs.body).toMatchObject({ type: 'text', subtype: 'html', encoding: '8bit', parameters: { charset: 'iso-8859-1' }, language: ['fr-ca'] });
  });
});
