import type { FetchAttributes } from '../codecs/fetch';
import type { ImapValue } from '../codecs/value';
import { parseBodyStructure } from './body-structure';
import { parseEnvelope } from './envelope';
import { upper, WordTable, type Reader } from './reader';

const NAMES = new WordTable(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'BINARY', 'MODSEQ', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT'], true);
/** The system flags, returned as shared constants when sent in this spelling (flags are kept as sent). */
const SYSTEM_FLAGS: readonly string[] = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft', '\\Recent'];

/** One flag: a system flag spelled as usual without making a string for it, any other as sent. */
function flagItem(r: Reader): string {
  const s = r.s;
  const start = r.i;
  const end = r.skipAtom();
  if (s.charCodeAt(start) === 0x5c /* \ */) {
    for (let k = 0; k < SYSTEM_FLAGS.length; k++) {
      const f = SYSTEM_FLAGS[k];
      if (f.length === end - start && s.startsWith(f, start)) return f;
    }
  }
  return r.text(start, end);
}

/** msg-att: `(` name SP value ... `)` */
export function parseFetchAttributes(r: Reader): FetchAttributes {
  r.expect(0x28, '(');
  const a: FetchAttributes = {};
  const s = r.s;
  r.skipSp();
  while (r.peek() !== 0x29) {
    if (r.done) r.fail(')');
    const start = r.i;
    const end = r.end;
    let i = start;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x5b || c === 0x29 || c === 0x28) break;
    }
    if (i === end) r.cut(i);
    const name = NAMES.match(s, start, i) ?? upper(r.text(start, i));
    r.i = i;
    if (s.charCodeAt(i) === 0x5b) {
      // BODY[section]<origin> / BINARY[section]<origin> / BINARY.SIZE[section]
      const close = sectionEnd(s, i, r.end);
      if (close === -1) r.fail(']');
      let key = upper(r.text(i + 1, close));
      r.i = close + 1;
      if (s.charCodeAt(r.i) === 0x3c /* < */) {
        const gt = s.indexOf('>', r.i);
        if (gt === -1 || gt >= r.end) r.fail('>');
        key += r.text(r.i, gt + 1);
        r.i = gt + 1;
      }
      r.sp();
      if (name === 'BODY') (a.sections ??= {})[key] = r.nbytes();
      else if (name === 'BINARY') (a.binary ??= {})[key] = r.nbytes();
      else (a.other ??= {})[`${name}[${key}]`] = r.value();
    } else {
      r.sp();
      switch (name) {
        case 'UID':
          a.uid = r.number();
          break;
        case 'FLAGS':
          a.flags = r.list(flagItem);
          break;
        case 'INTERNALDATE':
          a.internalDate = r.string();
          break;
        case 'RFC822.SIZE':
          a.size = r.number();
          break;
        case 'ENVELOPE':
          a.envelope = parseEnvelope(r);
          break;
        case 'BODYSTRUCTURE':
          a.bodyStructure = parseBodyStructure(r);
          break;
        case 'BODY':
          a.body = parseBodyStructure(r);
          break;
        case 'MODSEQ': {
          r.expect(0x28, '(');
          a.modseq = r.number();
          r.expect(0x29, ')');
          break;
        }
        case 'RFC822':
          a.rfc822 = r.nbytes();
          break;
        case 'RFC822.HEADER':
          a.rfc822Header = r.nbytes();
          break;
        case 'RFC822.TEXT':
          a.rfc822Text = r.nbytes();
          break;
        default: {
          const v: ImapValue = r.value();
          (a.other ??= {})[name] = v;
        }
      }
    }
    r.skipSp();
  }
  r.i++;
  return a;
}

/** The `]` closing a section spec before `end`, skipping quoted strings inside it; -1 if none. */
function sectionEnd(s: string, open: number, end: number): number {
  for (let i = open + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5d) return i;
    if (c === 0x22) {
      i++;
      while (i < end && s.charCodeAt(i) !== 0x22) i += s.charCodeAt(i) === 0x5c ? 2 : 1;
    }
  }
  return -1;
}
