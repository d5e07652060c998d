/**
 * Every server response rxwire parses, one discriminated union on `kind`.
 * The parser (../parser/) builds these values directly; the codecs are their
 * types and let tests and users validate them.
 */
import * as t from 'io-ts';
import { FetchAttributes } from './fetch';
import { ResponseCode } from './response-code';

const Code = t.union([ResponseCode, t.null]);

/** The tagged completion of a command: OK, NO or BAD, with its response code (null when none) and text. */
export const TaggedResponse = t.type({
  kind: t.literal('tagged'),
  tag: t.string,
  status: t.keyof({ OK: null, NO: null, BAD: null }),
  code: Code,
  text: t.string,
});
/** See the {@link TaggedResponse} codec. */
export type TaggedResponse = t.TypeOf<typeof TaggedResponse>;

/** Untagged OK/NO/BAD/PREAUTH/BYE (greeting, alerts, mode changes, BYE). */
export const ConditionResponse = t.type({
  kind: t.literal('condition'),
  status: t.keyof({ OK: null, NO: null, BAD: null, PREAUTH: null, BYE: null }),
  code: Code,
  text: t.string,
});
export type ConditionResponse = t.TypeOf<typeof ConditionResponse>;

/** A `+` continuation request, with the text after it (base64 for AUTHENTICATE challenges). */
export const ContinuationResponse = t.type({ kind: t.literal('continuation'), text: t.string });
/** Untagged CAPABILITY: the capability names as sent. */
export const CapabilityResponse = t.type({ kind: t.literal('capability'), capabilities: t.array(t.string) });

/** One untagged LIST or LSUB line: mailbox attributes (`\HasChildren`, `\Noselect` ...), hierarchy delimiter (null for NIL) and name. */
export const ListResponse = t.type({
  kind: t.literal('list'),
  command: t.keyof({ LIST: null, LSUB: null }),
  flags: t.array(t.string),
  delimiter: t.union([t.string, t.null]),
  /** Decoded from modified UTF-7. */
  name: t.string,
  /** As sent (modified UTF-7); pass `name` back to commands, they encode it. */
  rawName: t.string,
});
/** See the {@link ListResponse} codec. */
export type ListResponse = t.TypeOf<typeof ListResponse>;

/** Untagged STATUS: the mailbox (`name` decoded, `rawName` as sent) and the attributes asked for. */
export const MailboxStatusResponse = t.type({
  kind: t.literal('status'),
  name: t.string,
  rawName: t.string,
  /** MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ, SIZE ... as numbers. */
  attributes: t.record(t.string, t.number),
});
/** See the {@link MailboxStatusResponse} codec. */
export type MailboxStatusResponse = t.TypeOf<typeof MailboxStatusResponse>;

/** Untagged SEARCH: the matching numbers as sent, and the `(MODSEQ n)` CONDSTORE adds (null when absent). */
export const SearchResponse = t.type({ kind: t.literal('search'), ids: t.array(t.number), modseq: t.union([t.number, t.null]) });
/** Untagged ESEARCH (RFC 4731): the command's `tag` (null when none), whether the numbers are UIDs, and the returned data. */
export const EsearchResponse = t.type({
  kind: t.literal('esearch'),
  tag: t.union([t.string, t.null]),
  uid: t.boolean,
  /** min/max/count/modseq as numbers, all as the sequence set sent ("1:3,7"). */
  data: t.partial({ min: t.number, max: t.number, count: t.number, all: t.string, modseq: t.number }),
});
/** Untagged FLAGS: the flags defined in the selected mailbox. */
export const FlagsResponse = t.type({ kind: t.literal('flags'), flags: t.array(t.string) });
/** Untagged `n EXISTS`: the mailbox now holds `count` messages. */
export const ExistsResponse = t.type({ kind: t.literal('exists'), count: t.number });
/** Untagged `n RECENT` (RFC 3501): messages with `\Recent`. */
export const RecentResponse = t.type({ kind: t.literal('recent'), count: t.number });
/** Untagged `n EXPUNGE`: message `seq` is gone; later sequence numbers drop by one. */
export const ExpungeResponse = t.type({ kind: t.literal('expunge'), seq: t.number });
/** Untagged `n FETCH (...)`: message `seq` and its attributes. */
export const FetchResponse = t.type({ kind: t.literal('fetch'), seq: t.number, attributes: FetchAttributes });
/** See the {@link FetchResponse} codec. */
export type FetchResponse = t.TypeOf<typeof FetchResponse>;

const NamespaceList = t.union([t.array(t.type({ prefix: t.string, delimiter: t.union([t.string, t.null]) })), t.null]);
/** Untagged NAMESPACE (RFC 2342): personal, other users' and shared namespaces (each null for NIL), as prefix and delimiter. */
export const NamespaceResponse = t.type({ kind: t.literal('namespace'), personal: NamespaceList, other: NamespaceList, shared: NamespaceList });
/** See the {@link NamespaceResponse} codec. */
export type NamespaceResponse = t.TypeOf<typeof NamespaceResponse>;
/** Untagged ENABLED (RFC 5161): the extensions the server enabled. */
export const EnabledResponse = t.type({ kind: t.literal('enabled'), capabilities: t.array(t.string) });
/** QRESYNC (RFC 7162): `uids` is the uid-set as sent. */
export const VanishedResponse = t.type({ kind: t.literal('vanished'), earlier: t.boolean, uids: t.string });
/** Untagged ID (RFC 2971): the server's field/value pairs, or null for NIL. */
export const IdResponse = t.type({ kind: t.literal('id'), params: t.union([t.record(t.string, t.union([t.string, t.null])), t.null]) });

/** A response rxwire does not know, or one it could not parse (`error` says why). Never fatal. */
export const UnknownResponse = t.type({ kind: t.literal('unknown'), tag: t.string, line: t.string, error: t.union([t.string, t.null]) });

/** Every response rxwire parses, discriminated on `kind`. */
export const Response = t.union([
  TaggedResponse,
  ConditionResponse,
  ContinuationResponse,
  CapabilityResponse,
  ListResponse,
  MailboxStatusResponse,
  SearchResponse,
  EsearchResponse,
  FlagsResponse,
  ExistsResponse,
  RecentResponse,
  ExpungeResponse,
  FetchResponse,
  NamespaceResponse,
  EnabledResponse,
  VanishedResponse,
  IdResponse,
  UnknownResponse,
]);
/** See the {@link Response} codec. */
export type Response = t.TypeOf<typeof Response>;
/** Every response except the tagged completion and `+` continuation. */
export type UntaggedResponse = Exclude<Response, TaggedResponse | t.TypeOf<typeof ContinuationResponse>>;
