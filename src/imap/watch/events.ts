/**
 * ImapEvent: everything `watchMailbox` emits, one discriminated union on `type`.
 * Each member's `data` is typed by its io-ts codec below.
 */
import * as t from 'io-ts';
import type { DecodeErrorEvent, SourceEvent, UnknownEvent } from '../../core';
import { Envelope } from '../codecs/envelope';

const NullableNumber = t.union([t.number, t.null]);

/** `url`: `imap://host:port` or `imaps://host:port` (never a credential); `host`/`port` kept for existing code. */
export const ConnectingData = t.type({ url: t.string, attempt: t.number, host: t.string, port: t.number });
/** Logged in; `capabilities` as the server announced them after login. */
export const ConnectedData = t.type({ url: t.string, capabilities: t.array(t.string) });
/** The watch is established the first time (mailbox selected, baseline read, IDLE or NOOP polling running). */
export const ReadyData = t.type({ mailbox: t.string, method: t.keyof({ IDLE: null, NOOP: null }) });
/** A reconnect caught up without loss (every change while away was reported); then watching goes on. */
export const ResumedData = t.type({ mailbox: t.string, method: t.keyof({ IDLE: null, NOOP: null }) });
/** The mailbox was selected: its size, UIDVALIDITY, UIDNEXT/HIGHESTMODSEQ (null when not sent), access and flags. */
export const MailboxSelectedData = t.type({
  mailbox: t.string,
  exists: t.number,
  uidValidity: t.number,
  uidNext: NullableNumber,
  highestModSeq: NullableNumber,
  readWrite: t.boolean,
  flags: t.array(t.string),
  permanentFlags: t.array(t.string),
});
/** `method`: 'IDLE' (RFC 2177) or 'NOOP' polling when the server lacks IDLE. */
export const IdleStartedData = t.type({ mailbox: t.string, method: t.keyof({ IDLE: null, NOOP: null }) });
/** The connection went away; `willReconnect` says whether a Reconnecting follows. */
export const DisconnectedData = t.type({ reason: t.string, willReconnect: t.boolean });
/** Attempt `attempt` starts after `delay` ms. */
export const ReconnectingData = t.type({ attempt: t.number, delay: t.number });
/** The watch ended (stop$, or a fatal error just before the stream errors). */
export const ClosedData = t.type({ reason: t.string });
/** @deprecated Emitted right after `Closed` with the same data for one release; switch on `Closed`. */
export const ConnectionClosedData = t.type({ reason: t.string });

/** `modseq`: when the server has CONDSTORE. */
export const NewMessage = t.type({ uid: t.number, seq: t.number, flags: t.array(t.string), modseq: NullableNumber, envelope: t.union([Envelope, t.null]) });
export type NewMessage = t.TypeOf<typeof NewMessage>;
/** `count`: messages in the mailbox now; `previous`: before these arrived. */
export const NewMessagesData = t.type({ count: t.number, previous: t.number, messages: t.array(NewMessage) });
/** `uid` is null only when the server sent no UID and rxwire could not map the sequence number. */
export const FlagsChangedData = t.type({ seq: t.number, uid: NullableNumber, flags: t.array(t.string), modseq: NullableNumber });
/**
 * EXPUNGE: `seq` and the message's UID (when known). VANISHED (QRESYNC): `seq` null and the UIDs.
 * `earlier`: the removal happened while rxwire was disconnected (found during catch-up).
 */
export const ExpungedData = t.type({ seq: NullableNumber, uids: t.array(t.number), earlier: t.boolean });
/** A `[READ-WRITE]` or `[READ-ONLY]` response code arrived in an untagged condition: the mailbox's access mode now. */
export const ModeChangedData = t.type({ mode: t.keyof({ 'READ-WRITE': null, 'READ-ONLY': null }) });
/** FLAGS (the flags defined in the mailbox) or PERMANENTFLAGS (those a client may store). */
export const MailboxFlagsData = t.type({ kind: t.keyof({ FLAGS: null, PERMANENTFLAGS: null }), flags: t.array(t.string) });
/** An `[ALERT]` the server wants shown to the user (RFC 3501 §7.1), its text as sent. */
export const AlertData = t.type({ text: t.string });
/** The server sent an untagged BYE (it is closing the connection), with its text; not emitted while the watch is stopping. */
export const ByeData = t.type({ text: t.string });
/** UIDVALIDITY changed: every UID rxwire knew is void; watching restarts from the mailbox's current state. */
export const MailboxResetData = t.type({ mailbox: t.string, previousUidValidity: t.number, uidValidity: t.number, exists: t.number });

/** The codec of each event's `data`, by event type (validate or cross-check events with it). */
export const ImapEventData = {
  Connecting: ConnectingData,
  Connected: ConnectedData,
  Ready: ReadyData,
  Resumed: ResumedData,
  MailboxSelected: MailboxSelectedData,
  IdleStarted: IdleStartedData,
  Disconnected: DisconnectedData,
  Reconnecting: ReconnectingData,
  Closed: ClosedData,
  ConnectionClosed: ConnectionClosedData,
  NewMessages: NewMessagesData,
  FlagsChanged: FlagsChangedData,
  Expunged: ExpungedData,
  ModeChanged: ModeChangedData,
  MailboxFlags: MailboxFlagsData,
  Alert: AlertData,
  Bye: ByeData,
  MailboxReset: MailboxResetData,
} as const;

/**
 * Everything the IMAP source emits (`source: 'imap'`), discriminated on `type`;
 * each member's `data` is the static type of its codec in {@link ImapEventData}.
 * `ConnectionClosed` is deprecated: it follows `Closed` with the same data.
 * Narrow with `ofType('NewMessages')` or a `switch` on `type`.
 */
export type ImapEvent =
  | SourceEvent<'imap', 'Connecting', t.TypeOf<typeof ConnectingData>>
  | SourceEvent<'imap', 'Connected', t.TypeOf<typeof ConnectedData>>
  | SourceEvent<'imap', 'Ready', t.TypeOf<typeof ReadyData>>
  | SourceEvent<'imap', 'Resumed', t.TypeOf<typeof ResumedData>>
  | SourceEvent<'imap', 'MailboxSelected', t.TypeOf<typeof MailboxSelectedData>>
  | SourceEvent<'imap', 'IdleStarted', t.TypeOf<typeof IdleStartedData>>
  | SourceEvent<'imap', 'Disconnected', t.TypeOf<typeof DisconnectedData>>
  | SourceEvent<'imap', 'Reconnecting', t.TypeOf<typeof ReconnectingData>>
  | SourceEvent<'imap', 'Closed', t.TypeOf<typeof ClosedData>>
  /** Deprecated: follows `Closed` with the same data; removed in the next release. */
  | SourceEvent<'imap', 'ConnectionClosed', t.TypeOf<typeof ConnectionClosedData>>
  | SourceEvent<'imap', 'NewMessages', t.TypeOf<typeof NewMessagesData>>
  | SourceEvent<'imap', 'FlagsChanged', t.TypeOf<typeof FlagsChangedData>>
  | SourceEvent<'imap', 'Expunged', t.TypeOf<typeof ExpungedData>>
  | SourceEvent<'imap', 'ModeChanged', t.TypeOf<typeof ModeChangedData>>
  | SourceEvent<'imap', 'MailboxFlags', t.TypeOf<typeof MailboxFlagsData>>
  | SourceEvent<'imap', 'Alert', t.TypeOf<typeof AlertData>>
  | SourceEvent<'imap', 'Bye', t.TypeOf<typeof ByeData>>
  | SourceEvent<'imap', 'MailboxReset', t.TypeOf<typeof MailboxResetData>>
  | UnknownEvent<'imap'>
  | DecodeErrorEvent<'imap'>;

/** The `type` of every ImapEvent. */
export type ImapEventType = ImapEvent['type'];

/** Builds an ImapEvent, checked against the union. */
export function imapEvent<T extends ImapEventType>(type: T, data: Extract<ImapEvent, { type: T }>['data']): Extract<ImapEvent, { type: T }> {
  // The union member with this `type` is exactly { source, type, data } with this data.
  return { source: 'imap', type, data } as Extract<ImapEvent, { type: T }>;
}
