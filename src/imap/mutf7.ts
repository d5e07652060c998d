/**
 * Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands
 * for itself except `&`, written `&-`; other characters go as UTF-16 in
 * modified base64 (`,` for `/`, no padding) between `&` and `-`.
 */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';

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

/** Decodes a modified UTF-7 name; a malformed shift sequence is left as sent. */
export function decodeMailboxName(raw: string): string {
  if (raw.indexOf('&') === -1) return raw;
  return raw.replace(/&([^-]*)-/g, (whole, b64: string) => {
    if (b64 === '') return '&';
    for (let k = 0; k < b64.length; k++) if (B64.indexOf(b64[k]) === -1) return whole;
    const bytes = Buffer.from(b64.replace(/,/g, '/'), 'base64');
    let s = '';
    for (let k = 0; k + 1 < bytes.length; k += 2) s += String.fromCharCode((bytes[k] << 8) | bytes[k + 1]);
    return s;
  });
}
