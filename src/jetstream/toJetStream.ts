import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { AnyEvent } from '../core';
import { createMessageIds } from './messageId';
import type { JetStreamPublisher, PublishAck } from './ports';
import { defaultPartition, subjectFor } from './subject';
import { encodeEvent } from './wire';

/** An event `toJetStream` can publish: every rxwire event qualifies (`source` names the second subject token). */
export type PublishableEvent = AnyEvent & { readonly source?: string };

/** Options of `toJetStream`. */
export interface ToJetStreamOptions<E extends PublishableEvent> {
  /** Subject prefix. Default `rxwire` → `rxwire.<source>[.<partition>].<type>`. */
  readonly subject?: string;
  /** The partition token (default: Discord's shard). */
  readonly partition?: (event: E) => string | undefined;
  /** The message id (default: the per-source rules of `createMessageIds`); undefined → no id. */
  readonly messageId?: (event: E) => string | undefined;
  /** Which events to publish (others pass through unpublished, in order). Default: all. */
  readonly publish?: (event: E) => boolean;
  /** Publishes in flight at once (pipelined; results still in order). Default 32. */
  readonly maxInFlight?: number;
  /** Events waiting to be published beyond which the stream errors instead of growing. Default unbounded. */
  readonly maxQueued?: number;
  /** Per-publish ack timeout, ms. Default 5000. */
  readonly timeout?: number;
  /** Retry delay bounds while the stream is unreachable (retries forever: the id makes retries idempotent). */
  readonly retry?: { readonly initialDelay: number; readonly maxDelay: number };
  /** Timers for retries. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/** An event after the stream acknowledged it (`ack` undefined for events not published). */
export interface Published<E> {
  /** The source's event, unchanged. */
  readonly event: E;
  /** Where it was published (undefined: not published, see `publish`). */
  readonly subject: string | undefined;
  /** The message id it was published with, if any. */
  readonly messageId: string | undefined;
  /** The stream's acknowledgement (`duplicate` true when the stream already had this id). */
  readonly ack: PublishAck | undefined;
}

interface Slot<E> {
  readonly event: E;
  readonly subject: string | undefined;
  readonly messageId: string | undefined;
  /** queued: not sent yet (or to be sent again); sent: awaiting its ack; done: acked (or not published). */
  state: 'queued' | 'sent' | 'done';
  ack: PublishAck | undefined;
}

/**
 * Publishes a source's events to JetStream and emits each one, in source
 * order, once the stream has acknowledged it (so a checkpoint written after it
 * is never ahead of the bus). Up to `maxInFlight` publishes are pipelined;
 * beyond that, events wait (backpressure by queueing in order). When a publish
 * fails (timeout, NATS restarting), the pipeline stops: once nothing is in
 * flight, the unacknowledged events are sent again one at a time, oldest
 * first, with backoff, until one is acknowledged; then pipelining resumes.
 * So the stream stores events in source order across outages, and the same
 * message ids make the re-sends idempotent: nothing is lost or doubled.
 */
export function toJetStream<E extends PublishableEvent>(js: JetStreamPublisher, options: ToJetStreamOptions<E> = {}): OperatorFunction<E, Published<E>> {
  const prefix = options.subject ?? 'rxwire';
  const partition = options.partition ?? ((e: E) => defaultPartition(e));
  const maxInFlight = Math.max(1, options.maxInFlight ?? 32);
  const maxQueued = options.maxQueued ?? Infinity;
  const timeout = options.timeout ?? 5000;
  const retry = options.retry ?? { initialDelay: 100, maxDelay: 2000 };
  const scheduler = options.scheduler ?? asyncScheduler;
  const shouldPublish = options.publish ?? (() => true);
  return (source) =>
    new Observable<Published<E>>((subscriber) => {
      const messageId = options.messageId ?? createMessageIds();
      const slots: Slot<E>[] = [];
      let inFlight = 0;
      let failures = 0; // consecutive failed publishes; > 0 means recovering (one at a time)
      let waiting = false; // a retry delay is pending
      let upstreamDone = false;
      let closed = false;

      const flush = (): void => {
        while (slots.length > 0 && slots[0]!.state === 'done') {
          const s = slots.shift()!;
          subscriber.next({ event: s.event, subject: s.subject, messageId: s.messageId, ack: s.ack });
        }
        if (upstreamDone && slots.length === 0) subscriber.complete();
      };
      const send = (slot: Slot<E>): void => {
        slot.state = 'sent';
        inFlight++;
        js.publish(slot.subject!, encodeEvent(slot.event), slot.messageId === undefined ? { timeout } : { msgID: slot.messageId, timeout }).then(
          (ack) => {
            if (closed) return;
            inFlight--;
            slot.ack = ack;
            slot.state = 'done';
            failures = 0;
            pump();
            flush();
          },
          () => {
            if (closed) return;
            inFlight--;
            slot.state = 'queued';
            failures++;
            pump();
          },
        );
      };
      const pump = (): void => {
        if (waiting) return;
        if (failures > 0) {
          // Recovering: wait for everything in flight, then the oldest unacked event alone, after a delay.
          if (inFlight > 0) return;
          const first = slots.find((s) => s.state === 'queued');
          if (!first) return;
          waiting = true;
          const delay = Math.min(retry.maxDelay, retry.initialDelay * 2 ** Math.min(failures - 1, 20));
          subscription.add(
            scheduler.schedule(() => {
              waiting = false;
              if (!closed && first.state === 'queued') send(first);
            }, delay),
          );
          return;
        }
        for (const slot of slots) {
          if (inFlight >= maxInFlight) break;
          if (slot.state === 'queued') send(slot);
        }
      };
      const subscription = source.subscribe({
        next: (event) => {
          const publish = shouldPublish(event);
          // messageId is stateful (it learns session ids): call it for every event, in order.
          const id = messageId(event);
          const slot: Slot<E> = publish
            ? { event, subject: subjectFor(prefix, event, partition(event)), messageId: id, state: 'queued', ack: undefined }
            : { event, subject: undefined, messageId: undefined, state: 'done', ack: undefined };
          slots.push(slot);
          if (slots.length > maxQueued) {
            subscriber.error(new Error(`toJetStream: more than ${maxQueued} events waiting for JetStream acks; the stream is too slow for the source`));
            return;
          }
          pump();
          flush();
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          upstreamDone = true;
          flush();
        },
      });
      return () => {
        closed = true;
        subscription.unsubscribe();
      };
    });
}
