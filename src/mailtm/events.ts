/**
 * The Mail.tm event union: the seed's eight server events (ServerStarted,
 * NewMessage, MessageDelete, DomainChange, AccountSwitched,
 * NewAccountCreated, AccountDeleted, ServerCalledOff) plus lifecycle
 * (Disconnected, Reconnecting, Resumed, HubConnected, HubDisconnected) and the
 * shared Unknown/DecodeError. `data` of NewMessage/MessageDelete is the
 * message as `GET /messages` lists it (the wire's field names).
 */
import * as t from 'io-ts';
import type { DecodeErrorEvent, SourceEvent, UnknownEvent } from '../core';
import { MailtmAccount, MailtmDomain, MailtmMessageSummary } from './codecs';

export const MAILTM_SOURCE = 'mailtm' as const;
export type MailtmSourceName = typeof MAILTM_SOURCE;

export const MailtmServerStartedData = t.type({
  baseUrl: t.string,
  mode: t.union([t.literal('poll'), t.literal('push')]),
  /** The account watched from the start, if any. */
  address: t.union([t.string, t.null]),
});
export type MailtmServerStartedData = t.TypeOf<typeof MailtmServerStartedData>;

export const MailtmDomainChangeData = t.type({
  /** The full new list. */
  domains: t.array(MailtmDomain),
  added: t.array(MailtmDomain),
  removed: t.array(MailtmDomain),
  /** Same id, different state (e.g. deactivated). */
  changed: t.array(MailtmDomain),
});
export type MailtmDomainChangeData = t.TypeOf<typeof MailtmDomainChangeData>;

export const MailtmAccountSwitchedData = t.type({
  /** The address watched before, or null. */
  from: t.union([t.string, t.null]),
  to: t.string,
  accountId: t.union([t.string, t.null]),
  /** How many messages the mailbox already held (reported as NewMessage right after this event only with backlog on). */
  existing: t.number,
  backlog: t.boolean,
});
export type MailtmAccountSwitchedData = t.TypeOf<typeof MailtmAccountSwitchedData>;

export const MailtmAccountDeletedData = t.type({ address: t.string, accountId: t.union([t.string, t.null]) });
export type MailtmAccountDeletedData = t.TypeOf<typeof MailtmAccountDeletedData>;

export const MailtmServerCalledOffData = t.type({
  reason: t.union([t.literal('stopped'), t.literal('error')]),
});
export type MailtmServerCalledOffData = t.TypeOf<typeof MailtmServerCalledOffData>;

export const MailtmDisconnectedData = t.type({ reason: t.string });
export type MailtmDisconnectedData = t.TypeOf<typeof MailtmDisconnectedData>;

export const MailtmReconnectingData = t.type({ attempt: t.number, delay: t.number });
export type MailtmReconnectingData = t.TypeOf<typeof MailtmReconnectingData>;

export const MailtmResumedData = t.type({ attempts: t.number });
export type MailtmResumedData = t.TypeOf<typeof MailtmResumedData>;

export const MailtmHubData = t.type({ address: t.string });
export type MailtmHubData = t.TypeOf<typeof MailtmHubData>;

type E<T extends string, D> = SourceEvent<MailtmSourceName, T, D>;

export type MailtmServerStarted = E<'ServerStarted', MailtmServerStartedData>;
export type MailtmNewMessage = E<'NewMessage', MailtmMessageSummary>;
export type MailtmMessageDelete = E<'MessageDelete', MailtmMessageSummary>;
export type MailtmDomainChange = E<'DomainChange', MailtmDomainChangeData>;
export type MailtmAccountSwitched = E<'AccountSwitched', MailtmAccountSwitchedData>;
export type MailtmNewAccountCreated = E<'NewAccountCreated', MailtmAccount>;
export type MailtmAccountDeleted = E<'AccountDeleted', MailtmAccountDeletedData>;
export type MailtmServerCalledOff = E<'ServerCalledOff', MailtmServerCalledOffData>;
export type MailtmDisconnected = E<'Disconnected', MailtmDisconnectedData>;
export type MailtmReconnecting = E<'Reconnecting', MailtmReconnectingData>;
export type MailtmResumed = E<'Resumed', MailtmResumedData>;
export type MailtmHubConnected = E<'HubConnected', MailtmHubData>;
export type MailtmHubDisconnected = E<'HubDisconnected', MailtmHubData & { reason: string }>;

export type MailtmEvent =
  | MailtmServerStarted
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

export type MailtmEventType = MailtmEvent['type'];

/** Builds a Mail.tm event, typed by its `type`. */
export function mailtmEvent<T extends MailtmEventType>(type: T, data: Extract<MailtmEvent, { type: T }>['data']): Extract<MailtmEvent, { type: T }> {
  return { source: MAILTM_SOURCE, type, data } as Extract<MailtmEvent, { type: T }>;
}
