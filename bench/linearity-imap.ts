/**
 * IMAP worst cases at growing sizes (issue 19): the time exponent of each must
 * stay ≤ 1.2. Fed through the live decode path (Tokenizer → parseResponse).
 *
 *   npx tsx bench/linearity-imap.ts
 */
import { Tokenizer, parseResponse, decodeMailboxName, type TokenizerLimits } from '../src/imap';
import { measureLinearity, reportLinearity, type LinearityCase } from './linearity';

const BIG: TokenizerLimits = { maxLineLength: 1 << 30, maxFrameSize: 2 ** 40, maxLiteralsPerFrame: 1e9, maxLiteralSize: 1 << 30 };

/** Tokenizes and parses `input` in 64 KiB chunks; a limit error counts as done (the connection would close). */
function decode(input: unknown): number {
  const buf = input as Buffer;
  let n = 0;
  const t = new Tokenizer({ frame: (f) => void (parseResponse(f), n++) }, BIG);
  try {
    for (let i = 0; i < buf.length; i += 65536) t.push(buf.subarray(i, i + 65536));
  } catch {
    n = -1;
  }
  return n;
}

const K = 1024;
// the machine is shared: 9 runs per point, the median counts
const sizes = [16 * K, 32 * K, 64 * K, 128 * K, 256 * K];

const cases: LinearityCase[] = [
  {
    name: 'LIST name: literal of "&" (mUTF-7)',
    sizes,
    make: (n) => Buffer.from(`* LIST () "/" {${n}}\r\n${'&'.repeat(n)}\r\n`),
    run: decode,
  },
  {
    name: 'decodeMailboxName: "&a" repeated, unclosed',
    sizes,
    make: (n) => `${'&a'.repeat(n / 2)}`,
    run: (s) => decodeMailboxName(s as string),
  },
  {
    name: 'decodeMailboxName: "&-" repeated',
    sizes,
    make: (n) => `${'&-'.repeat(n / 2)}`,
    run: (s) => decodeMailboxName(s as string),
  },
  {
    name: 'decodeMailboxName: one long shift',
    sizes,
    make: (n) => `&${'ZeVn'.repeat(n / 4)}-`,
    run: (s) => decodeMailboxName(s as string),
  },
  {
    name: 'FETCH with {0} literal flood',
    sizes,
    make: (n) => Buffer.from(`* 1 FETCH (X-A {0}\r\n${' {0}\r\n'.repeat(n / 6)})\r\n`),
    run: decode,
  },
  {
    name: 'FETCH with {1} literal flood',
    sizes,
    make: (n) => Buffer.from(`* 1 FETCH (X-A {1}\r\n${'x {1}\r\n'.repeat(n / 7)}x)\r\n`),
    run: decode,
  },
  {
    name: 'BODYSTRUCTURE nested n/2 levels',
    sizes,
    make: (n) => Buffer.from(`* 1 FETCH (BODYSTRUCTURE ${'('.repeat(n / 2)}${')'.repeat(n / 2)})\r\n`),
    run: decode,
  },
  {
    name: 'list value nested n/2 levels',
    sizes,
    make: (n) => Buffer.from(`* 1 FETCH (X-EXT ${'('.repeat(n / 2)}${')'.repeat(n / 2)})\r\n`),
    run: decode,
  },
  {
    name: 'quoted string of escapes',
    sizes,
    make: (n) => Buffer.from(`* 1 FETCH (ENVELOPE (NIL "${'\\"'.repeat(n / 2)}" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n`),
    run: decode,
  },
  {
    name: 'one line split into 1-byte chunks',
    sizes: sizes.map((s) => s / 16),
    make: (n) => Buffer.from(`* OK ${'x'.repeat(n)}\r\n`),
    run: (input) => {
      const buf = input as Buffer;
      const t = new Tokenizer({ frame: (f) => void parseResponse(f) }, BIG);
      for (let i = 0; i < buf.length; i++) t.push(buf.subarray(i, i + 1));
      return buf.length;
    },
  },
  {
    name: 'many small responses',
    sizes,
    make: (n) => Buffer.from('* 1 EXISTS\r\n'.repeat(n / 12)),
    run: decode,
  },
];

reportLinearity(cases.map((c) => measureLinearity(c, 9)));
