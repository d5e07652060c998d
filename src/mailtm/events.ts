/**
 * The Mail.tm event union: the seed's eight server events (ServerStarted,
 * NewMessage, MessageDelete, DomainChange, AccountSwitched,
 * NewAccountCreated, AccountDeleted, ServerCalledOff) plus the core lifecycle
 * (Connecting, Connected, Ready, Disconnected, Reconnecting, Resumed; the
 * seed's ServerCalledOff is Closed), HubConnected/HubDisconnected and the
 * shared Unknown/DecodeError. `data` of NewMessage/MessageDelete is the
 * message as `GET /messages` lists it (the wire's field names).
 */
import * as t from 'io-ts';
import { ConnectedData, ConnectingData, DisconnectedData, ReconnectingData, type DecodeErrorEvent, type SourceEvent, type UnknownEvent } from '../core';
import { MailtmAccount, MailtmDomain, MailtmMessageSummary } from './codecs';

/** The `source` of every Mail.tm event. */
export const MAILTM_SOURCE = 'mailtm' as const;
/** The type of `MAILTM_SOURCE`. */
export type MailtmSourceName = typeof MAILTM_SOURCE;

/** ServerStarted: the stream started (first event). */
export const MailtmServerStartedData = t.type({
  baseUrl: t.string,
  mode: t.union([t.literal('poll'), t.literal('push')]),
  /** The account watched from the start, if any. */
  address: t.union([t.string, t.null]),
});
/** The type of the `MailtmServerStartedData` codec. */
export type MailtmServerStartedData = t.TypeOf<typeof MailtmServerStartedData>;

/** Ready: reporting has started; `address` is the watched account (null with none), `existing` its baseline size. */
export const MailtmReadyData = t.type({ address: t.union([t.string, t.null]), existing: t.number });
/** The type of the `MailtmReadyData` codec. */
export type MailtmReadyData = t.TypeOf<typeof MailtmReadyData>;

/** DomainChange: the domain list changed. */
export const MailtmDomainChangeData = t.type({
  /** The full new list. */
  domains: t.array(MailtmDomain),
  added: t.array(MailtmDomain),
  removed: t.array(MailtmDomain),
  /** Same id, different state (e.g. deactivated). */
  changed: t.array(MailtmDomain),
});
/** The type of the `MailtmDomainChangeData` codec. */
export type MailtmDomainChangeData = t.TypeOf<typeof MailtmDomainChangeData>;

/** AccountSwitched: a complete baseline of `to` was read; everything arriving after it is reported. */
export const MailtmAccountSwitchedData = t.type({
  /** The address watched before, or null. */
  from: t.union([t.string, t.null]),
  to: t.string,
  accountId: t.union([t.string, t.null]),
  /** How many messages the mailbox already held (reported as NewMessage right after this event only with backlog on). */
  existing: t.number,
  backlog: t.boolean,
});
/** The type of the `MailtmAccountSwitchedData` codec. */
export type MailtmAccountSwitchedData = t.TypeOf<typeof MailtmAccountSwitchedData>;

/** AccountDeleted: the account is gone (and no longer watched). */
export const MailtmAccountDeletedData = t.type({ address: t.string, accountId: t.union([t.string, t.null]) });
/** The type of the `MailtmAccountDeletedData` codec. */
export type MailtmAccountDeletedData = t.TypeOf<typeof MailtmAccountDeletedData>;

/** ServerCalledOff (= the core Closed): 'stopped' (stop()/until) or 'error' (a fatal error follows). */
export const MailtmServerCalledOffData = t.type({
  reason: t.union([t.literal('stopped'), t.literal('error')]),
});
/** The type of the `MailtmServerCalledOffData` codec. */
export type MailtmServerCalledOffData = t.TypeOf<typeof MailtmServerCalledOffData>;

/** Connecting: before the first request; `url` is the API base URL. */
export const MailtmConnectingData = ConnectingData;
/** The type of `ConnectingData`. */
export type MailtmConnectingData = ConnectingData;

/** Connected: the initial account holds a token (with no account: the server answered). */
export const MailtmConnectedData = ConnectedData;
/** The type of `ConnectedData`. */
export type MailtmConnectedData = ConnectedData;

/** Disconnected: a mailbox read failed transiently; `code` is the HTTP status when there was one. */
export const MailtmDisconnectedData = DisconnectedData;
/** The type of `DisconnectedData`. */
export type MailtmDisconnectedData = DisconnectedData;

/** Reconnecting: retry `attempt` after `delay` ms. */
export const MailtmReconnectingData = ReconnectingData;
/** The type of `ReconnectingData`. */
export type MailtmReconnectingData = ReconnectingData;

/** Resumed: a read succeeded after `attempts` failed ones; the next diff catches up. */
export const MailtmResumedData = t.type({ attempts: t.number });
/** The type of the `MailtmResumedData` codec. */
export type MailtmResumedData = t.TypeOf<typeof MailtmResumedData>;

/** HubConnected/HubDisconnected: the Mercure hub of `address` (push mode). */
export const MailtmHubData = t.type({ address: t.string });
/** The type of the `MailtmHubData` codec. */
export type MailtmHubData = t.TypeOf<typeof MailtmHubData>;

/** The stream started. */
export type MailtmServerStarted = SourceEvent<MailtmSourceName, 'ServerStarted', MailtmServerStartedData>;
/** Before the first request. */
export type MailtmConnecting = SourceEvent<MailtmSourceName, 'Connecting', MailtmConnectingData>;
/** A token is held (or the server answered). */
export type MailtmConnected = SourceEvent<MailtmSourceName, 'Connected', MailtmConnectedData>;
/** Reporting started (after the first complete baseline). */
export type MailtmReady = SourceEvent<MailtmSourceName, 'Ready', MailtmReadyData>;
/** A message arrived (exactly once, oldest first). */
export type MailtmNewMessage = SourceEvent<MailtmSourceName, 'NewMessage', MailtmMessageSummary>;
/** A known message is gone (its last known copy). */
export type MailtmMessageDelete = SourceEvent<MailtmSourceName, 'MessageDelete', MailtmMessageSummary>;
/** The domain list changed. */
export type MailtmDomainChange = SourceEvent<MailtmSourceName, 'DomainChange', MailtmDomainChangeData>;
/** A new account is watched from its baseline. */
export type MailtmAccountSwitched = SourceEvent<MailtmSourceName, 'AccountSwitched', MailtmAccountSwitchedData>;
/** An account was created through this handle. */
export type MailtmNewAccountCreated = SourceEvent<MailtmSourceName, 'NewAccountCreated', MailtmAccount>;
/** An account was deleted through this handle. */
export type MailtmAccountDeleted = SourceEvent<MailtmSourceName, 'AccountDeleted', MailtmAccountDeletedData>;
/** The stream ends (= Closed). */
export type MailtmServerCalledOff = SourceEvent<MailtmSourceName, 'ServerCalledOff', MailtmServerCalledOffData>;
/** A mailbox read failed transiently. */
export type MailtmDisconnected = SourceEvent<MailtmSourceName, 'Disconnected', MailtmDisconnectedData>;
/** A retry is scheduled. */
export type MailtmReconnecting = SourceEvent<MailtmSourceName, 'Reconnecting', MailtmReconnectingData>;
/** Reads succeed again. */
export type MailtmResumed = SourceEvent<MailtmSourceName, 'Resumed', MailtmResumedData>;
/** The push hub is open. */
export type MailtmHubConnected = SourceEvent<MailtmSourceName, 'HubConnected', MailtmHubData>;
/** The push hub dropped. */
export type MailtmHubDisconnected = SourceEvent<MailtmSourceName, 'HubDisconnected', MailtmHubData & { reason: string }>;

/** Every event of a Mail.tm stream. */
export type MailtmEvent =
  | MailtmServerStarted
  | MailtmConnecting
  | MailtmConnected
  | MailtmReady
  | MailtmNewMessage
  | MailtmMessageDelete
  | MailtmDomainChange
  | MailtmAccountSwitched
  | MailtmNewAccountCreated
  | MailtmAccountDeleted
  | MailtmServerCalledOff
  | MailtmDisconnected
  | MailtmReconnecting
  | MailtmResumed
  | MailtmHubConnected
  | MailtmHubDisconnected
  | UnknownEvent<MailtmSourceName>
  | DecodeErrorEvent<MailtmSourceName>;

/** The `type` of a Mail.tm event. */
export type MailtmEventType = MailtmEvent['type'];

/** Builds a Mail.tm event, typed by its `type`. */
export function mailtmEvent<T extends MailtmEventType>(type: T, data: Extract<MailtmEvent, { type: T }>['data']): Extract<MailtmEvent, { type: T }> {
  return { source: MAILTM_SOURCE, type, data } as Extract<MailtmEvent, { type: T }>;
}
