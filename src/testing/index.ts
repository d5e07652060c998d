/**
 * rxwire/testing: faithful local servers for sources that cannot be reached
 * from a test machine (a Mail.tm HTTP API, the Discord, Stoat and Mezon
 * gateways, an in-process IMAP server), record/replay of what crossed the
 * wire, and a starter for a real nats-server with JetStream (for
 * rxwire/jetstream). Each listens on 127.0.0.1 on a free port and has hooks to
 * deliver mail, dispatch events, inject faults and drop sockets. They drive
 * rxwire's own tests and demo, and can drive yours. For marble tests, the
 * virtual-time fakes (virtual/: a scripted Discord gateway, Stoat Bonfire,
 * Mezon socket and IMAP transport) run on a TestScheduler's clock.
 *
 * @packageDocumentation
 */
export * from './mailtm';
export * from './discord';
export * from './stoat';
export * from './mezon';
export { startNatsServer, type NatsServer } from './nats/server';
export * from './imap';
export * from './record';
export * from './virtual';
