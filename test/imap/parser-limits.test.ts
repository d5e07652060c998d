// Hostile-input limits of the IMAP tokenizer and parser (issue 19): literal floods are charged
// against the frame limit, nesting is bounded, modified UTF-7 decoding stays correct on
// pathological names (its linear time is measured in bench/linearity-imap.ts, not here).
import { ProtocolViolationError } from '../../src/core';
import { decodeMailboxName, encodeMailboxName, parseResponse, Response, Tokenizer, type Frame, type TokenizerLimits } from '../../src/imap';
import { LITERAL_OVERHEAD } from '../../src/imap/tokenizer';
import { MAX_NESTING } from '../../src/imap/parser/reader';

/** Feeds `pieces` one by one; returns the frames and how many pieces went in before a ProtocolViolationError (if any). */
function feed(pieces: Buffer[], limits?: TokenizerLimits): { frames: Frame[]; failedAt: number | undefined; error: unknown } {
  const frames: Frame[] = [];
  const t = new Tokenizer({ frame: (f) => frames.push(f) }, limits);
  for (let i = 0; i < pieces.length; i++) {
    try {
      t.push(pieces[i]);
    } catch (error) {
      return { frames, failedAt: i, error };
    }
  }
  return { frames, failedAt: undefined, error: undefined };
}

const repeat = (head: string, seg: string, n: number, tail = ')\r\n') => [Buffer.from(head), ...Array.from({ length: n }, () => Buffer.from(seg)), Buffer.from(tail)];

describe('tokenizer limits against literal floods', () => {
  it('{0} literals count against maxFrameSize: 1 MiB of them does not pass a 1,000-byte limit', () => {
    const n = (1024 * 1024) / 5;
    const { failedAt, error, frames } = feed(repeat('* 1 FETCH (X-A {0}\r\n', ' {0}\r\n', n), { maxFrameSize: 1000, maxLiteralsPerFrame: 1e9 });
    expect(error).toBeInstanceOf(ProtocolViolationError);
    expect((error as Error).message).toMatch(/1000-byte limit/);
    expect(frames).toEqual([]);
    // refused as soon as the charged bytes pass the limit, not after reading the flood
    expect(failedAt).toBeLessThanOrEqual(Math.ceil(1000 / LITERAL_OVERHEAD) + 1);
  });

  it('{1} literals are charged their heap overhead: the frame limit acts long before the heap grows past it', () => {
    const limit = 1024 * 1024;
    const { failedAt, error } = feed(repeat('* 1 FETCH (X-A {1}\r\n', 'x {1}\r\n', 1_000_000), { maxFrameSize: limit, maxLiteralsPerFrame: 1e9 });
    expect(error).toBeInstanceOf(ProtocolViolationError);
    // each literal buffered costs ≥ LITERAL_OVERHEAD of the limit, so at most limit / overhead of them are held
    expect(failedAt).toBeGreaterThan(0);
    expect(failedAt!).toBeLessThanOrEqual(limit / LITERAL_OVERHEAD);
  });

  it('bounds the literals per frame (default 4096), {0} and streamed ones included', () => {
    const flood = feed(repeat('* 1 FETCH (X-A {0}\r\n', ' {0}\r\n', 10_000));
    expect(flood.error).toBeInstanceOf(ProtocolViolationError);
    expect((flood.error as Error).message).toMatch(/more than 4096 literals/);
    expect(flood.failedAt).toBe(4096);
    const few = feed(repeat('* 1 FETCH (X-A {0}\r\n', ' {0}\r\n', 10), { maxLiteralsPerFrame: 11 });
    expect(few.error).toBeUndefined();
    expect(few.frames).toHaveLength(1);
    expect(few.frames[0].literals).toHaveLength(11);
    const streamed = new Tokenizer(
      { frame: () => undefined, streamLiteral: () => true, literalChunk: () => undefined },
      { maxLiteralsPerFrame: 3, streamMinSize: 1 },
    );
    expect(() => streamed.push(Buffer.from('* 1 FETCH (A {1}\r\nx B {1}\r\nx C {1}\r\nx D {1}\r\nx)\r\n'))).toThrow(/more than 3 literals/);
  });

  it('a frame within the limits still parses, and a limit error leaves the tokenizer failed', () => {
    const ok = feed([Buffer.from(`* 1 FETCH (BODY[1] {2}\r\nab BODY[2] {0}\r\n BODY[3] {3}\r\nxyz)\r\n`)], { maxFrameSize: 4 * LITERAL_OVERHEAD });
    expect(ok.error).toBeUndefined();
    expect(ok.frames[0].literals.map(String)).toEqual(['ab', '', 'xyz']);
    const t = new Tokenizer({ frame: () => undefined }, { maxFrameSize: 100 });
    expect(() => t.push(Buffer.from('* 1 FETCH (A {0}\r\n {0}\r\n'))).toThrow(ProtocolViolationError);
    expect(() => t.push(Buffer.from('* 2 EXISTS\r\n'))).toThrow(ProtocolViolationError);
  });
});

function parseOne(text: string): Response {
  const out: Response[] = [];
  const t = new Tokenizer({ frame: (f) => out.push(parseResponse(f)) }, { maxLineLength: 1 << 22 });
  t.push(Buffer.from(text));
  expect(out).toHaveLength(1);
  return out[0];
}

describe('parser nesting limit', () => {
  const deepBody = (levels: number) => `${'('.repeat(levels)}"text" "plain" NIL NIL NIL "7bit" 1 1)${' "mixed")'.repeat(levels - 1)}`;

  it(`a BODYSTRUCTURE nested 4,000 levels is an unknown response with the reason, not a stack overflow`, () => {
    for (const levels of [4000, 200_000]) {
      const r = parseOne(`* 1 FETCH (UID 5 BODYSTRUCTURE ${deepBody(levels)})\r\n`);
      expect(r).toMatchObject({ kind: 'unknown', tag: '*', error: expect.stringContaining(`at most ${MAX_NESTING} levels of nesting`) });
      expect(Response.is(r)).toBe(true);
    }
  });

  it('a list value nested 4,000 levels (FETCH extension item, ESEARCH, NAMESPACE, body extension) is an unknown response too', () => {
    const deep = `${'('.repeat(4000)}x${')'.repeat(4000)}`;
    for (const line of [`* 1 FETCH (X-GM-LABELS ${deep})`, `* ESEARCH (TAG "A1") X-EXT ${deep}`, `* NAMESPACE (("" "/" X-EXT ${deep})) NIL NIL`, `* 1 FETCH (BODYSTRUCTURE ("text" "plain" NIL NIL NIL "7bit" 1 1 NIL NIL NIL NIL ${deep}))`]) {
      expect(parseOne(`${line}\r\n`)).toMatchObject({ kind: 'unknown', error: expect.stringContaining('levels of nesting') });
    }
  });

  it('nesting within the limit parses (a 30-level multipart tree)', () => {
    const r = parseOne(`* 1 FETCH (BODYSTRUCTURE ${deepBody(30)})\r\n`);
    if (r.kind !== 'fetch') throw new Error(JSON.stringify(r));
    let node = r.attributes.bodyStructure!;
    let depth = 1;
    while (node.multipart) {
      node = node.childNodes[0];
      depth++;
    }
    expect(depth).toBe(30);
    expect(node).toMatchObject({ type: 'text', part: Array(29).fill('1').join('.') });
  });

  it('parseResponse never throws, whatever the frame holds', () => {
    const frames: Frame[] = [
      { tag: '*', line: '1 FETCH (BODY[] {3})', literals: [] },
      { tag: '*', line: `LIST () "/" {5}`, literals: [] },
      { tag: 'A1', line: '', literals: [] },
      { tag: '*', line: '', literals: [] },
    ];
    for (const f of frames) expect(Response.is(parseResponse(f))).toBe(true);
  });
});

describe('modified UTF-7 on pathological names', () => {
  it('a 64 KiB name of "&" (no shift ever closes) is kept as sent', () => {
    const amps = '&'.repeat(64 * 1024);
    expect(decodeMailboxName(amps)).toBe(amps);
    const r = parseOne(`* LIST () "/" {${amps.length}}\r\n${amps}\r\n`);
    expect(r).toMatchObject({ kind: 'list', name: amps, rawName: amps });
  });

  it('decodes like RFC 3501 §5.1.3 says, malformed shifts kept as sent', () => {
    expect(decodeMailboxName('~peter/mail/&U,BTFw-/&ZeVnLIqe-')).toBe('~peter/mail/台北/日本語');
    expect(decodeMailboxName('&-&-x&-')).toBe('&&x&');
    expect(decodeMailboxName('a&&&-b&ZeVnLIqe-')).toBe('a&&&-b日本語');
    expect(decodeMailboxName('&*x-&ZeVnLIqe-&')).toBe('&*x-日本語&');
    expect(decodeMailboxName('&-'.repeat(10_000))).toBe('&'.repeat(10_000));
    for (const name of ['Entwürfe', '日本語/&x', '😀 emoji', 'plain', '&', 'a-b&c-']) expect(decodeMailboxName(encodeMailboxName(name))).toBe(name);
  });
});

describe('frames and keys from the server', () => {
  it('a frame\'s literals are views of the pushed bytes, made on first access, the same across chunk splits', () => {
    const input = Buffer.from('* 1 FETCH (BODY[1] {5}\r\nhello BODY[2] {0}\r\n BODY[3] {4}\r\nw\u00f6r)\r\n');
    for (const cut of [0, 20, 27, 30, 45, input.length - 3]) {
      const frames: Frame[] = [];
      const t = new Tokenizer({ frame: (f) => frames.push(f) });
      if (cut > 0) t.push(input.subarray(0, cut));
      t.push(input.subarray(cut));
      expect(frames).toHaveLength(1);
      const [f] = frames;
      expect(f.literals.map((l) => l.toString('utf8'))).toEqual(['hello', '', 'wör']);
      expect(f.literals).toBe(f.literals); // made once
      expect(JSON.parse(JSON.stringify(f))).toMatchObject({ tag: '*', line: '1 FETCH (BODY[1] {5} BODY[2] {0} BODY[3] {4})' });
      const r = parseResponse(f);
      if (r.kind !== 'fetch') throw new Error(r.kind);
      expect(Object.fromEntries(Object.entries(r.attributes.sections ?? {}).map(([k, v]) => [k, v?.toString('utf8')]))).toEqual({ '1': 'hello', '2': '', '3': 'wör' });
    }
  });

  it('a plain object frame (not from the Tokenizer) parses the same', () => {
    const r = parseResponse({ tag: '*', line: 'LIST () "/" {5}', literals: [Buffer.from('a&-b&')] });
    expect(r).toEqual({ kind: 'list', command: 'LIST', flags: [], delimiter: '/', name: 'a&b&', rawName: 'a&-b&' });
  });

  it('"__proto__" as a body parameter or ID field name is an own property, not a prototype change', () => {
    const r = parseOne('* 1 FETCH (BODYSTRUCTURE ("text" "plain" ("__proto__" "x" "charset" "UTF-8") NIL NIL "7bit" 1 1))\r\n');
    if (r.kind !== 'fetch' || !r.attributes.bodyStructure) throw new Error(JSON.stringify(r));
    const params = r.attributes.bodyStructure.parameters!;
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.keys(params)).toEqual(['__proto__', 'charset']);
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBe('x');
    const id = parseOne('* ID ("__proto__" NIL "name" "Cyrus")\r\n');
    if (id.kind !== 'id' || !id.params) throw new Error(JSON.stringify(id));
    expect(Object.getPrototypeOf(id.params)).toBe(Object.prototype);
    expect(Object.keys(id.params)).toEqual(['__proto__', 'name']);
    expect(Response.is(id)).toBe(true);
  });
});
