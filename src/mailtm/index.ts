/**
 * rxwire/mailtm: the Mail.tm REST API as a source handle of typed events.
 *
 * DESIGN
 * - Entry: `mailtm(options)` (factory.ts) returns `{ events$, ...actions }`;
 *   `events$` is shared (shareSource): the first subscriber starts the poll
 *   loop, the last one stops it, a later one starts afresh. `new Mailtm()` and
 *   `mailtmEvents()` are the deprecated 0.1 entry points (same engine, cold).
 * - Client (client.ts, session.ts): ky with its own retry and timeout off,
 *   redirects followed by hand and only within the base URL's origin (the
 *   bearer token never leaves it), response bodies capped (`maxBodyBytes`,
 *   default 16 MiB, ProtocolViolationError beyond), bodies decoded with
 *   io-ts. Rx owns retries (429 honours Retry-After, default one second).
 *   A 401 re-authenticates once, then AuthenticationFailedError. A header
 *   value HTTP cannot carry (a non-Latin-1 token) is InvalidArgumentError.
 *   One sliding-window limiter per client keeps all of its accounts at 7
 *   requests per second (Mail.tm allows 8/s per IP), counted from request
 *   ends. Secrets (secrets.ts): every password the client was given and
 *   every token it received (even in a body that did not decode) feed one
 *   live redactor that every error, lifecycle/DecodeError event and log
 *   line passes through, so a server echoing them leaks nothing.
 * - Stream (engine.ts): a job runner (polls, domain checks, commands, hub
 *   signals; one at a time) over pure steps: pagingStep (how many pages a
 *   poll needs, incrementally: usually one; all when the total says
 *   something was deleted; restart when pages shifted), diffMailbox (id-set
 *   diff: each arrival exactly once, oldest first) and diffDomains.
 *   List items are decoded one by one: an odd message is one DecodeError.
 * - Lifecycle of a polled API: ServerStarted, Connecting {url: base URL,
 *   attempt} before the first request, Connected {url} once the initial
 *   account holds a token, Ready {address, existing} once the first complete
 *   decoded baseline exists (AccountSwitched comes only from such a baseline;
 *   until then the engine keeps trying). Transient read failures (network,
 *   timeout, 5xx, any 4xx but a 401 after re-authentication, an oversized
 *   body) give Disconnected {reason, willReconnect, code: HTTP status},
 *   Reconnecting {attempt, delay}, Resumed {attempts}; the next diff catches
 *   up. ServerCalledOff {reason} (= Closed) is last: at once on stop()/until
 *   (the running poll and its retry wait are cancelled), or before a fatal
 *   error (AuthenticationFailedError, InvalidArgumentError).
 * - Domains are their own jobs: a domain answer that does not decode is a
 *   DecodeError event, never a blocked mailbox; they are checked every
 *   `domainFastInterval` (5 s) while the limiter has spare budget, else every
 *   `domainInterval` (60 s).
 * - Switching: commands pre-empt a running poll (and its retries). A switch
 *   reads the old account once more (bounded by `finalReadTimeout`) and
 *   reports what arrived; if that read cannot finish (a 429 storm), the old
 *   account is drained in the background after the switch, so nothing is lost
 *   and nothing waits.
 * - Wire (transport.ts): `MailtmTransport`, HTTP requests and hub
 *   subscriptions below the limiter, retries and decoding; the default is
 *   ky/fetch + eventsource, tests record/replay it (rxwire/testing).
 * - Push (hub.ts): the Mercure topic of the account over SSE with a Bearer
 *   header; any frame (bare numbers too) triggers a poll; while the hub is
 *   up polling slows to a safety net, when it drops polling resumes.
 */
export * from './codecs';
export * from './events';
export { MailtmClient, MAILTM_API_URL, MAILTM_MERCURE_URL, MAILTM_DEFAULT_MAX_BODY_BYTES, MAILTM_MAX_PAGE_MEMBERS, type MailtmClientOptions, type MailtmRequest, type MailtmRetryMode } from './client';
export { allPages, type HydraPage } from './allPages';
export { MailtmSession, MailtmCredentials, type MailtmSeenResult } from './session';
export { MailtmRateLimiter, MAILTM_DEFAULT_RATE_LIMIT, type MailtmRateLimit } from './rateLimiter';
export { httpError as mailtmHttpError, httpStatusOf as mailtmHttpStatus, retryAfterMs } from './httpError';
export { diffMailbox, knownIds, EMPTY_MAILBOX, type MailboxState, type MailboxSnapshot, type MailboxOutput, type MailtmRejectedMessage } from './mailboxDiff';
export { planPaging, pagingStep, startPaging, mailboxPage, type MailboxPage, type PagingDecision, type PagingState, type KnownIds } from './paging';
export { diffDomains, type DomainState } from './domainDiff';
export { mailtmEngine, isMailtmFatal, type MailtmEnginePorts, type MailtmEngineOptions, type MailtmCommand, type MailtmAccountRef, type MailtmHubSignal } from './engine';
export { mercureHub, hubSignals, type MailtmHubOptions } from './hub';
export { fetchMailtmTransport, MailtmHubClosedError, type MailtmTransport, type MailtmHttpRequest, type MailtmHttpResponse, type MailtmSseRequest, type MailtmSseItem } from './transport';
export { Mailtm, mailtmEvents, type MailtmOptions, type MailtmEventsOptions, type MailtmAccountInfo } from './mailtm';
export { mailtm, type MailtmHandle, type MailtmSourceOptions } from './factory';
export { MailtmSecrets } from './secrets';
export { mailtmRequestRetry, MAILTM_RATE_LIMIT_MAX_DELAY } from './requestRetry';
