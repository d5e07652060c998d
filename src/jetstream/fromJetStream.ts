import { Observable } from 'rxjs';
import { validate, type CodecTable, type DecodeErrorEvent } from '../core';
import type { JetStreamConsumers, JetStreamMessage } from './ports';
import { decodeEvent } from './wire';

/** One event taken off the bus, with the controls of its JetStream message. */
export interface Delivery<E> {
  /** The event, validated; a message that is not a valid event is a `DecodeError` event carrying its text. */
  readonly event: E | DecodeErrorEvent<string>;
  /** The subject the event was published to. */
  readonly subject: string;
  /** The stream sequence of the message. */
  readonly seq: number;
  /** True when JetStream delivers it again (the first delivery was not acknowledged in time or was nak'ed). */
  readonly redelivered: boolean;
  /** The message id the publisher set (`Nats-Msg-Id`), if any. */
  readonly messageId: string | undefined;
  /** How many times JetStream has delivered this message (1 the first time). */
  readonly deliveries: number;
  /** Acknowledge: the message is done. `handled` does this for you. */
  ack(): void;
  /** Negative-acknowledge: redeliver (after `delayMs`). */
  nak(delayMs?: number): void;
  /** Never redeliver (poison message). */
  term(reason?: string): void;
  /** Still working: extends the ack deadline. */
  working(): void;
}

/** Options of `fromJetStream`. */
export interface FromJetStreamOptions {
  /** The stream's name. */
  readonly stream: string;
  /** A durable consumer (create it with ack_policy explicit). */
  readonly consumer: string;
  /** `data` codecs by event type: an event whose type has a codec is validated (DecodeError when it fails). */
  readonly codecs?: CodecTable;
  /** Messages buffered by the client. Default 256. */
  readonly maxMessages?: number;
  /**
   * JetStream delivers at least once: an ack lost in flight (a restart, a
   * network cut) means a redelivery of a message that was handled. With
   * `dedupe` (default 10 000), the ids of the last N acknowledged messages are
   * remembered and a redelivery of one of them is acknowledged again and not
   * emitted, so the pipeline sees each message id once. 0 turns it off.
   */
  readonly dedupe?: number;
}

/** The last `max` acknowledged message ids (insertion order, oldest dropped first). */
class AckedIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    if (this.max <= 0) return;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

function toDelivery<E>(m: JetStreamMessage, codecs: CodecTable | undefined, messageId: string | undefined, acked: AckedIds): Delivery<E> {
  const decoded = decodeEvent(m.data);
  let event: E | DecodeErrorEvent<string>;
  const bad = (errors: string[], raw: unknown): DecodeErrorEvent<string> => ({ source: 'jetstream', type: 'DecodeError', data: { tag: m.subject, raw, errors } });
  if (!decoded.ok) event = bad([`message: ${decoded.error}`], decoded.text.length > 4096 ? `${decoded.text.slice(0, 4096)}…` : decoded.text);
  else {
    const v = decoded.value as { source?: unknown; type?: unknown; data?: unknown } | null;
    if (v === null || typeof v !== 'object' || typeof v.source !== 'string' || typeof v.type !== 'string') {
      event = bad(['message: not an rxwire event ({ source, type, data })'], decoded.value);
    } else if (codecs !== undefined && hasOwn.call(codecs, v.type)) {
      const r = validate(codecs[v.type]!, v.data, v.type);
      event = r.ok ? ({ ...v, data: r.value } as E) : { ...bad(r.errors, decoded.value), source: v.source };
    } else event = v as E;
  }
  return {
    event,
    subject: m.subject,
    seq: m.seq,
    redelivered: m.redelivered,
    messageId,
    deliveries: m.info.deliveryCount,
    ack: () => {
      if (messageId !== undefined) acked.add(messageId);
      m.ack();
    },
    nak: (delayMs) => m.nak(delayMs),
    term: (reason) => m.term(reason),
    working: () => m.working(),
  };
}

/**
 * The typed events of a durable JetStream consumer, as an Observable. Nothing
 * is acknowledged for you here: pipe into `handled(...)` (acks after your
 * handler completes, naks on failure so JetStream redelivers), or call
 * `ack()` yourself. Unsubscribing stops consuming; unacknowledged messages are
 * redelivered after the consumer's ack wait.
 */
export function fromJetStream<E = unknown>(js: JetStreamConsumers, options: FromJetStreamOptions): Observable<Delivery<E>> {
  return new Observable<Delivery<E>>((subscriber) => {
    let stop: (() => void) | undefined;
    let closed = false;
    const acked = new AckedIds(options.dedupe ?? 10_000);
    void (async () => {
      const consumer = await js.consumers.get(options.stream, options.consumer);
      const messages = await consumer.consume({ max_messages: options.maxMessages ?? 256 });
      stop = () => messages.stop();
      if (closed) return stop();
      for await (const m of messages) {
        if (closed) break;
        const id = m.headers?.get('Nats-Msg-Id') || undefined;
        if (id !== undefined && acked.has(id)) {
          m.ack(); // handled already (its first ack was lost, or it was published again after the duplicate window)
          continue;
        }
        subscriber.next(toDelivery<E>(m, options.codecs, id, acked));
      }
      if (!closed) subscriber.complete();
    })().catch((err: unknown) => {
      if (!closed) subscriber.error(err);
    });
    return () => {
      closed = true;
      stop?.();
    };
  });
}
