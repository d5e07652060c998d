import type { Address, Envelope } from '../codecs/envelope';
import type { Reader } from './reader';

function address(r: Reader): Address {
  r.expect(0x28, '(');
  const name = r.nstring();
  r.sp();
  const adl = r.nstring();
  r.sp();
  const mailbox = r.nstring();
  r.sp();
  const host = r.nstring();
  r.expect(0x29, ')');
  return { name, adl, mailbox, host };
}

function addresses(r: Reader): Address[] | null {
  if (r.isNil()) return null;
  r.expect(0x28, '(');
  // one or two addresses (the common case) go into array literals of exact size
  if (r.peek() === 0x28) {
    const a = address(r);
    r.skipSp();
    if (r.peek() === 0x29) {
      r.i++;
      return [a];
    }
    if (r.peek() === 0x28) {
      const b = address(r);
      r.skipSp();
      if (r.peek() === 0x29) {
        r.i++;
        return [a, b];
      }
      return more(r, [a, b]);
    }
    return more(r, [a]);
  }
  return more(r, []);
}

function more(r: Reader, out: Address[]): Address[] {
  while (r.peek() !== 0x29) {
    if (r.done) r.fail(')');
    out.push(address(r));
    r.skipSp();
  }
  r.i++;
  return out;
}

export function parseEnvelope(r: Reader): Envelope {
  r.expect(0x28, '(');
  const date = r.nstring();
  r.sp();
  const subject = r.nstring();
  r.sp();
  const from = addresses(r);
  r.sp();
  const sender = addresses(r);
  r.sp();
  const replyTo = addresses(r);
  r.sp();
  const to = addresses(r);
  r.sp();
  const cc = addresses(r);
  r.sp();
  const bcc = addresses(r);
  r.sp();
  const inReplyTo = r.nstring();
  r.sp();
  const messageId = r.nstring();
  r.expect(0x29, ')');
  return { date, subject, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId };
}
