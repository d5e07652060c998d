/**
 * The parts of the NATS JetStream client rxwire uses, as structural types.
 * The maintained `@nats-io/jetstream` and `@nats-io/kv` objects satisfy them
 * as they are (`jetstream(nc)`, `await new Kvm(nc).create(...)`), so
 * `rxwire/jetstream` has no runtime dependency and its types do not pull the
 * NATS packages into projects that do not use them.
 */

/** What `js.publish` answers (a subset of `PubAck`). */
export interface PublishAck {
  readonly stream: string;
  readonly seq: number;
  /** True when the stream already held a message with this message id (idempotent republish). */
  readonly duplicate: boolean;
}

/** `JetStreamClient`, the publishing side. */
export interface JetStreamPublisher {
  publish(subject: string, payload?: Uint8Array | string, options?: { msgID?: string; timeout?: number }): Promise<PublishAck>;
}

/** One message delivered by a JetStream consumer (a subset of `JsMsg`). */
export interface JetStreamMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly seq: number;
  readonly redelivered: boolean;
  readonly info: { readonly deliveryCount: number };
  /** Message headers (`Nats-Msg-Id` carries the id `toJetStream` set). */
  readonly headers?: { get(key: string): string } | undefined;
  ack(): void;
  nak(millis?: number): void;
  term(reason?: string): void;
  working(): void;
}

/** A consumer's message iterator (a subset of `ConsumerMessages`). */
export interface JetStreamMessages extends AsyncIterable<JetStreamMessage> {
  stop(err?: Error): void;
}

/** `JetStreamClient`, the consuming side. */
export interface JetStreamConsumers {
  readonly consumers: {
    get(stream: string, consumer?: string): Promise<{ consume(options?: { max_messages?: number }): Promise<JetStreamMessages> }>;
  };
}

/** One KV entry (a subset of `KvEntry`). */
export interface KvEntryLike {
  readonly value: Uint8Array;
  readonly revision: number;
  /** `PUT`, `DEL` or `PURGE`. */
  readonly operation: string;
}

/** A JetStream KV bucket (a subset of `KV`). */
export interface KvLike {
  get(key: string): Promise<KvEntryLike | null>;
  /** Writes only if the key is absent (or deleted); rejects otherwise. Resolves to the new revision. */
  create(key: string, data: Uint8Array | string): Promise<number>;
  /** Writes only if the key's revision is `revision`; rejects otherwise. */
  update(key: string, data: Uint8Array | string, revision: number): Promise<number>;
  put(key: string, data: Uint8Array | string): Promise<number>;
  delete(key: string, options?: { previousSeq?: number }): Promise<void>;
}
