/**
 * A rate-limited send queue for one connection: at most `limit` sends per
 * `windowMs` (sliding window). Sends marked `bypass` (heartbeats, identify,
 * resume) go out at once and still count; `reserve` slots of every window are
 * kept for them so queued sends can never starve a heartbeat.
 */
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';

export interface SendQueueOptions {
  /** Sends allowed per window, bypassing ones included. Default 120 (Discord). */
  readonly limit?: number;
  /** Window length in ms. Default 60 000. */
  readonly windowMs?: number;
  /** Slots per window only bypassing sends may use. Default 5. */
  readonly reserve?: number;
  readonly scheduler?: SchedulerLike;
}

export interface SendQueue {
  /** Queues `data` (or sends it at once when `bypass`). Returns false once disposed. */
  send(data: string | Uint8Array, bypass?: boolean): boolean;
  /** Number of sends waiting for a slot. */
  readonly pending: number;
  /** Drops everything queued and stops the drain timer. */
  dispose(): void;
}

/** Wraps a raw `send` (e.g. `WsConnection.send`) with the rate limit. */
export function createSendQueue(send: (data: string | Uint8Array) => boolean, options: SendQueueOptions = {}): SendQueue {
  const limit = options.limit ?? 120;
  const windowMs = options.windowMs ?? 60_000;
  const reserve = Math.min(options.reserve ?? 5, limit - 1);
  const scheduler = options.scheduler ?? asyncScheduler;
  const sentAt: number[] = []; // send times inside the current window, oldest first
  const queue: Array<string | Uint8Array> = [];
  let timer: Subscription | undefined;
  let disposed = false;

  const prune = (now: number) => {
    while (sentAt.length > 0 && sentAt[0] <= now - windowMs) sentAt.shift();
  };
  const drain = () => {
    timer = undefined;
    if (disposed) return;
    const now = scheduler.now();
    prune(now);
    while (queue.length > 0 && sentAt.length < limit - reserve) {
      sentAt.push(now);
      send(queue.shift() as string | Uint8Array);
    }
    if (queue.length > 0 && sentAt.length > 0) {
      timer = scheduler.schedule(drain, Math.max(0, sentAt[0] + windowMs - now));
    }
  };

  return {
    send(data, bypass = false) {
      if (disposed) return false;
      if (bypass) {
        prune(scheduler.now());
        sentAt.push(scheduler.now());
        return send(data);
      }
      queue.push(data);
      if (timer === undefined) drain();
      return true;
    },
    get pending() {
      return queue.length;
    },
    dispose() {
      disposed = true;
      queue.length = 0;
      timer?.unsubscribe();
      timer = undefined;
    },
  };
}
