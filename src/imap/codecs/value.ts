/** A generic IMAP value (extension data we do not interpret): string, number, NIL or a list. */
import * as t from 'io-ts';

export type ImapValue = string | number | null | ImapValue[];
// io-ts needs the static type of a recursive codec spelled out; this is that type, not a duplicate.
export const ImapValue: t.Type<ImapValue> = t.recursion('ImapValue', () => t.union([t.string, t.number, t.null, t.array(ImapValue)]));
