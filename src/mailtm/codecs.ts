/**
 * io-ts codecs for the Mail.tm API bodies (API Platform, JSON-LD / Hydra).
 * Field names are the wire's own. JSON-LD keys (`@id`, `@type`, `@context`)
 * are optional: collection members carry `@id`/`@type` but not `@context`.
 * A Hydra collection is an envelope codec composed with an item codec.
 */
import * as t from 'io-ts';

const JsonLd = t.partial({ '@context': t.string, '@id': t.string, '@type': t.string });

/** A domain (`GET /domains`). */
export const MailtmDomain = t.intersection([
  t.type({
    id: t.string,
    domain: t.string,
    isActive: t.boolean,
    isPrivate: t.boolean,
    createdAt: t.string,
    updatedAt: t.string,
  }),
  JsonLd,
]);
/** The type of the `MailtmDomain` codec. */
export type MailtmDomain = t.TypeOf<typeof MailtmDomain>;

/** An account (`GET /me`, `POST /accounts`). */
export const MailtmAccount = t.intersection([
  t.type({
    id: t.string,
    address: t.string,
    quota: t.number,
    used: t.number,
    isDisabled: t.boolean,
    isDeleted: t.boolean,
    createdAt: t.string,
    updatedAt: t.string,
  }),
  JsonLd,
]);
/** The type of the `MailtmAccount` codec. */
export type MailtmAccount = t.TypeOf<typeof MailtmAccount>;

/** The answer of `POST /token`. */
export const MailtmToken = t.type({ id: t.string, token: t.string });
/** The type of the `MailtmToken` codec. */
export type MailtmToken = t.TypeOf<typeof MailtmToken>;

/** A `{name, address}` pair (from, to). */
export const MailtmAddress = t.type({ name: t.string, address: t.string });
/** The type of the `MailtmAddress` codec. */
export type MailtmAddress = t.TypeOf<typeof MailtmAddress>;

/**
 * A cc/bcc entry: the docs (docs.mail.tm, api/messages, `GET /messages/{id}`)
 * show plain address strings; some deployments send `{name, address}` pairs.
 * Both are accepted.
 */
export const MailtmRecipient = t.union([t.string, MailtmAddress]);
/** The type of the `MailtmRecipient` codec. */
export type MailtmRecipient = t.TypeOf<typeof MailtmRecipient>;

const MessageCommon = t.type({
  id: t.string,
  accountId: t.string,
  msgid: t.string,
  from: MailtmAddress,
  to: t.array(MailtmAddress),
  subject: t.string,
  seen: t.boolean,
  isDeleted: t.boolean,
  hasAttachments: t.boolean,
  size: t.number,
  downloadUrl: t.string,
  createdAt: t.string,
  updatedAt: t.string,
});

/** Fields some answers carry and others do not. */
const MessageOptional = t.partial({ sourceUrl: t.string });

/** A member of `GET /messages`. */
export const MailtmMessageSummary = t.intersection([MessageCommon, t.type({ intro: t.string }), MessageOptional, JsonLd]);
/** The type of the `MailtmMessageSummary` codec. */
export type MailtmMessageSummary = t.TypeOf<typeof MailtmMessageSummary>;

/** An attachment of a full message. */
export const MailtmAttachment = t.intersection([
  t.type({ id: t.string, filename: t.string, contentType: t.string, size: t.number, downloadUrl: t.string }),
  t.partial({ disposition: t.string, transferEncoding: t.string, related: t.boolean }),
]);
/** The type of the `MailtmAttachment` codec. */
export type MailtmAttachment = t.TypeOf<typeof MailtmAttachment>;

/** `GET /messages/{id}`: no `intro`; adds the body, recipients and attachments. */
export const MailtmMessage = t.intersection([
  MessageCommon,
  t.type({
    cc: t.array(MailtmRecipient),
    bcc: t.array(MailtmRecipient),
    flagged: t.boolean,
    retention: t.boolean,
    retentionDate: t.string,
    text: t.string,
    html: t.array(t.string),
    attachments: t.array(MailtmAttachment),
  }),
  // The shape of `verifications` has changed over time (a list, then an object).
  t.partial({ verifications: t.unknown }),
  MessageOptional,
  JsonLd,
]);
/** The type of the `MailtmMessage` codec. */
export type MailtmMessage = t.TypeOf<typeof MailtmMessage>;

/** The answer docs.mail.tm (api/messages) documents for `PATCH /messages/{id}`: `{"seen": true}`. */
export const MailtmSeenAnswer = t.type({ seen: t.boolean });
/** The type of the `MailtmSeenAnswer` codec. */
export type MailtmSeenAnswer = t.TypeOf<typeof MailtmSeenAnswer>;

/** What `PATCH /messages/{id}` may answer: the documented `{seen}`, or the full message some deployments return. */
export const MailtmPatchAnswer = t.union([MailtmMessage, MailtmSeenAnswer]);
/** The type of the `MailtmPatchAnswer` codec. */
export type MailtmPatchAnswer = t.TypeOf<typeof MailtmPatchAnswer>;

/** `GET /sources/{id}`: the raw RFC 822 message in `data`. */
export const MailtmSource = t.intersection([t.type({ id: t.string, downloadUrl: t.string, data: t.string }), JsonLd]);
/** The type of the `MailtmSource` codec. */
export type MailtmSource = t.TypeOf<typeof MailtmSource>;

/** The `hydra:view` of a collection page (paging links). */
export const HydraView = t.partial({
  '@id': t.string,
  '@type': t.string,
  'hydra:first': t.string,
  'hydra:last': t.string,
  'hydra:previous': t.string,
  'hydra:next': t.string,
});
/** The type of the `HydraView` codec. */
export type HydraView = t.TypeOf<typeof HydraView>;

/** The Hydra collection envelope around items of codec `item`. */
export function hydraCollection<C extends t.Mixed>(item: C) {
  return t.intersection([
    t.type({ 'hydra:member': t.array(item), 'hydra:totalItems': t.number }),
    t.partial({ 'hydra:view': HydraView, 'hydra:search': t.unknown }),
    JsonLd,
  ]);
}

/** A page of `GET /domains`. */
export const MailtmDomainPage = hydraCollection(MailtmDomain);
/** The type of the `MailtmDomainPage` codec. */
export type MailtmDomainPage = t.TypeOf<typeof MailtmDomainPage>;
/** A page of `GET /messages`. */
export const MailtmMessagePage = hydraCollection(MailtmMessageSummary);
/** The type of the `MailtmMessagePage` codec. */
export type MailtmMessagePage = t.TypeOf<typeof MailtmMessagePage>;
/**
 * The envelope checked, the members left to be decoded one by one: the event
 * stream uses it so that one odd message becomes one DecodeError event
 * instead of making the whole page (and so every poll) fail.
 */
export const MailtmMessagePageLoose = hydraCollection(t.unknown);
/** The type of the `MailtmMessagePageLoose` codec. */
export type MailtmMessagePageLoose = t.TypeOf<typeof MailtmMessagePageLoose>;

/** The empty body of a 204 answer. */
export const MailtmNoContent = t.undefined;
/** The type of the `MailtmNoContent` codec. */
export type MailtmNoContent = t.TypeOf<typeof MailtmNoContent>;

/** An error body from API Platform (`hydra:description`) or the auth layer (`message`). */
export const MailtmErrorBody = t.partial({
  code: t.number,
  message: t.string,
  detail: t.string,
  'hydra:title': t.string,
  'hydra:description': t.string,
  violations: t.array(t.partial({ propertyPath: t.string, message: t.string })),
});
/** The type of the `MailtmErrorBody` codec. */
export type MailtmErrorBody = t.TypeOf<typeof MailtmErrorBody>;

/** A Message pushed by the Mercure hub (like a list item; `intro` may be missing). */
export const MailtmHubMessage = t.intersection([MessageCommon, t.partial({ intro: t.string }), MessageOptional, JsonLd]);
/** The type of the `MailtmHubMessage` codec. */
export type MailtmHubMessage = t.TypeOf<typeof MailtmHubMessage>;

/** Hub frames by `@type`: the Account (with the new `used`) and Message objects. */
export const MailtmHubCodecs = { Account: MailtmAccount, Message: MailtmHubMessage } as const;
