import type { BodyStructure, Disposition, Multipart, SinglePart } from '../codecs/body-structure';
import type { ImapValue } from '../codecs/value';
import { parseEnvelope } from './envelope';
import { lower, put, type Reader } from './reader';

/**
 * body-fld-param: names lower-cased (case-insensitive, RFC 2045 §5.1), values as
 * sent (case-sensitive in general: boundary, filename) except `charset`, whose
 * values are case-insensitive (RFC 2046 §4.1.2) and are lower-cased.
 */
function params(r: Reader): Record<string, string> | null {
  if (r.isNil()) return null;
  r.expect(0x28, '(');
  const out: Record<string, string> = {};
  r.skipSp();
  while (r.peek() !== 0x29) {
    if (r.done) r.fail(')');
    const k = lower(r.string());
    r.sp();
    const v = r.nstring() ?? '';
    put(out, k, k === 'charset' ? lower(v) : v);
    r.skipSp();
  }
  r.i++;
  return out;
}

function disposition(r: Reader): Disposition {
  if (r.isNil()) return null;
  r.expect(0x28, '(');
  const type = lower(r.string());
  r.sp();
  const parameters = params(r);
  r.expect(0x29, ')');
  return { type, parameters };
}

/** body-fld-lang: language tags (RFC 3066/5646) are case-insensitive; lower-cased. */
function language(r: Reader): string[] | null {
  if (r.peek() === 0x28) return r.list((x) => lower(x.string()));
  const s = r.nstring();
  return s === null ? null : [lower(s)];
}

function atClose(r: Reader): boolean {
  return r.peek() === 0x29;
}

/** Optional trailing extension fields shared by both kinds: disposition, language, location, more. */
function tail(r: Reader, into: { disposition?: Disposition; language?: string[] | null; location?: string | null; extensions?: ImapValue[] }): void {
  if (atClose(r)) return;
  r.sp();
  into.disposition = disposition(r);
  if (atClose(r)) return;
  r.sp();
  into.language = language(r);
  if (atClose(r)) return;
  r.sp();
  into.location = r.nstring();
  const ext: ImapValue[] = [];
  while (!atClose(r)) {
    r.sp();
    ext.push(r.value());
  }
  if (ext.length) into.extensions = ext;
}

/**
 * body (RFC 3501 §9). `path` is this body's section path ("" for the root);
 * a single part at the root is part "1".
 */
export function parseBodyStructure(r: Reader, path = '', inMessage = false): BodyStructure {
  r.expect(0x28, '(');
  r.enter();
  const b = body(r, path, inMessage);
  r.leave();
  return b;
}

function body(r: Reader, path: string, inMessage: boolean): BodyStructure {
  if (r.peek() === 0x28) {
    const childNodes: BodyStructure[] = [];
    let n = 0;
    while (r.peek() === 0x28) {
      n++;
      childNodes.push(parseBodyStructure(r, path ? `${path}.${n}` : String(n)));
      r.skipSp();
    }
    const subtype = lower(r.string());
    const mp: Multipart = { multipart: true, part: path, type: 'multipart', subtype, childNodes };
    if (!atClose(r)) {
      r.sp();
      mp.parameters = params(r);
      tail(r, mp);
    }
    r.expect(0x29, ')');
    return mp;
  }
  const type = lower(r.string());
  r.sp();
  const subtype = lower(r.string());
  r.sp();
  const parameters = params(r);
  r.sp();
  const id = r.nstring();
  r.sp();
  const description = r.nstring();
  r.sp();
  // body-fld-enc: content-transfer-encoding values are case-insensitive (RFC 2045 §6.1)
  const encoding = lower(r.nstring() ?? '');
  r.sp();
  const size = r.number();
  const part = inMessage ? `${path}.1` : path || '1';
  const sp: SinglePart = { multipart: false, part, type, subtype, parameters, id, description, encoding, size };
  if (type === 'message' && (subtype === 'rfc822' || subtype === 'global') && !atClose(r)) {
    r.sp();
    sp.envelope = parseEnvelope(r);
    r.sp();
    (sp as { body?: BodyStructure }).body = parseBodyStructure(r, part, true);
    r.sp();
    sp.lines = r.number();
  } else if (type === 'text' && !atClose(r)) {
    r.sp();
    sp.lines = r.number();
  }
  if (!atClose(r)) {
    r.sp();
    sp.md5 = r.nstring();
    tail(r, sp);
  }
  r.expect(0x29, ')');
  return sp;
}
