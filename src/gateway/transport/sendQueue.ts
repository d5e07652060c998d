/**
 * A rate-limited send queue for one connection: at most `limit` sends per
 * `windowMs` (sliding window), for every send. Sends marked `bypass`
 * (heartbeats, identify, resume) skip the line: they go out at once while the
 * window has room, and `reserve` slots of every window are kept for them so
 * queued sends can never starve a heartbeat; when even the reserve is used up
 * they wait at the head of the queue (the limit holds for them too).
 *
 * Each send may pass `done`: called with true once the data was handed to the
 * socket, or with false when it never was (the queue was disposed with it
 * still waiting, or the socket refused it), so a caller can report a dropped
 * frame instead of losing it silently.
 */
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';

/** How a send queue limits one connection's sends. */
export interface SendQueueOptions {
  /** Sends allowed per window, bypassing ones included. Default 120 (Discord). */
  readonly limit?: number;
  /** Window length in ms. Default 60 000. */
  readonly windowMs?: number;
  /** Slots per window only bypassing sends may use. Default 5. */
  readonly reserve?: number;
  /** The clock and timer of the drain. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** A connection's rate-limited sender (see `createSendQueue`). */
export interface SendQueue {
  /**
   * Queues `data` (or sends it at once when `bypass` and the window has room).
   * Returns false once disposed. `done(sent)` reports whether it reached the socket.
   */
  send(data: string | Uint8Array, bypass?: boolean, done?: (sent: boolean) => void): boolean;
  /** Number of sends waiting for a slot. */
  readonly pending: number;
  /** Drops everything queued (their `done` get false) and stops the drain timer. */
  dispose(): void;
}

interface Item {
  readonly data: string | Uint8Array;
  readonly done: ((sent: boolean) => void) | undefined;
}

/** Wraps a raw `send` (e.g. `WsConnection.send`) with the rate limit. */
export function createSendQueue(send: (data: string | Uint8Array) => boolean, options: SendQueueOptions = {}): SendQueue {
  const limit = Math.max(1, options.limit ?? 120);
  const windowMs = options.windowMs ?? 60_000;
  const reserve = Math.max(0, Math.min(options.reserve ?? 5, limit - 1));
  const scheduler = options.scheduler ?? asyncScheduler;
  const sentAt: number[] = []; // send times inside the current window, oldest first
  const priority: Item[] = [];
  const queue: Item[] = [];
  let timer: Subscription | undefined;
  let disposed = false;

  const prune = (now: number) => {
    while (sentAt.length > 0 && sentAt[0] <= now - windowMs) sentAt.shift();
  };
  const out = (item: Item, now: number) => {
    sentAt.push(now);
    const ok = send(item.data);
    item.done?.(ok);
  };
  const drain = () => {
    timer = undefined;
    if (disposed) return;
    const now = scheduler.now();
    prune(now);
    while (priority.length > 0 && sentAt.length < limit) out(priority.shift() as Item, now);
    while (priority.length === 0 && queue.length > 0 && sentAt.length < limit - reserve) out(queue.shift() as Item, now);
    if ((queue.length > 0 || priority.length > 0) && sentAt.length > 0 && !disposed) {
      timer = scheduler.schedule(drain, Math.max(0, sentAt[0] + windowMs - now));
    }
  };

  return {
    send(data, bypass = false, done) {
      if (disposed) {
        done?.(false);
        return false;
      }
      const item: Item = { data, done };
      if (bypass) {
        const now = scheduler.now();
        prune(now);
        if (priority.length === 0 && sentAt.length < limit) {
          sentAt.push(now);
          const ok = send(data);
          done?.(ok);
          return ok;
        }
        priority.push(item);
      } else queue.push(item);
      if (timer === undefined) drain();
      return true;
    },
    get pending() {
      return queue.length + priority.length;
    },
    dispose() {
      disposed = true;
      timer?.unsubscribe();
      timer = undefined;
      const dropped = [...priority.splice(0), ...queue.splice(0)];
      for (const item of dropped) item.done?.(false);
    },
  };
}
