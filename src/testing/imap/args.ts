/**
 * IMAP command arguments (RFC 3501 §9): one complete command, its literals
 * already inline, as a latin1 string (one char per byte) → a tree of values.
 *
 * Values: atoms (any run of ATOM-CHARs, and the bracketed section spec of a
 * fetch attribute such as `BODY.PEEK[HEADER.FIELDS (SUBJECT)]<0.10>` kept as
 * one atom), quoted strings, literals (`{N}` / `{N+}` CRLF N bytes) and
 * parenthesised lists. A malformed command throws `ArgumentSyntaxError`, which
 * the session answers with BAD.
 */

/** An IMAP argument value. */
export type ImapArg = ImapAtom | ImapString | ImapArg[];
/** An atom (also NIL, numbers, sequence sets, flags, fetch attributes). */
export interface ImapAtom {
  readonly kind: 'atom';
  readonly value: string;
}
/** A quoted string or a literal; `value` is latin1 (one char per byte). */
export interface ImapString {
  readonly kind: 'string';
  readonly value: string;
  readonly literal: boolean;
}

/** The syntax of a command's arguments is wrong (answered with BAD). */
export class ArgumentSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentSyntaxError';
  }
}

const MAX_DEPTH = 32;

/** Parses the arguments that follow `tag SP command`. */
export function parseArgs(text: string): ImapArg[] {
  const p = { text, pos: 0 };
  const out: ImapArg[] = [];
  while (p.pos < text.length) {
    if (text[p.pos] === ' ') {
      p.pos++;
      continue;
    }
    out.push(value(p, 0));
  }
  return out;
}

interface Cursor {
  readonly text: string;
  pos: number;
}

function value(p: Cursor, depth: number): ImapArg {
  const c = p.text[p.pos];
  if (c === '(') return list(p, depth + 1);
  if (c === '"') return quotedString(p);
  if (c === '{') return literal(p);
  if (c === ')') throw new ArgumentSyntaxError('unexpected )');
  return atom(p);
}

function list(p: Cursor, depth: number): ImapArg[] {
  if (depth > MAX_DEPTH) throw new ArgumentSyntaxError('lists nested too deeply');
  p.pos++;
  const out: ImapArg[] = [];
  for (;;) {
    if (p.pos >= p.text.length) throw new ArgumentSyntaxError('unterminated list');
    const c = p.text[p.pos];
    if (c === ')') {
      p.pos++;
      return out;
    }
    if (c === ' ') {
      p.pos++;
      continue;
    }
    out.push(value(p, depth));
  }
}

function quotedString(p: Cursor): ImapString {
  let s = '';
  p.pos++;
  for (;;) {
    if (p.pos >= p.text.length) throw new ArgumentSyntaxError('unterminated quoted string');
    const c = p.text[p.pos++];
    if (c === '"') return { kind: 'string', value: s, literal: false };
    if (c === '\r' || c === '\n') throw new ArgumentSyntaxError('CR or LF in a quoted string');
    if (c === '\\') {
      const n = p.text[p.pos++];
      if (n !== '"' && n !== '\\') throw new ArgumentSyntaxError('bad escape in a quoted string');
      s += n;
    } else s += c;
  }
}

const LITERAL = /^~?\{(\d{1,10})(\+?)\}\r\n/;

function literal(p: Cursor): ImapString {
  const m = LITERAL.exec(p.text.slice(p.pos, p.pos + 20));
  if (!m) throw new ArgumentSyntaxError('bad literal');
  const n = Number(m[1]);
  const start = p.pos + m[0].length;
  if (start + n > p.text.length) throw new ArgumentSyntaxError('literal shorter than announced');
  p.pos = start + n;
  return { kind: 'string', value: p.text.slice(start, start + n), literal: true };
}

function atom(p: Cursor): ImapAtom {
  const start = p.pos;
  let bracket = 0;
  while (p.pos < p.text.length) {
    const c = p.text[p.pos];
    if (c === '[') bracket++;
    else if (c === ']') {
      if (bracket === 0) break;
      bracket--;
    } else if (bracket === 0 && (c === ' ' || c === '(' || c === ')' || c === '"' || c === '{' || c < ' ' || c === '\x7f')) break;
    else if (bracket > 0 && (c === '\r' || c === '\n')) break;
    p.pos++;
  }
  if (bracket !== 0) throw new ArgumentSyntaxError('unterminated [');
  if (p.pos === start) throw new ArgumentSyntaxError(`unexpected character ${JSON.stringify(p.text[p.pos])}`);
  return { kind: 'atom', value: p.text.slice(start, p.pos) };
}

/** The text of an atom or string argument (astring), or an error. */
export function astring(a: ImapArg | undefined, what: string): string {
  if (a === undefined || Array.isArray(a)) throw new ArgumentSyntaxError(`${what} expected`);
  return a.value;
}

/** An atom's text, or an error. */
export function atomOf(a: ImapArg | undefined, what: string): string {
  if (a === undefined || Array.isArray(a) || a.kind !== 'atom') throw new ArgumentSyntaxError(`${what} expected`);
  return a.value;
}

/** A parenthesised list, or an error. */
export function listOf(a: ImapArg | undefined, what: string): ImapArg[] {
  if (!Array.isArray(a)) throw new ArgumentSyntaxError(`${what} expected`);
  return a;
}

/** A number (number / nz-number), or an error. */
export function numberOf(a: ImapArg | undefined, what: string): number {
  const s = atomOf(a, what);
  if (!/^\d{1,20}$/.test(s)) throw new ArgumentSyntaxError(`${what} expected`);
  return Number(s);
}
