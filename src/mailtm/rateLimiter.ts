/**
 * A client-side sliding-window rate limiter shared by every request of one
 * client (all its accounts): a request may start only while fewer than
 * `limit` requests are in flight or ended within the last `interval` ms.
 *
 * Counting from the END of a request (not its start) makes the guarantee
 * hold at the server whatever the network latency: the server sees a
 * request arrive between its start and its end, so request k+limit (started
 * at least `interval` after request k ended) arrives at least `interval`
 * after request k did. Requests wait in FIFO order; `pause(ms)` holds
 * everyone back (a 429). Waits run on the given scheduler.
 */
import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';

/** A request budget: `limit` requests per `interval` ms. */
export interface MailtmRateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length, ms. */
  readonly interval: number;
}

/**
 * Mail.tm allows 8 requests per second per IP. The default keeps 7 per
 * second (plus a 25 ms margin for clock granularity), measured as above.
 */
export const MAILTM_DEFAULT_RATE_LIMIT: MailtmRateLimit = { limit: 7, interval: 1025 };

interface Waiter {
  start: () => void;
}

interface Slot {
  /** When the request ended; Infinity while it is in flight. */
  end: number;
}

/** The client-side sliding-window limiter (see the module comment). */
export class MailtmRateLimiter {
  private readonly slots: Slot[] = [];
  private readonly queue: Waiter[] = [];
  private pausedUntil = -Infinity;
  private timer: Subscription | undefined;
  private timerAt = Infinity;
  private readonly scheduler: SchedulerLike;

  constructor(
    private readonly rate: MailtmRateLimit = MAILTM_DEFAULT_RATE_LIMIT,
    scheduler?: SchedulerLike,
  ) {
    this.scheduler = scheduler ?? asyncScheduler;
  }

  /** `work`, subscribed only once a slot is free. Unsubscribing while waiting gives the place up. */
  run<T>(work: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let inner: Subscription | undefined;
      let slot: Slot | undefined;
      const release = (): void => {
        if (slot && slot.end === Infinity) {
          slot.end = this.scheduler.now();
          this.drain();
        }
      };
      const waiter: Waiter = {
        start: () => {
          slot = { end: Infinity };
          this.slots.push(slot);
          inner = work.subscribe({
            next: (v) => subscriber.next(v),
            error: (e: unknown) => {
              release();
              subscriber.error(e);
            },
            complete: () => {
              release();
              subscriber.complete();
            },
          });
        },
      };
      this.queue.push(waiter);
      this.drain();
      return () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        inner?.unsubscribe();
        release();
      };
    });
  }

  /** Holds every request back for `ms` (a server-side 429). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.scheduler.now() + ms);
  }

  /**
   * True when nobody waits, no 429 pause holds, and more than `reserve` slots of
   * the window are free now: room for optional work (e.g. extra domain checks).
   */
  spare(reserve = 2): boolean {
    const now = this.scheduler.now();
    if (this.queue.length > 0 || this.pausedUntil > now) return false;
    let used = 0;
    for (const s of this.slots) if (s.end > now - this.rate.interval) used++;
    return used + reserve < this.rate.limit;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  private drain(): void {
    const { limit, interval } = this.rate;
    while (this.queue.length > 0) {
      const now = this.scheduler.now();
      for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i].end <= now - interval) this.slots.splice(i, 1);
      let readyAt = now;
      if (this.pausedUntil > now) readyAt = this.pausedUntil;
      if (this.slots.length >= limit) {
        let oldestEnd = Infinity;
        for (const s of this.slots) oldestEnd = Math.min(oldestEnd, s.end);
        // All in flight: the next end calls drain() again.
        if (oldestEnd === Infinity) return;
        readyAt = Math.max(readyAt, oldestEnd + interval);
      }
      if (readyAt > now) {
        this.wake(readyAt - now, readyAt);
        return;
      }
      this.queue.shift()?.start();
    }
  }

  private wake(delay: number, at: number): void {
    if (this.timer && !this.timer.closed && this.timerAt <= at) return;
    this.timer?.unsubscribe();
    this.timerAt = at;
    this.timer = this.scheduler.schedule(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.drain();
    }, delay);
  }
}
