// IMAP: structure-aware server response streams (FETCH with literals, BODYSTRUCTURE, ENVELOPE, LIST
// with modified UTF-7 names, ESEARCH, VANISHED, status responses with codes), mutated, plus hostile
// streams (announced-but-huge literals, deep nesting, {0}/{1} floods, prototype-key names), fed
// through the live decode path (Tokenizer with the connection's default limits → parseResponse) once
// whole and once in random chunk splits. Checks beyond the harness's: every response satisfies the
// Response codec, and both feeds give the same responses and the same verdict.
import { isRxwireError } from '../../src/core/errors';
import { Response, Tokenizer, encodeMailboxName, parseResponse } from '../../src/imap';
import type { FuzzTarget, Rng } from '../harness';

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__PROTO__'];

function word(rng: Rng): string {
  return rng.chance(0.1) ? rng.pick(PROTO_KEYS) : rng.string(8, 'abcxyzABCXYZ0123456789-._');
}

/** A string as quoted, literal, NIL or (sometimes) bare atom. */
function str(rng: Rng, s = rng.chance(0.3) ? rng.string(12) : word(rng)): string {
  switch (rng.int(6)) {
    case 0:
      return `{${Buffer.byteLength(s)}}\r\n${s}`;
    case 1:
      return 'NIL';
    case 2:
      return /^[A-Za-z0-9._-]+$/.test(s) ? s : `"${s.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, '')}"`;
    default:
      return `"${s.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, '')}"`;
  }
}

function address(rng: Rng): string {
  return `(${str(rng)} NIL ${str(rng)} ${str(rng)})`;
}
function addresses(rng: Rng): string {
  return rng.chance(0.3) ? 'NIL' : `(${Array.from({ length: 1 + rng.int(3) }, () => address(rng)).join('')})`;
}
function envelope(rng: Rng): string {
  return `(${str(rng)} ${str(rng)} ${Array.from({ length: 6 }, () => addresses(rng)).join(' ')} ${str(rng)} ${str(rng)})`;
}
function params(rng: Rng): string {
  if (rng.chance(0.3)) return 'NIL';
  const names = ['charset', 'CHARSET', 'boundary', 'name', 'filename', 'format', ...PROTO_KEYS];
  return `(${Array.from({ length: 1 + rng.int(3) }, () => `"${rng.pick(names)}" ${str(rng)}`).join(' ')})`;
}
function ext(rng: Rng, depth: number): string {
  const parts = [rng.chance(0.5) ? `(${rng.pick(['"inline"', '"ATTACHMENT"'])} ${params(rng)})` : 'NIL', rng.pick(['NIL', '"EN"', '("en" "DE")', '("EN-US")']), str(rng)];
  if (rng.chance(0.2)) parts.push(value(rng, depth));
  return parts.slice(0, rng.int(parts.length + 1)).map((p) => ` ${p}`).join('');
}
function body(rng: Rng, depth: number): string {
  if (depth < 4 && rng.chance(0.35)) {
    const kids = Array.from({ length: 1 + rng.int(3) }, () => body(rng, depth + 1)).join('');
    return `(${kids} ${rng.pick(['"mixed"', '"ALTERNATIVE"', '"related"'])}${rng.chance(0.6) ? ` ${params(rng)}${ext(rng, depth)}` : ''})`;
  }
  const [type, sub] = rng.pick([
    ['"text"', '"plain"'],
    ['"TEXT"', '"HTML"'],
    ['"application"', '"pdf"'],
    ['"message"', '"rfc822"'],
    ['"IMAGE"', '"PNG"'],
  ]);
  let s = `(${type} ${sub} ${params(rng)} ${str(rng)} ${str(rng)} ${rng.pick(['"7bit"', '"BASE64"', '"quoted-printable"', 'NIL'])} ${rng.int(100000)}`;
  if (type === '"message"' && depth < 4) s += ` ${envelope(rng)} ${body(rng, depth + 1)} ${rng.int(500)}`;
  else if (type.toLowerCase() === '"text"') s += ` ${rng.int(500)}`;
  if (rng.chance(0.5)) s += ` ${str(rng)}${ext(rng, depth)}`;
  return `${s})`;
}
function value(rng: Rng, depth: number): string {
  if (depth < 5 && rng.chance(0.3)) return `(${Array.from({ length: rng.int(4) }, () => value(rng, depth + 1)).join(' ')})`;
  return rng.chance(0.5) ? String(rng.int(1e6)) : str(rng);
}
function mailbox(rng: Rng): string {
  const names = [() => encodeMailboxName(rng.string(10, 'abcé日本語😀&-/ ')), () => rng.string(12, '&-ABZaz09+,/'), () => '&'.repeat(1 + rng.int(300)), () => rng.pick(PROTO_KEYS), () => 'INBOX'];
  const n = rng.pick(names)();
  return rng.chance(0.3) ? `{${Buffer.byteLength(n)}}\r\n${n}` : /^[A-Za-z0-9&,+-]+$/.test(n) ? n : `"${n.replace(/[\\"]/g, '\\$&')}"`;
}
function fetch(rng: Rng): string {
  const items: string[] = [];
  const add: Array<() => string> = [
    () => `UID ${rng.int(1e9)}`,
    () => `FLAGS (${Array.from({ length: rng.int(4) }, () => rng.pick(['\\Seen', '\\Flagged', '$Label1', '\\*', word(rng)])).join(' ')})`,
    () => `INTERNALDATE "${1 + rng.int(28)}-Nov-2024 10:00:00 +0000"`,
    () => `RFC822.SIZE ${rng.int(1e7)}`,
    () => `ENVELOPE ${envelope(rng)}`,
    () => `BODYSTRUCTURE ${body(rng, 0)}`,
    () => `BODY ${body(rng, 2)}`,
    () => {
      const data = rng.string(40);
      return `BODY[${rng.pick(['', '1.2', 'HEADER.FIELDS (SUBJECT "X-A")', 'TEXT', word(rng)])}]${rng.chance(0.2) ? '<0>' : ''} {${Buffer.byteLength(data)}}\r\n${data}`;
    },
    () => `MODSEQ (${rng.int(1e9)})`,
    () => `X-GM-LABELS ${value(rng, 0)}`,
    () => `${rng.pick(PROTO_KEYS)} ${value(rng, 0)}`,
    () => `BINARY[1] ~{3}\r\nab\u0000`,
  ];
  for (let k = 1 + rng.int(5); k > 0; k--) items.push(rng.pick(add)());
  return `* ${1 + rng.int(1000)} FETCH (${items.join(' ')})`;
}
function code(rng: Rng): string {
  return rng.pick([
    '[CAPABILITY IMAP4rev1 IDLE LITERAL+]',
    '[PERMANENTFLAGS (\\Seen \\*)]',
    `[UIDVALIDITY ${rng.int(1e9)}]`,
    '[APPENDUID 38505 3955]',
    '[COPYUID 38505 304,319:320 3956:3958]',
    '[BADCHARSET (UTF-8 "X")]',
    '[ALERT]',
    '[READ-ONLY]',
    `[${rng.pick(PROTO_KEYS)}]`,
    `[X-${word(rng)} ${rng.string(8)}]`,
    '[UNTERMINATED',
  ]);
}
function response(rng: Rng): string {
  switch (rng.int(14)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return fetch(rng);
    case 4:
      return `* ${rng.pick(['LIST', 'LSUB', 'list'])} (${rng.pick(['', '\\HasNoChildren', '\\Noselect \\Trash'])}) ${rng.pick(['"/"', '"."', 'NIL'])} ${mailbox(rng)}`;
    case 5:
      return `* ESEARCH${rng.chance(0.7) ? ` (TAG "A${rng.int(99)}")` : ''}${rng.chance(0.5) ? ' UID' : ''} ${rng.pick(['MIN 1 MAX 9 COUNT 3', 'ALL 1:3,7', `MODSEQ ${rng.int(1e6)}`, `X-EXT ${value(rng, 0)}`])}`;
    case 6:
      return `* VANISHED ${rng.chance(0.5) ? '(EARLIER) ' : ''}${rng.pick(['41,43:116', '1', '*', word(rng)])}`;
    case 7:
      return `${rng.pick(['*', 'A1', 'A2', rng.pick(PROTO_KEYS)])} ${rng.pick(['OK', 'NO', 'BAD', 'BYE', 'PREAUTH', 'ok'])} ${rng.chance(0.7) ? `${code(rng)} ` : ''}${rng.string(20).replace(/[\r\n]/g, '')}`;
    case 8:
      return `* STATUS ${mailbox(rng)} (MESSAGES ${rng.int(99)} UIDNEXT ${rng.int(99)} ${rng.pick(PROTO_KEYS)} 1)`;
    case 9:
      return `* SEARCH ${Array.from({ length: rng.int(6) }, () => rng.int(1000)).join(' ')}${rng.chance(0.3) ? ` (MODSEQ ${rng.int(99)})` : ''}`;
    case 10:
      return `* ${rng.pick(['CAPABILITY', 'ENABLED'])} IMAP4rev1 ${word(rng)}`;
    case 11:
      return `* ID ${rng.chance(0.2) ? 'NIL' : `(${Array.from({ length: 2 * rng.int(3) }, () => (rng.chance(0.3) ? `"${rng.pick(PROTO_KEYS)}"` : str(rng))).join(' ')})`}`;
    case 12:
      return `* NAMESPACE (("" "/")) NIL (("#shared/" "/" X-EXT ${value(rng, 0)}))`;
    default:
      return rng.pick([`+ ${rng.string(10).replace(/[\r\n]/g, '')}`, `* ${rng.int(99)} EXISTS`, `* ${rng.int(99)} EXPUNGE`, '* 1 RECENT', '* FLAGS (\\Seen)']);
  }
}

/** Hostile streams: length bombs, deep nesting, literal floods. */
function hostile(rng: Rng): Buffer {
  const depth = 100 + rng.int(1500);
  switch (rng.int(7)) {
    case 0: // announced but huge: over the literal limit, or under it and never sent
      return Buffer.from(`* 1 FETCH (BODY[] {${rng.pick(['99999999999', '67108865', '1000000', '4294967296', '999999999999999999999'])}}\r\npartial`);
    case 1:
      return Buffer.from(`* 1 FETCH (BODYSTRUCTURE ${'('.repeat(depth)}"text" "plain" NIL NIL NIL "7bit" 1 1)${' "mixed")'.repeat(depth - 1)})\r\n`);
    case 2:
      return Buffer.from(`* 1 FETCH (X-EXT ${'('.repeat(depth)}${')'.repeat(depth)})\r\n* ESEARCH X ${'('.repeat(depth)}\r\n`);
    case 3:
      return Buffer.from(`* 1 FETCH (X-A {0}\r\n${' {0}\r\n'.repeat(1 + rng.int(400))})\r\nA1 OK done\r\n`);
    case 4:
      return Buffer.from(`* 1 FETCH (X-A {1}\r\n${'x {1}\r\n'.repeat(1 + rng.int(400))}x)\r\n`);
    case 5:
      return Buffer.from(`* LIST () "/" {65536}\r\n${'&'.repeat(65536)}\r\n`);
    default:
      return Buffer.from(`* OK ${'x'.repeat(16000 + rng.int(1000))}\r\n`);
  }
}

const LIMITS = { maxLiteralsPerFrame: 256 };

interface Input {
  readonly bytes: Buffer;
  readonly cuts: number[];
}

/** Tokenizes + parses; returns the responses and whether the tokenizer refused the stream. */
function decode(chunks: Buffer[]): { responses: Response[]; refused: string | null } {
  const responses: Response[] = [];
  // the default limits, but fewer literals per frame, so floods past the limit stay cheap per input
  const t = new Tokenizer({ frame: (f) => responses.push(parseResponse(f)) }, LIMITS);
  try {
    for (const c of chunks) t.push(c);
  } catch (e) {
    if (!isRxwireError(e)) throw e;
    return { responses, refused: e instanceof Error ? e.name : 'error' };
  }
  return { responses, refused: null };
}

const imap: FuzzTarget<Input> = {
  name: 'imap.tokenizer+parser',
  generate(rng) {
    let bytes: Buffer;
    if (rng.chance(0.05)) bytes = hostile(rng);
    else {
      bytes = Buffer.from(Array.from({ length: 1 + rng.int(6) }, () => `${response(rng)}\r\n`).join(''));
      if (rng.chance(0.4)) bytes = Buffer.from(rng.mutate(bytes));
    }
    const cuts = Array.from({ length: rng.int(8) }, () => rng.int(bytes.length + 1)).sort((a, b) => a - b);
    return { bytes, cuts };
  },
  run({ bytes, cuts }) {
    const whole = decode([bytes]);
    const chunks: Buffer[] = [];
    let prev = 0;
    for (const c of cuts) {
      chunks.push(bytes.subarray(prev, c));
      prev = c;
    }
    chunks.push(bytes.subarray(prev));
    const split = decode(chunks);
    for (const r of whole.responses) if (!Response.is(r)) throw new Error(`response outside the Response codec: ${JSON.stringify(r).slice(0, 200)}`);
    if (whole.refused !== split.refused || JSON.stringify(whole.responses) !== JSON.stringify(split.responses)) {
      throw new Error(`chunk split changed the result (cuts ${cuts.join(',')})`);
    }
    return whole.responses;
  },
};

export const targets: FuzzTarget[] = [imap as FuzzTarget];
