/**
 * rxwire/testing virtual-time fakes: in-memory transports for marble tests
 * under a TestScheduler (no sockets, no real time), the ones rxwire's own
 * marble tests use.
 *
 * DESIGN
 *   discordGateway.ts  FakeGateway: Hello/READY/RESUMED/ACK on the scheduler's clock, dispatches, closes
 *   stoatBonfire.ts    fakeBonfire: one cold marble script per connection, Pong after a delay; typed event builders
 *   mezonSocket.ts     fakeMezonSocket: answers joins/pings/sends, refuses, drops; pushes typed events
 *   imapTransport.ts   ScriptedImapServer: the IMAP byte seam, written by the test; waitUntil for async writes
 *   jetstreamKv.ts     SyncKv: a KvLike bucket with a TTL in virtual time (rxwire/jetstream leases)
 *   timeline.ts        timeline: marble strings from [frame, values] pairs
 */
export { FakeGateway, FakeGatewayConnection, FAKE_GATEWAY_READY, type FakeGatewayOptions, type FakeGatewaySent } from './discordGateway';
export { fakeBonfire, stoatAuthenticatedEvent, stoatReadyEvent, stoatMessageEvent, type FakeBonfire, type FakeBonfireOptions, type FakeBonfireSent, type StoatBonfireEvent } from './stoatBonfire';
export { fakeMezonSocket, mezonChannelMessage, type FakeMezonSocket, type FakeMezonScript, type MezonEventData } from './mezonSocket';
export { ScriptedImapServer, waitUntil, type ScriptedImapCommand } from './imapTransport';
export { SyncKv } from './jetstreamKv';
export { timeline } from './timeline';
