/** Arrival times of requests, for sliding-window rate checks and for tests' rate statistics. */
export class MailtmRequestLog {
  private times: number[] = [];

  /** Logs one request at time `now` (ms, any monotonic clock; times must not go backwards). */
  record(now: number): void {
    this.times.push(now);
  }

  /** How many requests arrived in (now - windowMs, now]. */
  countSince(now: number, windowMs: number): number {
    let n = 0;
    for (let i = this.times.length - 1; i >= 0 && this.times[i] > now - windowMs; i--) n++;
    return n;
  }

  /** Drops entries older than `keepMs` (the rate limiter only needs the last window). */
  prune(now: number, keepMs: number): void {
    let i = 0;
    while (i < this.times.length && this.times[i] <= now - keepMs) i++;
    if (i > 0) this.times.splice(0, i);
  }

  /** How many requests are logged (all of them, minus those `prune` dropped). */
  get total(): number {
    return this.times.length;
  }

  /** The largest number of requests that arrived within any window of `windowMs`. */
  maxInWindow(windowMs = 1000): number {
    let best = 0;
    let lo = 0;
    for (let hi = 0; hi < this.times.length; hi++) {
      while (this.times[hi] - this.times[lo] >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  }

  /** Forgets every logged request. */
  clear(): void {
    this.times = [];
  }
}
