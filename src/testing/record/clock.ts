/**
 * The recording clock: milliseconds since the first line, read from a
 * scheduler (so recordings made under a TestScheduler get virtual times).
 */
import { asyncScheduler, type SchedulerLike } from 'rxjs';

/** Milliseconds since the clock's first reading. */
export function recordingClock(scheduler: SchedulerLike = asyncScheduler): () => number {
  let start: number | undefined;
  return () => {
    const now = scheduler.now();
    if (start === undefined) start = now;
    return now - start;
  };
}
