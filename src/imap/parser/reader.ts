/**
 * A cursor over one frame: the response text plus its literals. Each method
 * reads one IMAP syntax element (RFC 3501 §9) and throws `SyntaxError` with
 * the position when the text does not match; the response parser turns that
 * into an `unknown` response, never into a stream error.
 *
 * Nesting is bounded: a parenthesised value (list, body structure) more than
 * `MAX_NESTING` levels deep is a ParseError, so hostile input cannot overflow
 * the stack.
 */
import { TokenizedFrame, type Frame } from '../tokenizer';
import type { ImapValue } from '../codecs/value';

export class ParseError extends Error {}

/** Deepest parenthesis nesting the parser follows in one response (a MIME tree of real mail stays far below). */
export const MAX_NESTING = 100;

/** toLowerCase without allocating when there is nothing to change (servers mostly send lower case). */
export function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return s.toLowerCase();
  }
  return s;
}

/** toUpperCase without allocating when there is nothing to change. */
export function upper(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return s.toUpperCase();
  }
  return s;
}

/**
 * `obj[key] = value` for a key the server chose: a `__proto__` key becomes an own
 * property instead of replacing the object's prototype.
 */
export function put<V>(obj: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * A fixed set of words matched case-insensitively in place (no slice, no case
 * conversion): `match` returns the table's own constant, folded to one case.
 */
export class WordTable {
  /** By length * 32 + (first character's code & 31): lower-case forms, and what to return for each. */
  private readonly keys: string[][] = [];
  private readonly values: string[][] = [];
  constructor(words: readonly string[], upperCase: boolean) {
    for (const w of words) {
      const key = w.toLowerCase();
      const slot = key.length * 32 + (key.charCodeAt(0) & 31);
      (this.keys[slot] ??= []).push(key);
      (this.values[slot] ??= []).push(upperCase ? w.toUpperCase() : key);
    }
  }
  /** The word equal to s[start, end) ignoring ASCII case, or undefined. */
  match(s: string, start: number, end: number): string | undefined {
    if (end <= start) return undefined;
    const slot = (end - start) * 32 + (s.charCodeAt(start) & 31);
    const keys = this.keys[slot];
    if (keys === undefined) return undefined;
    const values = this.values[slot];
    const n = end - start;
    next: for (let k = 0; k < keys.length; k++) {
      // servers mostly send one case: compare exactly, fold case only from the first difference on
      const value = values[k];
      let j = 0;
      while (j < n && s.charCodeAt(start + j) === value.charCodeAt(j)) j++;
      if (j === n) return value;
      const key = keys[k];
      for (; j < n; j++) {
        let c = s.charCodeAt(start + j);
        if (c - 0x41 < 26 && c >= 0x41) c += 0x20; // A-Z → a-z
        if (c !== key.charCodeAt(j)) continue next;
      }
      return value;
    }
    return undefined;
  }
}

/** Tokens servers send in every body structure, returned lower case. */
const KNOWN_TOKENS = new WordTable(
  [
    'text', 'plain', 'html', 'multipart', 'mixed', 'alternative', 'related', 'signed', 'report', 'application', 'image', 'audio',
    'video', 'message', 'rfc822', 'global', 'delivery-status', 'octet-stream', 'pdf', 'png', 'jpeg', 'gif', 'calendar', 'zip',
    '7bit', '8bit', 'binary', 'base64', 'quoted-printable', 'charset', 'boundary', 'name', 'filename', 'format', 'delsp', 'method',
    'type', 'size', 'creation-date', 'modification-date', 'inline', 'attachment', 'protocol', 'micalg', 'report-type', 'utf-8', 'us-ascii',
  ],
  false,
);

/** A literal's bytes as UTF-8 text, calling Node's decoder directly (`toString` adds argument checks). */
function literalText(b: Buffer): string {
  return b.length === 0 ? '' : (b as unknown as { utf8Slice(start: number, end: number): string }).utf8Slice(0, b.length);
}

/** A frame's `raw` bytes as Latin-1 text: one character per byte, the cheapest decoding, and for ASCII also the UTF-8 text. */
function rawText(raw: ReadonlyArray<Buffer | number>): string {
  return (raw[0] as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(raw[1] as number, raw[raw.length - 1] as number);
}

/** True if the Latin-1 text `s` is all ASCII (its UTF-8 length is its length). */
function ascii(s: string): boolean {
  return Buffer.byteLength(s, 'utf8') === s.length;
}

/**
 * Reads one frame. Two forms of the same text:
 * - line form: `s` is the frame's `line` (literal markers in place, literals apart);
 * - raw form (a TokenizedFrame with `raw`): `s` is the frame's bytes as they came,
 *   one character per byte (Latin-1), literals inline after their markers. `end`
 *   bounds the text up to the next literal marker; reading a literal moves on to
 *   the text after it. Nothing may be read across a bound, and when the frame has
 *   bytes over 0x7f a string value outside literals that holds one fails (literals
 *   are then decoded as UTF-8 from the chunk). So a raw reading either gives what
 *   the line form gives or fails, and the caller then reads the line form.
 */
export class Reader {
  i = 0;
  /** Where the text the reader may read now ends: `s.length`, or in raw form the end of the next literal marker. */
  end: number;
  private li = 0;
  private depth = 0;
  /** A backslash position in `s` (-1: not looked for yet; `s.length`: none after the last look), see `quoted`. */
  private bs = -1;
  readonly s: string;
  /** The tokenizer's frame type, when it is one: literals read straight from the chunks. */
  private readonly tokenized: TokenizedFrame | undefined;
  /** Raw form: the text segments (buffer, start, end); `base` is where `s` starts in the chunk. */
  private readonly segs: ReadonlyArray<Buffer | number> | undefined;
  private readonly base: number;
  /** Raw form with bytes over 0x7f outside the literals: text values must be ASCII. */
  private readonly latin: boolean = false;
  /** Raw form with bytes over 0x7f: literals are decoded as UTF-8 from the chunk. */
  private readonly latinLiterals: boolean = false;
  constructor(
    private readonly frame: Frame,
    raw?: string,
  ) {
    this.tokenized = frame instanceof TokenizedFrame ? frame : undefined;
    if (raw !== undefined && this.tokenized !== undefined && this.tokenized.raw !== undefined) {
      const segs = this.tokenized.raw;
      this.segs = segs;
      this.base = segs[1] as number;
      this.s = raw;
      this.end = (segs[2] as number) - this.base;
      const high = Buffer.byteLength(raw, 'utf8') - raw.length;
      if (high > 0) {
        // bytes over 0x7f (each one UTF-8 byte more): when all are in literals, text values are still ASCII
        let inLiterals = 0;
        for (let k = 0; k < this.tokenized.literalCount; k++) {
          const start = this.tokenized.literalStart(k) - this.base;
          const end = this.tokenized.literalEnd(k) - this.base;
          if (end > start) inLiterals += Buffer.byteLength(raw.slice(start, end), 'utf8') - (end - start);
        }
        this.latin = inLiterals !== high;
        this.latinLiterals = true;
      }
    } else {
      this.segs = undefined;
      this.base = 0;
      this.s = frame.line;
      this.end = this.s.length;
    }
  }

  /** A reader of the frame's raw form, or undefined when it has none usable (see the class comment). */
  static raw(frame: TokenizedFrame): Reader | undefined {
    if (frame.raw === undefined) return undefined;
    return new Reader(frame, rawText(frame.raw));
  }

  /** `s.slice(start, end)` as a string value (raw form with 8-bit bytes: fails unless it is ASCII). */
  text(start: number, end: number): string {
    const v = this.s.slice(start, end);
    if (this.latin && !ascii(v)) this.fail('ASCII text');
    return v;
  }

  /** Fails if position `i` is at a bound inside the frame (raw form: the text goes on after a literal). */
  cut(i: number): void {
    if (i >= this.end && this.end !== this.s.length) this.fail('text that does not run into a literal');
  }

  get done(): boolean {
    return this.i >= this.end;
  }
  peek(): number {
    return this.s.charCodeAt(this.i);
  }
  fail(what: string): never {
    throw new ParseError(`expected ${what} at ${this.i}: ${JSON.stringify(this.s.slice(this.i, this.i + 24))}`);
  }
  expect(code: number, what: string): void {
    if (this.s.charCodeAt(this.i) !== code) this.fail(what);
    this.i++;
  }
  sp(): void {
    if (this.s.charCodeAt(this.i) !== 0x20) this.fail('space');
    this.i++;
  }
  /** Skips spaces; true if any. */
  skipSp(): boolean {
    const start = this.i;
    while (this.s.charCodeAt(this.i) === 0x20) this.i++;
    return this.i > start;
  }
  rest(): string {
    if (this.end !== this.s.length) this.fail('end of line');
    const r = this.s.slice(this.i);
    this.i = this.s.length;
    return r;
  }
  /** An atom-like run: up to space, parentheses, `]` or end (flags like `\Seen` and `\*` included). */
  atom(): string {
    const start = this.i;
    return this.text(start, this.skipAtom());
  }
  /** Skips an atom (see `atom`) without slicing it; returns its end (the new position). */
  skipAtom(): number {
    const s = this.s;
    const start = this.i;
    const end = this.end;
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x28 || c === 0x29 || c === 0x5d || c === 0x5b || c === 0x22 || c === 0x7b) break;
    }
    if (i === start) this.fail('atom');
    if (i === end) this.cut(i);
    this.i = i;
    return i;
  }
  number(): number {
    const s = this.s;
    const start = this.i;
    const end = this.end;
    let n = 0;
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
    }
    if (i === start) this.fail('number');
    this.i = i;
    return n;
  }
  isNil(): boolean {
    const s = this.s;
    const i = this.i;
    const c = s.charCodeAt(i);
    if ((c === 0x4e || c === 0x6e) && (s.charCodeAt(i + 1) | 0x20) === 0x69 && (s.charCodeAt(i + 2) | 0x20) === 0x6c) {
      const d = s.charCodeAt(i + 3);
      if (d !== d || d === 0x20 || d === 0x29 || d === 0x28 || d === 0x5d) {
        this.i = i + 3;
        return true;
      }
    }
    return false;
  }
  quoted(): string {
    const s = this.s;
    const open = this.i;
    // the closing quote and the next backslash are found with indexOf (no per-character loop);
    // the backslash position is kept for the whole line, as most lines have none
    const close = s.indexOf('"', open + 1);
    if (close === -1 || close >= this.end) return this.fail('closing quote');
    let bs = this.bs;
    if (bs <= open) bs = this.nextBackslash(open + 1);
    if (bs < close) return this.escapedQuoted(open, bs);
    this.i = close + 1;
    return this.text(open + 1, close);
  }
  /** The first backslash at or after `from` (the line's length if none), remembered for later strings. */
  private nextBackslash(from: number): number {
    const at = this.s.indexOf('\\', from);
    this.bs = at === -1 ? this.s.length : at;
    return this.bs;
  }
  private escapedQuoted(open: number, firstEscape: number): string {
    const s = this.s;
    const n = this.end;
    // runs between escapes are appended as slices, not character by character
    let out = s.slice(open + 1, firstEscape);
    let i = firstEscape;
    for (;;) {
      // at a backslash: take the escaped character
      if (i + 1 >= n) this.fail('escaped character');
      const run = i + 1;
      i += 2;
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c === 0x22 || c === 0x5c) break;
        i++;
      }
      if (i >= n) this.fail('closing quote');
      out += s.slice(run, i);
      if (s.charCodeAt(i) === 0x22) break;
    }
    this.i = i + 1;
    if (this.latin && !ascii(out)) this.fail('ASCII text');
    return out;
  }
  /**
   * A string holding a case-insensitive token (MIME type, subtype, encoding,
   * parameter name), lower-cased. Common tokens come back as shared constants
   * without allocating.
   */
  token(): string {
    const s = this.s;
    const open = this.i;
    if (s.charCodeAt(open) === 0x22) {
      const close = s.indexOf('"', open + 1);
      if (close !== -1 && close < this.end) {
        let bs = this.bs;
        if (bs <= open) bs = this.nextBackslash(open + 1);
        if (bs > close) {
          const known = KNOWN_TOKENS.match(s, open + 1, close);
          this.i = close + 1;
          return known ?? lower(this.text(open + 1, close));
        }
      }
    }
    return lower(this.string());
  }
  /** At `{` or `~{`: skips the marker and returns the index of the next literal. */
  private literalIndex(): number {
    const s = this.s;
    if (s.charCodeAt(this.i) === 0x7e) this.i++;
    const close = s.indexOf('}', this.i);
    if (s.charCodeAt(this.i) !== 0x7b || close === -1) this.fail('literal');
    const count = this.tokenized !== undefined ? this.tokenized.literalCount : this.frame.literals.length;
    const segs = this.segs;
    if (segs === undefined) {
      this.i = close + 1;
      if (this.li >= count) this.fail('literal bytes');
      return this.li++;
    }
    // raw form: the marker must be the one that ends this text; the text after the literal comes next
    if (close !== this.end - 1 || this.li >= count) this.fail('literal');
    const k = this.li++;
    this.i = (segs[3 * k + 4] as number) - this.base;
    this.end = (segs[3 * k + 5] as number) - this.base;
    return k;
  }
  /** At `{` or `~{`: skips the marker and returns the next literal's bytes. */
  literal(): Buffer {
    const k = this.literalIndex();
    return this.tokenized !== undefined ? this.tokenized.literalBytes(k) : this.frame.literals[k];
  }
  /** At `{` or `~{`: skips the marker and returns the next literal as UTF-8 text. */
  literalString(): string {
    const k = this.literalIndex();
    const t = this.tokenized;
    if (t === undefined) return literalText(this.frame.literals[k]);
    if (this.segs === undefined || this.latinLiterals) return t.literalText(k);
    // raw form: the literal is in `s` (a {0} literal has no bytes there)
    const start = t.literalStart(k);
    const end = t.literalEnd(k);
    return end === start ? '' : this.s.slice(start - this.base, end - this.base);
  }
  isLiteralStart(): boolean {
    const c = this.s.charCodeAt(this.i);
    return c === 0x7b || (c === 0x7e && this.s.charCodeAt(this.i + 1) === 0x7b);
  }
  /** quoted / literal; a bare atom is accepted too (servers that skip the quotes, e.g. `"TEXT" PLAIN`). */
  string(): string {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22) return this.quoted();
    if (c === 0x7b || c === 0x7e) return this.literalString();
    return this.atom();
  }
  nstring(): string | null {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22) return this.quoted();
    if (c === 0x7b) return this.literalString();
    if (this.isNil()) return null;
    if (c === 0x28 || c === 0x29 || c !== c) return this.fail('string or NIL');
    return this.atom();
  }
  /** nstring kept as bytes (body sections). */
  nbytes(): Buffer | null {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x7b || c === 0x7e) return this.literal();
    if (c === 0x22) return Buffer.from(this.quoted(), 'utf8');
    if (this.isNil()) return null;
    return this.fail('string or NIL');
  }
  astring(): string {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22 || c === 0x7b) return this.string();
    return this.atom();
  }
  /** Enters one nesting level (before recursing into a parenthesised value); fails past MAX_NESTING. */
  enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`at most ${MAX_NESTING} levels of nesting`);
  }
  /** Leaves the level `enter` entered. */
  leave(): void {
    this.depth--;
  }
  /** `(` a b c `)` of atoms/astrings; empty list allowed. */
  list<T>(item: (r: Reader) => T): T[] {
    this.expect(0x28, '(');
    this.enter();
    this.skipSp();
    if (this.s.charCodeAt(this.i) === 0x29) {
      this.i++;
      this.leave();
      return [];
    }
    // a list of one (the common case) is an array literal of exact size
    const first = item(this);
    this.skipSp();
    if (this.s.charCodeAt(this.i) === 0x29) {
      this.i++;
      this.leave();
      return [first];
    }
    const out: T[] = [first];
    while (this.s.charCodeAt(this.i) !== 0x29) {
      if (this.i >= this.end) this.fail(')');
      out.push(item(this));
      this.skipSp();
    }
    this.i++;
    this.leave();
    return out;
  }
  /** Any value: NIL, number, string, atom or list (for extension data). */
  value(): ImapValue {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x28) return this.list((r) => r.value());
    if (c === 0x22 || c === 0x7b || c === 0x7e) return this.string();
    if (this.isNil()) return null;
    if (c >= 0x30 && c <= 0x39) {
      const start = this.i;
      const n = this.number();
      const d = this.s.charCodeAt(this.i);
      if (d !== d || d === 0x20 || d === 0x29) return n;
      this.i = start;
    }
    return this.atom();
  }
}
