/**
 * A client-side sliding-window rate limiter: at most `limit` requests start
 * within any `interval` ms, shared by every request of one client (all its
 * accounts). Requests wait in FIFO order; `pause(ms)` holds everyone back
 * (used when the server answers 429). Waits run on the given scheduler.
 */
import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';

export interface MailtmRateLimit {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length, ms. */
  readonly interval: number;
}

/**
 * Mail.tm allows 8 requests per second per IP. The default keeps any 1.1 s
 * window at 7 starts, so network jitter cannot push 8 into one server second.
 */
export const MAILTM_DEFAULT_RATE_LIMIT: MailtmRateLimit = { limit: 7, interval: 1100 };

interface Waiter {
  start: () => void;
}

export class MailtmRateLimiter {
  private readonly starts: number[] = [];
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
      const waiter: Waiter = { start: () => (inner = work.subscribe(subscriber)) };
      this.queue.push(waiter);
      this.drain();
      return () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        inner?.unsubscribe();
      };
    });
  }

  /** Holds every request back for `ms` (a server-side 429). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.scheduler.now() + ms);
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  private drain(): void {
    const { limit, interval } = this.rate;
    while (this.queue.length > 0) {
      const now = this.scheduler.now();
      while (this.starts.length > 0 && this.starts[0] <= now - interval) this.starts.shift();
      let readyAt = now;
      if (this.pausedUntil > now) readyAt = this.pausedUntil;
      if (this.starts.length >= limit) readyAt = Math.max(readyAt, this.starts[0] + interval);
      if (readyAt > now) {
        this.wake(readyAt - now, readyAt);
        return;
      }
      this.starts.push(now);
      const waiter = this.queue.shift();
      waiter?.start();
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
