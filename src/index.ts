/**
 * rxwire: live event sources as typed RxJS streams.
 *
 * The root entry point exports the shared core: the event model
 * (`SourceEvent`, `DecodeErrorEvent`, `UnknownEvent`), the lifecycle
 * vocabulary and `connectionState()`, typed errors (`RxwireError` and its
 * subclasses, `isRetryable`, `isRxwireError`), decoding (`decodeWith`,
 * `validate`), operators (`ofType`, `withCache`, `cancelWhen`,
 * `retryBackoff`, `reconnecting`, `heartbeat`), the `Logger` shape and the
 * redactor. Each source has its own subpath: rxwire/imap, rxwire/mailtm,
 * rxwire/discord, rxwire/stoat, rxwire/mezon; rxwire/ws is the WebSocket
 * transport the gateways share, and rxwire/testing holds the local servers.
 *
 * @packageDocumentation
 */
export * from './core';
