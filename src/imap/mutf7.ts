/**
 * Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands
 * for itself except `&`, written `&-`; other characters go as UTF-16 in
 * modified base64 (`,` for `/`, no padding) between `&` and `-`.
 */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';

/** A mailbox name → its modified UTF-7 wire form (`Entwürfe` → `Entw&APw-rfe`); commands call it for you. */
export function encodeMailboxName(name: string): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      out += c === 0x26 ? '&-' : name[i];
      i++;
      continue;
    }
    let j = i;
    while (j < name.length && (name.charCodeAt(j) < 0x20 || name.charCodeAt(j) > 0x7e)) j++;
    const bytes: number[] = [];
    for (let k = i; k < j; k++) {
      const u = name.charCodeAt(k);
      bytes.push(u >> 8, u & 0xff);
    }
    out += '&' + Buffer.from(bytes).toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
    i = j;
  }
  return out;
}

/** Base64 value of a modified-base64 character code, -1 for any other. */
const B64_VALUE = new Int8Array(128).fill(-1);
for (let k = 0; k < B64.length; k++) B64_VALUE[B64.charCodeAt(k)] = k;

/**
 * Decodes a modified UTF-7 name; a malformed shift sequence is left as sent.
 * One pass over the name (linear: a shift without its closing `-` is found
 * once, not rescanned from every `&`).
 */
export function decodeMailboxName(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  const out: string[] = [];
  let from = 0;
  while (amp !== -1) {
    const dash = raw.indexOf('-', amp + 1);
    if (dash === -1) break; // no shift sequence can close any more: the rest stays as sent
    const decoded = dash === amp + 1 ? '&' : decodeShift(raw, amp + 1, dash);
    if (decoded === undefined) {
      // malformed: keep "&...-" as sent and go on after it, as the regex form did
      amp = raw.indexOf('&', dash + 1);
      continue;
    }
    if (amp > from) out.push(raw.slice(from, amp));
    out.push(decoded);
    from = dash + 1;
    amp = raw.indexOf('&', from);
  }
  if (from === 0) return raw;
  if (from < raw.length) out.push(raw.slice(from));
  return out.join('');
}

/** The UTF-16 text of the modified base64 in raw[start, end); undefined if a character is not modified base64. */
function decodeShift(raw: string, start: number, end: number): string | undefined {
  const units: number[] = [];
  let bits = 0;
  let nbits = 0;
  for (let k = start; k < end; k++) {
    const c = raw.charCodeAt(k);
    const v = c < 128 ? B64_VALUE[c] : -1;
    if (v < 0) return undefined;
    bits = ((bits << 6) | v) & 0xffffff;
    nbits += 6;
    if (nbits >= 16) {
      nbits -= 16;
      units.push((bits >> nbits) & 0xffff);
    }
  }
  const parts: string[] = [];
  for (let k = 0; k < units.length; k += 4096) parts.push(String.fromCharCode(...units.slice(k, k + 4096)));
  return parts.join('');
}
