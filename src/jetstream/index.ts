/**
 * rxwire/jetstream: events across machines on NATS JetStream.
 *
 * DESIGN
 * - `toJetStream(js)` is the last operator of a worker's pipeline: every event
 *   is published to `rxwire.<source>[.<partition>].<type>` with a message id
 *   that makes republishing idempotent (Discord session+seq, IMAP
 *   UIDVALIDITY+UID, Mail.tm message id) and emitted once the stream acked it;
 *   checkpoints are written after that, so they never run ahead of the bus.
 * - `fromJetStream(js, {stream, consumer, codecs})` + `handled(fn)` is the
 *   consuming side: typed, validated events (DecodeError for anything
 *   malformed), acked only after the handler completed, nak'ed (redelivered)
 *   when it failed.
 * - Work is spread with leases in a KV bucket whose TTL is the lease time
 *   (`holdLease`, `leasedWork`): the lease logic is a pure step function
 *   (`leaseStep`) with fencing (a holder that cannot renew gives up before its
 *   entry can expire). A worker that dies loses its keys by expiry; another
 *   takes them over from the checkpoint (`checkpointStore`).
 * - Discord's identify limit across processes: `jetStreamIdentifyThrottler`
 *   (slots are KV entries created only if absent, expiring after the window).
 * - No runtime dependency: the NATS objects are typed structurally (`ports.ts`);
 *   pass the ones `@nats-io/jetstream` and `@nats-io/kv` give you.
 */
export type { JetStreamPublisher, JetStreamConsumers, JetStreamMessage, JetStreamMessages, KvLike, KvEntryLike, PublishAck } from './ports';
export { subjectFor, subjectToken, defaultPartition } from './subject';
export { createMessageIds, type MessageIdFn, type IdentifiableEvent } from './messageId';
export { encodeEvent, decodeEvent, type Decoded } from './wire';
export { toJetStream, type ToJetStreamOptions, type Published, type PublishableEvent } from './toJetStream';
export { fromJetStream, type FromJetStreamOptions, type Delivery } from './fromJetStream';
export { handled, type HandledOptions } from './handled';
export { leaseStep, initialLease, type LeaseConfig, type LeaseState, type LeaseInput, type LeaseOutput, type LeaseStep } from './leaseMachine';
export { holdLease, type HoldLeaseOptions } from './holdLease';
export { leasedWork } from './leasedWork';
export { checkpointStore, ImapCheckpoint, MailtmCheckpoint, DiscordSessionCheckpoint, type CheckpointStore } from './checkpoint';
export { jetStreamIdentifyThrottler, type JetStreamIdentifyThrottlerOptions } from './identifyThrottle';
export { leasedMailboxes, type LeasedMailboxesOptions } from './workers/imap';
export { leasedShards, type LeasedShardsOptions } from './workers/discord';
export { latestWriter } from './latestWriter';
export { leasedAccounts, type LeasedAccountsOptions } from './workers/mailtm';
