import fc from 'fast-check';
import { ProtocolViolationError } from '../../src/core';
import { Tokenizer, type Frame, type TokenizerLimits } from '../../src/imap';
import { CAPTURED } from './fixtures';

function tokenize(chunks: Buffer[], limits?: TokenizerLimits): Frame[] {
  const frames: Frame[] = [];
  const t = new Tokenizer({ frame: (f) => frames.push(f) }, limits);
  for (const c of chunks) t.push(c);
  return frames;
}

/** Frames as comparable plain values (literal bytes as hex). */
const plain = (fs: Frame[]) => fs.map((f) => ({ tag: f.tag, line: f.line, literals: f.literals.map((l) => l.toString('hex')) }));

describe('Tokenizer', () => {
  const whole = plain(tokenize([CAPTURED]));

  it('splits captured Dovecot bytes into frames with their literals', () => {
    expect(whole).toHaveLength(34);
    const fetch2 = whole.find((f) => f.line.startsWith('2 FETCH'))!;
    expect(fetch2.tag).toBe('*');
    expect(fetch2.literals.map((h) => Buffer.from(h, 'hex').toString('utf8'))).toEqual(['Grüße "quoted" {5} and \\ \r\n', 'Subject: {9}\r\nabc\r\n\r\n']);
    expect(fetch2.line).toBe('2 FETCH (UID 2 ENVELOPE (NIL {29} (("Carol \\"C\\" Example" NIL "carol" "example.org")) NIL NIL NIL NIL NIL NIL NIL) BODY[HEADER.FIELDS (SUBJECT)] {21} MODSEQ (5))');
    expect(whole.find((f) => f.line.startsWith('3 FETCH'))!.literals).toEqual(['']);
    expect(whole.filter((f) => f.tag === '+').map((f) => f.line)).toEqual(['idling', '']);
    expect(whole[whole.length - 1]).toEqual({ tag: '*', line: 'BYE Logging out', literals: [] });
  });

  it('gives the same frames for every single split point of the captured bytes', () => {
    const expected = JSON.stringify(whole);
    const mismatches: number[] = [];
    for (let i = 1; i < CAPTURED.length; i++) {
      if (JSON.stringify(plain(tokenize([CAPTURED.subarray(0, i), CAPTURED.subarray(i)]))) !== expected) mismatches.push(i);
    }
    expect(mismatches).toEqual([]);
    expect(CAPTURED.length).toBeGreaterThan(2000);
  });

  it('gives the same frames when fed one byte at a time and in random chunkings', () => {
    const bytes: Buffer[] = [];
    for (let i = 0; i < CAPTURED.length; i++) bytes.push(CAPTURED.subarray(i, i + 1));
    expect(plain(tokenize(bytes))).toEqual(whole);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: CAPTURED.length - 1 }), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(CAPTURED.subarray(prev, p));
          prev = p;
        }
        chunks.push(CAPTURED.subarray(prev));
        expect(plain(tokenize(chunks))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts LF-only line ends and {N+} literals', () => {
    const fs = tokenize([Buffer.from('* 1 FETCH (BODY[] {3+}\nabc)\n* 2 EXISTS\n')]);
    expect(plain(fs)).toEqual([
      { tag: '*', line: '1 FETCH (BODY[] {3+})', literals: [Buffer.from('abc').toString('hex')] },
      { tag: '*', line: '2 EXISTS', literals: [] },
    ]);
  });

  it('a status response ending in "{N}" (an echoed mailbox name) is not taken for a literal', () => {
    const fs = tokenize([Buffer.from('A1 NO Mailbox does not exist: evil{3}\r\n* 2 EXISTS\r\n* BYE bye {1}\r\nA2 OK done\r\n')]);
    expect(plain(fs)).toEqual([
      { tag: 'A1', line: 'NO Mailbox does not exist: evil{3}', literals: [] },
      { tag: '*', line: '2 EXISTS', literals: [] },
      { tag: '*', line: 'BYE bye {1}', literals: [] },
      { tag: 'A2', line: 'OK done', literals: [] },
    ]);
  });

  it('enforces the line limit with a ProtocolViolationError, and stays failed', () => {
    const t = new Tokenizer({ frame: () => undefined }, { maxLineLength: 100 });
    t.push(Buffer.from(`* OK ${'x'.repeat(90)}\r\n`));
    expect(() => t.push(Buffer.from(`* OK ${'x'.repeat(60)}`))).not.toThrow();
    expect(() => t.push(Buffer.from('y'.repeat(60)))).toThrow(ProtocolViolationError);
    expect(() => t.push(Buffer.from('\r\n'))).toThrow(ProtocolViolationError);
  });

  it('enforces the literal size limit before buffering, and rejects absurd sizes', () => {
    expect(() => tokenize([Buffer.from('* 1 FETCH (BODY[] {1001}\r\n')], { maxLiteralSize: 1000 })).toThrow(/literal of 1001 bytes/);
    expect(() => tokenize([Buffer.from('* 1 FETCH (BODY[] {99999999999999999999}\r\n')])).toThrow(ProtocolViolationError);
  });

  it('streams a big literal to the sink in chunks without holding it, and keeps framing after it', () => {
    const body = Buffer.alloc(300_000, 0x61);
    const input = Buffer.concat([Buffer.from('* 7 FETCH (UID 9 BODY[] {300000}\r\n'), body, Buffer.from(')\r\nA1 OK done\r\n')]);
    const chunks: Buffer[] = [];
    const prefixes: string[] = [];
    const frames: Frame[] = [];
    let ended = 0;
    const t = new Tokenizer(
      {
        frame: (f) => frames.push(f),
        streamLiteral: (prefix, size) => {
          prefixes.push(`${prefix}|${size}`);
          return true;
        },
        literalChunk: (c) => chunks.push(c),
        literalEnd: () => ended++,
      },
      { maxLiteralSize: 1000, streamMinSize: 100_000 },
    );
    for (let i = 0; i < input.length; i += 65536) t.push(input.subarray(i, i + 65536));
    expect(prefixes).toEqual(['* 7 FETCH (UID 9 BODY[] {300000}|300000']);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(65536);
    expect(ended).toBe(1);
    expect(frames.map((f) => [f.tag, f.line, f.literals.map((l) => l.length)])).toEqual([
      ['*', '7 FETCH (UID 9 BODY[] {300000})', [0]],
      ['A1', 'OK done', []],
    ]);
  });

  it('property: random bytes never crash or hang it: frames or a ProtocolViolationError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), fc.boolean(), (chunks, imapish) => {
        const frames: Frame[] = [];
        const t = new Tokenizer({ frame: (f) => frames.push(f) }, { maxLineLength: 64, maxLiteralSize: 128 });
        try {
          for (const c of chunks) {
            const b = Buffer.from(c);
            if (imapish) for (let i = 0; i < b.length; i++) if (b[i] % 7 === 0) b[i] = [0x7b, 0x7d, 0x0d, 0x0a, 0x20, 0x31, 0x2b][b[i] % 7];
            t.push(b);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolViolationError);
        }
        for (const f of frames) {
          expect(typeof f.tag).toBe('string');
          expect(Array.isArray(f.literals)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
