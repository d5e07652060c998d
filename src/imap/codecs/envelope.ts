/** ENVELOPE (RFC 3501 §7.4.2): strings as sent (RFC 2047 words are not decoded), NIL as null. */
import * as t from 'io-ts';

/** One address of an ENVELOPE (RFC 3501 §7.4.2 `address`): the address is `mailbox@host`; NIL fields are null. */
export const Address = t.type({
  /** The display name (RFC 2047 words not decoded). */
  name: t.union([t.string, t.null]),
  /** The obsolete source route (almost always null). */
  adl: t.union([t.string, t.null]),
  /** Local part; with host null this marks the start (group name) or end (null) of a group. */
  mailbox: t.union([t.string, t.null]),
  host: t.union([t.string, t.null]),
});
/** See the {@link Address} codec. */
export type Address = t.TypeOf<typeof Address>;

const Addresses = t.union([t.array(Address), t.null]);
const NString = t.union([t.string, t.null]);

/**
 * A message's ENVELOPE: header fields parsed by the server, in RFC 3501's order.
 * Strings as sent, NIL as null; address lists are null when the header is absent.
 */
export const Envelope = t.type({
  date: NString,
  subject: NString,
  from: Addresses,
  sender: Addresses,
  replyTo: Addresses,
  to: Addresses,
  cc: Addresses,
  bcc: Addresses,
  inReplyTo: NString,
  messageId: NString,
});
/** See the {@link Envelope} codec. */
export type Envelope = t.TypeOf<typeof Envelope>;
