/** A generic IMAP value (extension data we do not interpret): string, number, NIL or a list. */
import * as t from 'io-ts';

/** See the {@link ImapValue} codec: a string, a number, null (NIL) or a parenthesized list of these. */
export type ImapValue = string | number | null | ImapValue[];
// io-ts needs the static type of a recursive codec spelled out; this is that type, not a duplicate.
/** A generic IMAP value (extension data rxwire does not interpret): string, number, NIL as null, or a list. */
export const ImapValue: t.Type<ImapValue> = t.recursion('ImapValue', () => t.union([t.string, t.number, t.null, t.array(ImapValue)]));
