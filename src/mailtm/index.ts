/**
 * rxwire/mailtm: the Mail.tm REST API as a typed, cold event stream.
 *
 * DESIGN
 * - Client (client.ts, session.ts): ky with its own retry off and HTTP errors
 *   read from the status; Rx owns retries (429 honours Retry-After, default
 *   one second; 5xx/network back off). Every body is decoded with io-ts (the
 *   Hydra envelope composed with item codecs). A 401 re-authenticates once,
 *   then AuthenticationFailedError; passwords and tokens never appear in
 *   errors, events or logs. One sliding-window limiter per client keeps all
 *   of its accounts' requests at 7 per second (Mail.tm allows 8/s per IP),
 *   counted from request ends so latency cannot bunch them at the server.
 * - Stream (engine.ts; `new Mailtm(o).events(o)` or `mailtmEvents(o)`): a
 *   serial work queue of polls, controller commands and hub signals, driving
 *   pure steps: planPaging (how many pages one poll needs: usually one, all
 *   of them when the total says something was deleted, restart when pages
 *   shifted under us), diffMailbox (id-set diff: each arrival exactly once,
 *   oldest first; deletions with the last known copy) and diffDomains
 *   (whole-set compare). List items are decoded one by one: an odd message
 *   is one DecodeError event (raw kept), never a stalled mailbox.
 * - Lifecycle: ServerStarted first; AccountSwitched marks the baseline of a
 *   watched account (also the initial one): everything delivered after it is
 *   reported, what was there before only with `backlog`. Outages emit
 *   Disconnected, Reconnecting (per attempt) and Resumed; the next diff
 *   catches up, so nothing is lost or repeated. ServerCalledOff is last when
 *   the stream is stopped (`stop()`, `until`) or fails fatally; a bare
 *   unsubscribe cannot deliver it (there is no subscriber left).
 * - Push (hub.ts): the Mercure topic of the account over SSE with a Bearer
 *   header; any frame (bare numbers too) triggers a poll; while the hub is
 *   up polling slows to a safety net, when it drops polling resumes.
 */
export * from './codecs';
export * from './events';
export { MailtmClient, MAILTM_API_URL, MAILTM_MERCURE_URL, MAILTM_DEFAULT_MAX_BODY_BYTES, type MailtmClientOptions, type MailtmRequest, type MailtmRetryMode } from './client';
export { allPages } from './allPages';
export { MailtmSession, MailtmCredentials, type MailtmSeenResult } from './session';
export { MailtmRateLimiter, MAILTM_DEFAULT_RATE_LIMIT, type MailtmRateLimit } from './rateLimiter';
export { httpError as mailtmHttpError, httpStatusOf as mailtmHttpStatus, retryAfterMs } from './httpError';
export { diffMailbox, knownIds, EMPTY_MAILBOX, type MailboxState, type MailboxSnapshot, type MailboxOutput, type MailtmRejectedMessage } from './mailboxDiff';
export { planPaging, pagingStep, startPaging, mailboxPage, type MailboxPage, type PagingDecision, type PagingState, type KnownIds } from './paging';
export { diffDomains, type DomainState } from './domainDiff';
export { mailtmEngine, isMailtmFatal, type MailtmEnginePorts, type MailtmEngineOptions, type MailtmCommand, type MailtmAccountRef, type MailtmHubSignal } from './engine';
export { mercureHub, hubSignals, type MailtmHubOptions } from './hub';
export { Mailtm, mailtmEvents, type MailtmOptions, type MailtmEventsOptions, type MailtmAccountInfo } from './mailtm';
export { mailtm, type MailtmHandle, type MailtmSourceOptions } from './factory';
export { MailtmSecrets } from './secrets';
export { mailtmRequestRetry, MAILTM_RATE_LIMIT_MAX_DELAY } from './requestRetry';
