/**
 * rxwire: live event sources as typed RxJS streams.
 *
 * The root entry point exports the shared core (event model, errors, decoding,
 * ofType, cancel/cache, backoff, heartbeat). Each source has its own subpath:
 * rxwire/imap, rxwire/mailtm, rxwire/discord, rxwire/stoat, rxwire/mezon, and
 * rxwire/testing for the local servers.
 */
export * from './core';
