import type { BodyStructure, Disposition, Multipart, SinglePart } from '../codecs/body-structure';
import type { Envelope } from '../codecs/envelope';
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
    const k = r.token();
    r.sp();
    const v = r.nstring() ?? '';
    // named stores for the common names (a keyed store with varying keys is slow)
    switch (k) {
      case 'charset':
        out.charset = lower(v);
        break;
      case 'boundary':
        out.boundary = v;
        break;
      case 'name':
        out.name = v;
        break;
      case 'filename':
        out.filename = v;
        break;
      case '__proto__':
        put(out, k, v);
        break;
      default:
        out[k] = v;
    }
    r.skipSp();
  }
  r.i++;
  return out;
}

function parseDisposition(r: Reader): Disposition {
  if (r.isNil()) return null;
  r.expect(0x28, '(');
  const type = r.token();
  r.sp();
  const parameters = params(r);
  r.expect(0x29, ')');
  return { type, parameters };
}

const languageItem = (x: Reader): string => lower(x.string());

/** body-fld-lang: language tags (RFC 3066/5646) are case-insensitive; lower-cased. */
function parseLanguage(r: Reader): string[] | null {
  if (r.peek() === 0x28) return r.list(languageItem);
  const s = r.nstring();
  return s === null ? null : [lower(s)];
}

function atClose(r: Reader): boolean {
  return r.peek() === 0x29;
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

/** A single part without the extension fields; lines/envelope/body only when present. */
function single(
  part: string,
  type: string,
  subtype: string,
  parameters: Record<string, string> | null,
  id: string | null,
  description: string | null,
  encoding: string,
  size: number,
  lines: number | undefined,
  envelope: Envelope | undefined,
  inner: BodyStructure | undefined,
): SinglePart {
  const sp: SinglePart = { multipart: false, part, type, subtype, parameters, id, description, encoding, size };
  if (envelope !== undefined) {
    sp.envelope = envelope;
    (sp as { body?: BodyStructure }).body = inner;
  }
  if (lines !== undefined) sp.lines = lines;
  return sp;
}

/** Extension data after the known fields, up to the closing parenthesis. */
function extensions(r: Reader): ImapValue[] {
  const ext: ImapValue[] = [];
  while (!atClose(r)) {
    r.sp();
    ext.push(r.value());
  }
  return ext;
}

function body(r: Reader, path: string, inMessage: boolean): BodyStructure {
  if (r.peek() === 0x28) {
    // children into an array literal of exact size for the common two (a push would add spare capacity)
    const first = parseBodyStructure(r, path ? `${path}.1` : '1');
    r.skipSp();
    let childNodes: BodyStructure[];
    if (r.peek() === 0x28) {
      const second = parseBodyStructure(r, path ? `${path}.2` : '2');
      r.skipSp();
      childNodes = [first, second];
      let n = 2;
      while (r.peek() === 0x28) {
        n++;
        childNodes.push(parseBodyStructure(r, path ? `${path}.${n}` : String(n)));
        r.skipSp();
      }
    } else childNodes = [first];
    const subtype = r.token();
    if (atClose(r)) {
      r.i++;
      return { multipart: true, part: path, type: 'multipart', subtype, childNodes };
    }
    r.sp();
    const parameters = params(r);
    if (atClose(r)) {
      r.i++;
      return { multipart: true, part: path, type: 'multipart', subtype, childNodes, parameters };
    }
    r.sp();
    const disposition = parseDisposition(r);
    if (atClose(r)) {
      r.i++;
      return { multipart: true, part: path, type: 'multipart', subtype, childNodes, parameters, disposition };
    }
    r.sp();
    const language = parseLanguage(r);
    if (atClose(r)) {
      r.i++;
      return { multipart: true, part: path, type: 'multipart', subtype, childNodes, parameters, disposition, language };
    }
    r.sp();
    const location = r.nstring();
    // each shape in one object literal (every property in-object), extension data after them added
    const mp: Multipart = { multipart: true, part: path, type: 'multipart', subtype, childNodes, parameters, disposition, language, location };
    const ext = extensions(r);
    if (ext.length) mp.extensions = ext;
    r.expect(0x29, ')');
    return mp;
  }
  const type = r.token();
  r.sp();
  const subtype = r.token();
  r.sp();
  const parameters = params(r);
  r.sp();
  const id = r.nstring();
  r.sp();
  const description = r.nstring();
  r.sp();
  // body-fld-enc: content-transfer-encoding values are case-insensitive (RFC 2045 §6.1)
  const encoding = r.isNil() ? '' : r.token();
  r.sp();
  const size = r.number();
  const part = inMessage ? `${path}.1` : path || '1';
  let lines: number | undefined;
  let envelope: Envelope | undefined;
  let inner: BodyStructure | undefined;
  if (type === 'message' && (subtype === 'rfc822' || subtype === 'global') && !atClose(r)) {
    r.sp();
    envelope = parseEnvelope(r);
    r.sp();
    inner = parseBodyStructure(r, part, true);
    r.sp();
    lines = r.number();
  } else if (type === 'text' && !atClose(r)) {
    r.sp();
    lines = r.number();
  }
  if (!atClose(r)) {
    r.sp();
    const md5 = r.nstring();
    if (!atClose(r)) {
      r.sp();
      const disposition = parseDisposition(r);
      if (!atClose(r)) {
        r.sp();
        const language = parseLanguage(r);
        if (!atClose(r)) {
          r.sp();
          const location = r.nstring();
          if (atClose(r) && envelope === undefined) {
            // the shapes servers send (all extension fields, nothing after them): one object literal,
            // every property in-object, instead of growing the object field by field
            r.i++;
            return lines === undefined
              ? { multipart: false, part, type, subtype, parameters, id, description, encoding, size, md5, disposition, language, location }
              : { multipart: false, part, type, subtype, parameters, id, description, encoding, size, lines, md5, disposition, language, location };
          }
          const sp = single(part, type, subtype, parameters, id, description, encoding, size, lines, envelope, inner);
          sp.md5 = md5;
          sp.disposition = disposition;
          sp.language = language;
          sp.location = location;
          const ext = extensions(r);
          if (ext.length) sp.extensions = ext;
          r.expect(0x29, ')');
          return sp;
        }
        const sp = single(part, type, subtype, parameters, id, description, encoding, size, lines, envelope, inner);
        sp.md5 = md5;
        sp.disposition = disposition;
        sp.language = language;
        r.expect(0x29, ')');
        return sp;
      }
      const sp = single(part, type, subtype, parameters, id, description, encoding, size, lines, envelope, inner);
      sp.md5 = md5;
      sp.disposition = disposition;
      r.expect(0x29, ')');
      return sp;
    }
    const sp = single(part, type, subtype, parameters, id, description, encoding, size, lines, envelope, inner);
    sp.md5 = md5;
    r.expect(0x29, ')');
    return sp;
  }
  const sp = single(part, type, subtype, parameters, id, description, encoding, size, lines, envelope, inner);
  r.expect(0x29, ')');
  return sp;
}
