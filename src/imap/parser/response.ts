/**
 * Frame → typed Response. Never throws: a response that does not parse
 * (including one nested deeper than MAX_NESTING) becomes
 * `{ kind: 'unknown', error }` with its raw text.
 *
 * A FETCH frame the tokenizer kept in raw form (its bytes in one chunk) is read
 * from those bytes first (see Reader); when that reading fails for any reason the
 * frame is read again from its line, so results and error messages never depend
 * on the form.
 */
import type { ConditionResponse, Response, TaggedResponse } from '../codecs/response';
import type { ResponseCode } from '../codecs/response-code';
import { decodeMailboxName } from '../mutf7';
import { TokenizedFrame, type Frame } from '../tokenizer';
import { parseFetchAttributes } from './fetch';
import { parseResponseCode } from './response-code';
import { ParseError, put, Reader, WordTable } from './reader';

/** Parses one {@link Frame} into a typed {@link Response}. Never throws: what does not parse becomes `{ kind: 'unknown', error }`. */
export function parseResponse(frame: Frame): Response {
  if (frame instanceof TokenizedFrame && frame.raw !== undefined && frame.tag === '*') {
    const fetch = rawFetch(frame);
    if (fetch !== undefined) return fetch;
  }
  const r = new Reader(frame);
  try {
    if (frame.tag === '+') return { kind: 'continuation', text: frame.line };
    if (frame.tag === '*') return untagged(r, frame);
    return tagged(r, frame.tag);
  } catch (e) {
    if (e instanceof ParseError) return { kind: 'unknown', tag: frame.tag, line: frame.line, error: e.message };
    // not a syntax error: a parser bug or an engine limit; still never thrown at the caller
    return { kind: 'unknown', tag: frame.tag, line: frame.line, error: `parser failure: ${e instanceof Error ? e.name : 'error'}` };
  }
}

/**
 * A FETCH response read from the frame's raw form (its bytes decoded once, literals inline);
 * undefined when that form does not apply or does not parse: the frame is then read from its line,
 * which gives the same result or the error with positions in the line.
 */
function rawFetch(frame: TokenizedFrame): Response | undefined {
  const r = Reader.raw(frame);
  if (r === undefined) return undefined;
  try {
    const c = r.peek();
    if (c < 0x30 || c > 0x39) return undefined;
    const n = r.number();
    r.sp();
    const start = r.i;
    if (NUMBERED.match(r.s, start, r.skipAtom()) !== 'FETCH') return undefined;
    r.sp();
    return { kind: 'fetch', seq: n, attributes: parseFetchAttributes(r) };
  } catch {
    return undefined;
  }
}

function respText(r: Reader): { code: ResponseCode | null; text: string } {
  r.skipSp();
  const code = r.peek() === 0x5b ? parseResponseCode(r) : null;
  return { code, text: r.rest() };
}

function tagged(r: Reader, tag: string): Response {
  const status = r.atom().toUpperCase();
  if (status !== 'OK' && status !== 'NO' && status !== 'BAD') r.fail('OK, NO or BAD');
  const { code, text } = respText(r);
  const t: TaggedResponse = { kind: 'tagged', tag, status, code, text };
  return t;
}

const NUMBERED = new WordTable(['FETCH', 'EXISTS', 'RECENT', 'EXPUNGE'], true);

function untagged(r: Reader, frame: Frame): Response {
  const c = r.peek();
  if (c >= 0x30 && c <= 0x39) {
    const n = r.number();
    r.sp();
    const start = r.i;
    const word = NUMBERED.match(r.s, start, r.skipAtom()) ?? r.s.slice(start, r.i).toUpperCase();
    switch (word) {
      case 'FETCH':
        r.sp();
        return { kind: 'fetch', seq: n, attributes: parseFetchAttributes(r) };
      case 'EXISTS':
        return { kind: 'exists', count: n };
      case 'RECENT':
        return { kind: 'recent', count: n };
      case 'EXPUNGE':
        return { kind: 'expunge', seq: n };
      default:
        return { kind: 'unknown', tag: '*', line: frame.line, error: null };
    }
  }
  const word = r.atom().toUpperCase();
  switch (word) {
    case 'OK':
    case 'NO':
    case 'BAD':
    case 'PREAUTH':
    case 'BYE': {
      const { code, text } = respText(r);
      const cr: ConditionResponse = { kind: 'condition', status: word, code, text };
      return cr;
    }
    case 'CAPABILITY':
    case 'ENABLED': {
      const caps: string[] = [];
      while (r.skipSp() && !r.done) caps.push(r.atom());
      return word === 'CAPABILITY' ? { kind: 'capability', capabilities: caps } : { kind: 'enabled', capabilities: caps };
    }
    case 'LIST':
    case 'LSUB': {
      r.sp();
      const flags = r.list((x) => x.atom());
      r.sp();
      const delimiter = r.nstring();
      r.sp();
      const rawName = r.astring();
      return { kind: 'list', command: word, flags, delimiter, name: decodeMailboxName(rawName), rawName };
    }
    case 'STATUS': {
      r.sp();
      const rawName = r.astring();
      r.skipSp();
      const attributes: Record<string, number> = {};
      r.expect(0x28, '(');
      r.skipSp();
      while (r.peek() !== 0x29) {
        if (r.done) r.fail(')');
        const k = r.atom().toUpperCase();
        r.sp();
        attributes[k] = r.number();
        r.skipSp();
      }
      return { kind: 'status', name: decodeMailboxName(rawName), rawName, attributes };
    }
    case 'SEARCH': {
      const ids: number[] = [];
      let modseq: number | null = null;
      while (r.skipSp() && !r.done) {
        if (r.peek() === 0x28) {
          r.i++;
          const k = r.atom().toUpperCase();
          r.sp();
          const v = r.number();
          r.expect(0x29, ')');
          if (k === 'MODSEQ') modseq = v;
        } else ids.push(r.number());
      }
      return { kind: 'search', ids, modseq };
    }
    case 'ESEARCH': {
      let tag: string | null = null;
      let uid = false;
      const data: { min?: number; max?: number; count?: number; all?: string; modseq?: number } = {};
      r.skipSp();
      if (r.peek() === 0x28) {
        r.i++;
        r.atom(); // TAG
        r.sp();
        tag = r.string();
        r.expect(0x29, ')');
      }
      while (r.skipSp() && !r.done) {
        const k = r.atom().toUpperCase();
        if (k === 'UID') {
          uid = true;
          continue;
        }
        r.sp();
        if (k === 'ALL') data.all = r.atom();
        else if (k === 'MIN' || k === 'MAX' || k === 'COUNT' || k === 'MODSEQ') data[k === 'MIN' ? 'min' : k === 'MAX' ? 'max' : k === 'COUNT' ? 'count' : 'modseq'] = r.number();
        else r.value();
      }
      return { kind: 'esearch', tag, uid, data };
    }
    case 'FLAGS':
      r.sp();
      return { kind: 'flags', flags: r.list((x) => x.atom()) };
    case 'NAMESPACE': {
      r.sp();
      const personal = namespaces(r);
      r.sp();
      const other = namespaces(r);
      r.sp();
      const shared = namespaces(r);
      return { kind: 'namespace', personal, other, shared };
    }
    case 'VANISHED': {
      r.sp();
      let earlier = false;
      if (r.peek() === 0x28) {
        r.i++;
        earlier = r.atom().toUpperCase() === 'EARLIER';
        r.expect(0x29, ')');
        r.sp();
      }
      return { kind: 'vanished', earlier, uids: r.atom() };
    }
    case 'ID': {
      r.sp();
      if (r.isNil()) return { kind: 'id', params: null };
      const items = r.list((x) => x.nstring());
      const params: Record<string, string | null> = {};
      for (let k = 0; k + 1 < items.length; k += 2) put(params, items[k] ?? '', items[k + 1]);
      return { kind: 'id', params };
    }
    default:
      return { kind: 'unknown', tag: '*', line: frame.line, error: null };
  }
}

function namespaces(r: Reader): Array<{ prefix: string; delimiter: string | null }> | null {
  if (r.isNil()) return null;
  return r.list((x) => {
    x.expect(0x28, '(');
    const prefix = x.string();
    x.sp();
    const delimiter = x.nstring();
    while (x.peek() !== 0x29) {
      if (x.done) x.fail(')');
      x.skipSp();
      x.value();
    }
    x.i++;
    return { prefix, delimiter };
  });
}
