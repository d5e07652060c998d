/** Response codes, the `[...]` in OK/NO/BAD/BYE/PREAUTH text (RFC 3501 §7.1, 4315, 5530, 7162). */
import * as t from 'io-ts';

/** Codes without arguments that rxwire recognises (RFC 3501, 5530, 7162, 4978). */
export const SimpleCodeName = t.keyof({
  ALERT: null,
  PARSE: null,
  'READ-ONLY': null,
  'READ-WRITE': null,
  TRYCREATE: null,
  AUTHENTICATIONFAILED: null,
  AUTHORIZATIONFAILED: null,
  UNAVAILABLE: null,
  EXPIRED: null,
  PRIVACYREQUIRED: null,
  CONTACTADMIN: null,
  NOPERM: null,
  INUSE: null,
  EXPUNGEISSUED: null,
  CORRUPTION: null,
  SERVERBUG: null,
  CLIENTBUG: null,
  CANNOT: null,
  LIMIT: null,
  OVERQUOTA: null,
  ALREADYEXISTS: null,
  NONEXISTENT: null,
  CLOSED: null,
  NOMODSEQ: null,
  UIDNOTSTICKY: null,
  COMPRESSIONACTIVE: null,
});

/** One response code, discriminated on `name`: the typed ones, the argument-less ones of {@link SimpleCodeName}, and `OTHER` for the rest. */
export const ResponseCode = t.union([
  t.type({ name: t.literal('CAPABILITY'), capabilities: t.array(t.string) }),
  t.type({ name: t.literal('PERMANENTFLAGS'), flags: t.array(t.string) }),
  t.type({ name: t.keyof({ UIDVALIDITY: null, UIDNEXT: null, UNSEEN: null, HIGHESTMODSEQ: null }), value: t.number }),
  /** UIDPLUS: `uids` is the uid-set as sent ("7" or "7:9"). */
  t.type({ name: t.literal('APPENDUID'), uidValidity: t.number, uids: t.string }),
  t.type({ name: t.literal('COPYUID'), uidValidity: t.number, source: t.string, destination: t.string }),
  t.type({ name: t.literal('BADCHARSET'), charsets: t.array(t.string) }),
  t.type({ name: SimpleCodeName }),
  /** Any other code: its atom and the raw text after it. */
  t.type({ name: t.literal('OTHER'), atom: t.string, text: t.union([t.string, t.null]) }),
]);
/** See the {@link ResponseCode} codec. */
export type ResponseCode = t.TypeOf<typeof ResponseCode>;
