import { Observable, asyncScheduler, type SchedulerLike } from 'rxjs';
import { TimeoutError } from '../errors';

/** The beat of `heartbeat`: its interval, first delay and scheduler. */
export interface HeartbeatOptions {
  /** Time between beats, ms. */
  readonly interval: number;
  /** Delay of the first beat, ms (Discord: interval × random). Default: interval. */
  readonly firstDelay?: number;
  /** What to call the missing ACK in the TimeoutError. */
  readonly what?: string;
  /** The scheduler the beats run on. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Emits the beat number (1, 2, ...) each time a beat is due; the caller sends
 * it. Each beat must be acknowledged (a value on `acks`) before the next one
 * is due, otherwise the stream errors with a TimeoutError (a zombie
 * connection). Unsubscribing stops the timer.
 */
export function heartbeat(acks: Observable<unknown>, options: HeartbeatOptions): Observable<number> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Observable<number>((subscriber) => {
    let beats = 0;
    let acked = true;
    const ackSub = acks.subscribe({ next: () => (acked = true), error: (e) => subscriber.error(e) });
    const beat = (): void => {
      if (!acked) {
        subscriber.error(new TimeoutError(options.what ?? 'heartbeat ACK', options.interval));
        return;
      }
      acked = false;
      subscriber.next(++beats);
    };
    const timer = scheduler.schedule(function (this: { schedule(state?: undefined, delay?: number): void }) {
      beat();
      if (!subscriber.closed) this.schedule(undefined, options.interval);
    }, options.firstDelay ?? options.interval);
    return () => {
      timer.unsubscribe();
      ackSub.unsubscribe();
    };
  });
}
