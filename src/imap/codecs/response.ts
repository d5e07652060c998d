/**
 * Every server response rxwire parses, one discriminated union on `kind`.
 * The parser (../parser/) builds these values directly; the codecs are their
 * types and let tests and users validate them.
 */
import * as t from 'io-ts';
import { FetchAttributes } from './fetch';
import { ResponseCode } from './response-code';

const Code = t.union([ResponseCode, t.null]);

export const TaggedResponse = t.type({
  kind: t.literal('tagged'),
  tag: t.string,
  status: t.keyof({ OK: null, NO: null, BAD: null }),
  code: Code,
  text: t.string,
});
export type TaggedResponse = t.TypeOf<typeof TaggedResponse>;

/** Untagged OK/NO/BAD/PREAUTH/BYE (greeting, alerts, mode changes, BYE). */
export const ConditionResponse = t.type({
  kind: t.literal('condition'),
  status: t.keyof({ OK: null, NO: null, BAD: null, PREAUTH: null, BYE: null }),
  code: Code,
  text: t.string,
});
export type ConditionResponse = t.TypeOf<typeof ConditionResponse>;

export const ContinuationResponse = t.type({ kind: t.literal('continuation'), text: t.string });
export const CapabilityResponse = t.type({ kind: t.literal('capability'), capabilities: t.array(t.string) });

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
export type ListResponse = t.TypeOf<typeof ListResponse>;

export const MailboxStatusResponse = t.type({
  kind: t.literal('status'),
  name: t.string,
  rawName: t.string,
  /** MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ, SIZE ... as numbers. */
  attributes: t.record(t.string, t.number),
});
export type MailboxStatusResponse = t.TypeOf<typeof MailboxStatusResponse>;

export const SearchResponse = t.type({ kind: t.literal('search'), ids: t.array(t.number), modseq: t.union([t.number, t.null]) });
export const EsearchResponse = t.type({
  kind: t.literal('esearch'),
  tag: t.union([t.string, t.null]),
  uid: t.boolean,
  /** min/max/count/modseq as numbers, all as the sequence set sent ("1:3,7"). */
  data: t.partial({ min: t.number, max: t.number, count: t.number, all: t.string, modseq: t.number }),
});
export const FlagsResponse = t.type({ kind: t.literal('flags'), flags: t.array(t.string) });
export const ExistsResponse = t.type({ kind: t.literal('exists'), count: t.number });
export const RecentResponse = t.type({ kind: t.literal('recent'), count: t.number });
export const ExpungeResponse = t.type({ kind: t.literal('expunge'), seq: t.number });
export const FetchResponse = t.type({ kind: t.literal('fetch'), seq: t.number, attributes: FetchAttributes });
export type FetchResponse = t.TypeOf<typeof FetchResponse>;

const NamespaceList = t.union([t.array(t.type({ prefix: t.string, delimiter: t.union([t.string, t.null]) })), t.null]);
export const NamespaceResponse = t.type({ kind: t.literal('namespace'), personal: NamespaceList, other: NamespaceList, shared: NamespaceList });
export type NamespaceResponse = t.TypeOf<typeof NamespaceResponse>;
export const EnabledResponse = t.type({ kind: t.literal('enabled'), capabilities: t.array(t.string) });
/** QRESYNC (RFC 7162): `uids` is the uid-set as sent. */
export const VanishedResponse = t.type({ kind: t.literal('vanished'), earlier: t.boolean, uids: t.string });
export const IdResponse = t.type({ kind: t.literal('id'), params: t.union([t.record(t.string, t.union([t.string, t.null])), t.null]) });

/** A response rxwire does not know, or one it could not parse (`error` says why). Never fatal. */
export const UnknownResponse = t.type({ kind: t.literal('unknown'), tag: t.string, line: t.string, error: t.union([t.string, t.null]) });

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
export type Response = t.TypeOf<typeof Response>;
export type UntaggedResponse = Exclude<Response, TaggedResponse | t.TypeOf<typeof ContinuationResponse>>;
