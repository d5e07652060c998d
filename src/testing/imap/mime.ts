/**
 * RFC 5322 / MIME parsing for the in-process IMAP server: header fields, the
 * ENVELOPE and BODYSTRUCTURE of RFC 3501 §7.4.2, and body sections
 * (HEADER, TEXT, MIME, HEADER.FIELDS[.NOT], part numbers).
 * Works on latin1 strings (one char per byte), so sizes are byte counts.
 */

/** A parsed entity: its header block, body, and (multipart / message) children. */
export interface Entity {
  readonly header: string;
  readonly body: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly type: string;
  readonly subtype: string;
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly parts: readonly Entity[];
  /** For message/rfc822: the enclosed message. */
  readonly message?: Entity;
}

const MAX_PARTS_DEPTH = 16;

/** Splits header and body at the first empty line. */
function split(raw: string): { header: string; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (raw.startsWith('\r\n') || raw.startsWith('\n')) return { header: '', body: raw.replace(/^\r?\n/, '') };
  if (!m) return { header: raw, body: '' };
  const end = m.index + m[0].length;
  const headerEnd = m.index + (m[0].startsWith('\r\n') ? 2 : 1);
  return { header: raw.slice(0, headerEnd), body: raw.slice(end) };
}

/** Header fields, unfolded, in order. */
export function headerFields(header: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of header.split(/\r?\n(?![ \t])/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out.push([line.slice(0, i).trim(), line.slice(i + 1).replace(/\r?\n[ \t]/g, ' ').trim()]);
  }
  return out;
}

function field(fields: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const n = name.toLowerCase();
  for (const [k, v] of fields) if (k.toLowerCase() === n) return v;
  return undefined;
}

/** `type/subtype; a=b; c="d"` → parts. */
export function parseContentType(v: string | undefined): { type: string; subtype: string; params: Array<[string, string]> } {
  if (!v) return { type: 'text', subtype: 'plain', params: [['charset', 'us-ascii']] };
  const [head, ...rest] = splitParams(v);
  const m = /^([^/\s]+)\s*\/\s*([^\s;]+)$/.exec(head.trim());
  const params = rest.map(paramPair).filter((p): p is [string, string] => p !== undefined);
  if (!m) return { type: 'text', subtype: 'plain', params };
  return { type: m[1], subtype: m[2], params };
}

function splitParams(v: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '"') q = !q;
    if (c === '\\' && q && i + 1 < v.length) {
      cur += c + v[++i];
      continue;
    }
    if (c === ';' && !q) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s, i) => i === 0 || s.trim() !== '');
}

function paramPair(s: string): [string, string] | undefined {
  const i = s.indexOf('=');
  if (i <= 0) return undefined;
  let v = s.slice(i + 1).trim();
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
  return [s.slice(0, i).trim().toLowerCase(), v];
}

/** Parses a message (or body part) into an entity tree. */
export function parseEntity(raw: string, depth = 0, defaultType = 'text/plain'): Entity {
  const { header, body } = split(raw);
  const fields = headerFields(header);
  const ctRaw = field(fields, 'content-type');
  const ct = ctRaw ? parseContentType(ctRaw) : defaultType === 'message/rfc822' ? { type: 'message', subtype: 'rfc822', params: [] } : parseContentType(undefined);
  let parts: Entity[] = [];
  let message: Entity | undefined;
  const lowerType = ct.type.toLowerCase();
  if (depth < MAX_PARTS_DEPTH && lowerType === 'multipart') {
    const boundary = ct.params.find(([k]) => k === 'boundary')?.[1];
    if (boundary) {
      const childDefault = ct.subtype.toLowerCase() === 'digest' ? 'message/rfc822' : 'text/plain';
      parts = multipartBodies(body, boundary).map((b) => parseEntity(b, depth + 1, childDefault));
    }
  } else if (depth < MAX_PARTS_DEPTH && lowerType === 'message' && ct.subtype.toLowerCase() === 'rfc822') {
    message = parseEntity(body, depth + 1);
  }
  return { header, body, fields, type: ct.type, subtype: ct.subtype, params: ct.params, parts, message };
}

function multipartBodies(body: string, boundary: string): string[] {
  const delim = `--${boundary}`;
  const out: string[] = [];
  const lines = body.split(/(?<=\n)/);
  let cur: string[] | undefined;
  for (const line of lines) {
    const t = line.replace(/\r?\n$/, '');
    if (t === delim || t === `${delim}--`) {
      if (cur) {
        // the CRLF before the delimiter belongs to the delimiter
        const s = cur.join('');
        out.push(s.replace(/\r?\n$/, ''));
      }
      if (t === `${delim}--`) return out;
      cur = [];
      continue;
    }
    if (cur) cur.push(line);
  }
  if (cur) out.push(cur.join('').replace(/\r?\n$/, ''));
  return out;
}

// ---------------------------------------------------------------- rendering

/** An IMAP string (quoted when safe, else a literal), or NIL. */
export function nstring(v: string | undefined | null): string {
  if (v === undefined || v === null) return 'NIL';
  return istring(v);
}

/** An IMAP string: quoted when it can be, else a literal. */
export function istring(v: string): string {
  if (/^[\x01-\x09\x0b\x0c\x0e-\x7f]*$/.test(v) && v.length < 1024) return `"${v.replace(/(["\\])/g, '\\$1')}"`;
  return `{${v.length}}\r\n${v}`;
}

interface Address {
  name?: string;
  mailbox?: string;
  host?: string;
  group?: { name: string; members: Address[] };
}

/** Parses an RFC 5322 address-list (display names, quoted names, comments, groups). */
export function parseAddresses(v: string | undefined): Address[] {
  if (v === undefined || v.trim() === '') return [];
  const out: Address[] = [];
  for (const item of splitTop(v, ',')) {
    const s = item.trim();
    if (!s) continue;
    const g = /^([^:<>"]*):(.*?);?$/.exec(s);
    if (g && !s.includes('<') || (g && s.indexOf(':') < s.indexOf('<'))) {
      out.push({ group: { name: g![1].trim(), members: splitTop(g![2].replace(/;\s*$/, ''), ',').map((m) => one(m.trim())).filter((a) => a.mailbox !== undefined) } });
      continue;
    }
    out.push(one(s));
  }
  return out;
}

function splitTop(v: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  let angle = 0;
  let paren = 0;
  let group = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && i + 1 < v.length) {
      cur += c + v[++i];
      continue;
    }
    if (c === '"' && paren === 0) q = !q;
    else if (!q) {
      if (c === '<') angle++;
      else if (c === '>') angle = Math.max(0, angle - 1);
      else if (c === '(') paren++;
      else if (c === ')') paren = Math.max(0, paren - 1);
      else if (c === ':' && angle === 0 && paren === 0 && sep === ',') group = true;
      else if (c === ';' && group) group = false;
    }
    if (c === sep && !q && angle === 0 && paren === 0 && !group) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function one(s: string): Address {
  const noComments = (x: string): string => x.replace(/\((?:[^()\\]|\\.)*\)/g, '').trim();
  const m = /^(.*)<([^>]*)>\s*$/.exec(s);
  let name: string | undefined;
  let spec: string;
  if (m) {
    name = noComments(m[1]).trim();
    if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
    if (name === '') name = undefined;
    spec = m[2].trim();
  } else {
    spec = noComments(s);
  }
  spec = spec.replace(/^@[^:]*:/, ''); // source route
  const at = spec.lastIndexOf('@');
  if (at < 0) return { name, mailbox: spec, host: undefined };
  let local = spec.slice(0, at);
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2) local = local.slice(1, -1);
  return { name, mailbox: local, host: spec.slice(at + 1) };
}

function addressList(v: string | undefined): string {
  const list = parseAddresses(v);
  if (list.length === 0) return 'NIL';
  const parts: string[] = [];
  for (const a of list) {
    if (a.group) {
      parts.push(`(NIL NIL ${nstring(a.group.name)} NIL)`);
      for (const m of a.group.members) parts.push(addr(m));
      parts.push('(NIL NIL NIL NIL)');
    } else parts.push(addr(a));
  }
  return `(${parts.join('')})`;
}

function addr(a: Address): string {
  return `(${nstring(a.name)} NIL ${nstring(a.mailbox)} ${a.host === undefined ? 'NIL' : nstring(a.host)})`;
}

/** The ENVELOPE of a message (RFC 3501 §7.4.2). */
export function envelope(e: Entity): string {
  const f = (n: string): string | undefined => field(e.fields, n);
  const from = f('from');
  const sender = f('sender') ?? from;
  const replyTo = f('reply-to') ?? from;
  return `(${nstring(f('date'))} ${nstring(f('subject'))} ${addressList(from)} ${addressList(sender)} ${addressList(replyTo)} ${addressList(f('to'))} ${addressList(f('cc'))} ${addressList(f('bcc'))} ${nstring(f('in-reply-to'))} ${nstring(f('message-id'))})`;
}

function paramList(params: ReadonlyArray<readonly [string, string]>): string {
  if (params.length === 0) return 'NIL';
  return `(${params.map(([k, v]) => `${istring(k)} ${istring(v)}`).join(' ')})`;
}

function lineCount(s: string): number {
  // the number of line ends, as Dovecot counts (a last line without CRLF does not count)
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function disposition(e: Entity): string {
  const d = field(e.fields, 'content-disposition');
  if (!d) return 'NIL';
  const [head, ...rest] = splitParams(d);
  const params = rest.map(paramPair).filter((p): p is [string, string] => p !== undefined);
  return `(${istring(head.trim())} ${paramList(params)})`;
}

function language(e: Entity): string {
  const l = field(e.fields, 'content-language');
  if (!l) return 'NIL';
  const langs = l.split(',').map((x) => x.trim()).filter(Boolean);
  return langs.length === 1 ? istring(langs[0]) : `(${langs.map(istring).join(' ')})`;
}

/** BODYSTRUCTURE (`extended`) or BODY of an entity. */
export function bodyStructure(e: Entity, extended: boolean): string {
  if (e.type.toLowerCase() === 'multipart') {
    const kids = e.parts.length ? e.parts.map((p) => bodyStructure(p, extended)).join('') : '("text" "plain" NIL NIL NIL "7bit" 0 0)';
    const ext = extended ? ` ${paramList(e.params)} ${disposition(e)} ${language(e)} ${nstring(field(e.fields, 'content-location'))}` : '';
    return `(${kids} ${istring(e.subtype)}${ext})`;
  }
  const enc = field(e.fields, 'content-transfer-encoding') ?? '7bit';
  let s = `${istring(e.type)} ${istring(e.subtype)} ${paramList(e.params)} ${nstring(field(e.fields, 'content-id'))} ${nstring(field(e.fields, 'content-description'))} ${istring(enc)} ${e.body.length}`;
  if (e.type.toLowerCase() === 'text') s += ` ${lineCount(e.body)}`;
  else if (e.message) s += ` ${envelope(e.message)} ${bodyStructure(e.message, extended)} ${lineCount(e.body)}`;
  if (extended) s += ` ${nstring(field(e.fields, 'content-md5'))} ${disposition(e)} ${language(e)} ${nstring(field(e.fields, 'content-location'))}`;
  return `(${s})`;
}

// ---------------------------------------------------------------- sections

/** A parsed section spec: part path and text specifier. */
export interface Section {
  readonly path: number[];
  readonly text: '' | 'HEADER' | 'TEXT' | 'MIME' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT';
  readonly fields: string[];
}

/** The bytes of a section of `raw`, or '' when it does not exist. */
export function sectionBytes(raw: string, root: Entity, s: Section): string {
  let e: Entity | undefined = root;
  let whole = raw;
  for (let i = 0; i < s.path.length; i++) {
    const n = s.path[i];
    if (!e) return '';
    const inner: Entity | undefined = e.message ?? e;
    if (inner.type.toLowerCase() === 'multipart') {
      e = inner.parts[n - 1];
      if (!e) return '';
      whole = e.header + (e.header ? '\r\n' : '') + e.body;
    } else if (n === 1 && i === s.path.length - 1 && s.text !== 'MIME' && e === root) {
      // part 1 of a non-multipart message is its body
      return s.text === '' ? inner.body : sectionOf(inner, whole, s);
    } else if (n === 1) {
      e = inner;
    } else return '';
  }
  if (!e) return '';
  if (s.path.length === 0) return s.text === '' ? raw : sectionOf(e, raw, s);
  if (s.text === '') return e.body;
  if (s.text === 'MIME') return e.header + '\r\n';
  return sectionOf(e.message ?? e, whole, s);
}

function sectionOf(e: Entity, whole: string, s: Section): string {
  switch (s.text) {
    case 'HEADER':
      return e.header + '\r\n';
    case 'TEXT':
      return e.body;
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT': {
      const wanted = new Set(s.fields.map((f) => f.toLowerCase()));
      const keep = s.text === 'HEADER.FIELDS';
      const lines = e.header.split(/\r?\n(?![ \t])/).filter((l) => l !== '');
      const out = lines.filter((l) => {
        const i = l.indexOf(':');
        const name = i > 0 ? l.slice(0, i).trim().toLowerCase() : '';
        return wanted.has(name) === keep;
      });
      return out.map((l) => l + '\r\n').join('') + '\r\n';
    }
    default:
      return whole;
  }
}
