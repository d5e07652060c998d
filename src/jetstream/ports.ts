/**
 * The parts of the NATS JetStream client rxwire uses, as structural types.
 * The maintained `@nats-io/jetstream` and `@nats-io/kv` objects satisfy them
 * as they are (`jetstream(nc)`, `await new Kvm(nc).create(...)`), so
 * `rxwire/jetstream` has no runtime dependency and its types do not pull the
 * NATS packages into projects that do not use them.
 */

/** What `js.publish` answers (a subset of `PubAck`). */
export interface PublishAck {
  /** The stream that stored the message. */
  readonly stream: string;
  /** The message's sequence in the stream. */
  readonly seq: number;
  /** True when the stream already held a message with this message id (idempotent republish). */
  readonly duplicate: boolean;
}

/** The publishing side of `@nats-io/jetstream`'s client (what `jetstream(nc)` returns). */
export interface JetStreamPublisher {
  /** Publishes `payload` to `subject`; resolves when the stream acknowledged it. `msgID` makes a republish a no-op. */
  publish(subject: string, payload?: Uint8Array | string, options?: { msgID?: string; timeout?: number }): Promise<PublishAck>;
}

/** One message delivered by a JetStream consumer (a subset of `JsMsg`). */
export interface JetStreamMessage {
  /** The subject it was published to. */
  readonly subject: string;
  /** The payload. */
  readonly data: Uint8Array;
  /** The stream sequence. */
  readonly seq: number;
  /** True when this is not the first delivery. */
  readonly redelivered: boolean;
  /** Delivery details; `deliveryCount` is 1 on the first delivery. */
  readonly info: { readonly deliveryCount: number };
  /** Message headers (`Nats-Msg-Id` carries the id `toJetStream` set). */
  readonly headers?: { get(key: string): string } | undefined;
  /** Done: do not deliver again. */
  ack(): void;
  /** Failed: deliver again (after `millis`). */
  nak(millis?: number): void;
  /** Never deliver again (poison message). */
  term(reason?: string): void;
  /** Still working: extend the ack deadline. */
  working(): void;
}

/** A consumer's message iterator (a subset of `ConsumerMessages`). */
export interface JetStreamMessages extends AsyncIterable<JetStreamMessage> {
  /** Stops consuming; the iteration ends. */
  stop(err?: Error): void;
}

/** The consuming side of `@nats-io/jetstream`'s client (what `jetstream(nc)` returns). */
export interface JetStreamConsumers {
  /** Durable consumers by stream and name. */
  readonly consumers: {
    get(stream: string, consumer?: string): Promise<{ consume(options?: { max_messages?: number }): Promise<JetStreamMessages> }>;
  };
}

/** One KV entry (a subset of `KvEntry`). */
export interface KvEntryLike {
  /** The stored bytes. */
  readonly value: Uint8Array;
  /** The entry's revision (its sequence in the bucket's stream). */
  readonly revision: number;
  /** `PUT`, `DEL` or `PURGE`. */
  readonly operation: string;
}

/** A JetStream KV bucket (a subset of `KV`). */
export interface KvLike {
  /** The key's latest entry, or null. */
  get(key: string): Promise<KvEntryLike | null>;
  /** Writes only if the key is absent (or deleted); rejects otherwise. Resolves to the new revision. */
  create(key: string, data: Uint8Array | string): Promise<number>;
  /** Writes only if the key's revision is `revision`; rejects otherwise. */
  update(key: string, data: Uint8Array | string, revision: number): Promise<number>;
  /** Writes unconditionally. Resolves to the new revision. */
  put(key: string, data: Uint8Array | string): Promise<number>;
  /** Deletes the key (only if its revision is `previousSeq`, when given). */
  delete(key: string, options?: { previousSeq?: number }): Promise<void>;
}
