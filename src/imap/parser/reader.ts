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
import type { Frame } from '../tokenizer';
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

export class Reader {
  i = 0;
  private li = 0;
  private depth = 0;
  readonly s: string;
  constructor(private readonly frame: Frame) {
    this.s = frame.line;
  }

  get done(): boolean {
    return this.i >= this.s.length;
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
    const r = this.s.slice(this.i);
    this.i = this.s.length;
    return r;
  }
  /** An atom-like run: up to space, parentheses, `]` or end (flags like `\Seen` and `\*` included). */
  atom(): string {
    const s = this.s;
    const start = this.i;
    let i = start;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x28 || c === 0x29 || c === 0x5d || c === 0x5b || c === 0x22 || c === 0x7b) break;
    }
    if (i === start) this.fail('atom');
    this.i = i;
    return s.slice(start, i);
  }
  number(): number {
    const s = this.s;
    const start = this.i;
    let n = 0;
    let i = start;
    for (; i < s.length; i++) {
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
    const close = s.indexOf('"', open + 1);
    if (close === -1) this.fail('closing quote');
    const raw = s.slice(open + 1, close);
    if (raw.indexOf('\\') === -1) {
      this.i = close + 1;
      return raw;
    }
    let out = '';
    let i = open + 1;
    for (;;) {
      if (i >= s.length) this.fail('closing quote');
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        i++;
        if (i >= s.length) this.fail('escaped character');
      }
      out += s[i];
      i++;
    }
    this.i = i + 1;
    return out;
  }
  /** At `{` or `~{`: skips the marker and returns the next literal. */
  literal(): Buffer {
    const s = this.s;
    if (s.charCodeAt(this.i) === 0x7e) this.i++;
    const close = s.indexOf('}', this.i);
    if (s.charCodeAt(this.i) !== 0x7b || close === -1) this.fail('literal');
    this.i = close + 1;
    if (this.li >= this.frame.literals.length) this.fail('literal bytes');
    return this.frame.literals[this.li++];
  }
  isLiteralStart(): boolean {
    const c = this.s.charCodeAt(this.i);
    return c === 0x7b || (c === 0x7e && this.s.charCodeAt(this.i + 1) === 0x7b);
  }
  /** quoted / literal; a bare atom is accepted too (servers that skip the quotes, e.g. `"TEXT" PLAIN`). */
  string(): string {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22) return this.quoted();
    if (c === 0x7b || c === 0x7e) return this.literal().toString('utf8');
    return this.atom();
  }
  nstring(): string | null {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x22) return this.quoted();
    if (c === 0x7b) return this.literal().toString('utf8');
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
    const out: T[] = [];
    this.skipSp();
    while (this.s.charCodeAt(this.i) !== 0x29) {
      if (this.i >= this.s.length) this.fail(')');
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
