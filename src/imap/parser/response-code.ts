import type { ResponseCode } from '../codecs/response-code';
import { SimpleCodeName } from '../codecs/response-code';
import type { Reader } from './reader';

/** At `[`: reads the code through `]` and the space after it. */
export function parseResponseCode(r: Reader): ResponseCode {
  r.expect(0x5b, '[');
  const atom = r.atom().toUpperCase();
  let code: ResponseCode;
  switch (atom) {
    case 'CAPABILITY':
      code = { name: 'CAPABILITY', capabilities: atoms(r) };
      break;
    case 'PERMANENTFLAGS':
      r.sp();
      code = { name: 'PERMANENTFLAGS', flags: r.list((x) => x.atom()) };
      break;
    case 'UIDVALIDITY':
    case 'UIDNEXT':
    case 'UNSEEN':
    case 'HIGHESTMODSEQ':
      r.sp();
      code = { name: atom, value: r.number() };
      break;
    case 'APPENDUID': {
      r.sp();
      const uidValidity = r.number();
      r.sp();
      code = { name: 'APPENDUID', uidValidity, uids: r.atom() };
      break;
    }
    case 'COPYUID': {
      r.sp();
      const uidValidity = r.number();
      r.sp();
      const source = r.atom();
      r.sp();
      code = { name: 'COPYUID', uidValidity, source, destination: r.atom() };
      break;
    }
    case 'BADCHARSET':
      code = { name: 'BADCHARSET', charsets: r.peek() === 0x20 ? (r.sp(), r.list((x) => x.astring())) : [] };
      break;
    default:
      if (SimpleCodeName.is(atom) && r.peek() === 0x5d) code = { name: atom };
      else {
        const close = r.s.indexOf(']', r.i);
        if (close === -1) r.fail(']');
        const text = r.s.slice(r.i, close).trim();
        r.i = close;
        code = { name: 'OTHER', atom, text: text === '' ? null : text };
      }
  }
  r.expect(0x5d, ']');
  r.skipSp();
  return code;
}

function atoms(r: Reader): string[] {
  const out: string[] = [];
  while (r.peek() === 0x20) {
    r.i++;
    if (r.peek() === 0x5d) break;
    out.push(r.atom());
  }
  return out;
}
