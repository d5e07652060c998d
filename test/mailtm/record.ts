/** Test helper: subscribe once and await conditions on everything seen so far, with deadlines. */
import { ReplaySubject, filter, firstValueFrom, lastValueFrom, take, timeout, toArray, type Observable, type Subscription } from 'rxjs';
import type { MailtmEvent, MailtmEventType } from '../../src/mailtm';

export interface Recorded {
  readonly all: MailtmEvent[];
  readonly sub: Subscription;
  error(): unknown;
  /** The first `n` events of `type` (waiting up to `ms`). */
  next<T extends MailtmEventType>(type: T, n?: number, ms?: number): Promise<Array<Extract<MailtmEvent, { type: T }>>>;
  /** Every event, once the stream ended. */
  done(ms?: number): Promise<MailtmEvent[]>;
}

export function recordEvents(events$: Observable<MailtmEvent>): Recorded {
  const seen = new ReplaySubject<MailtmEvent>();
  const all: MailtmEvent[] = [];
  let error: unknown;
  const sub = events$.subscribe({
    next: (e) => {
      all.push(e);
      seen.next(e);
    },
    error: (e: unknown) => {
      error = e;
      seen.error(e);
    },
    complete: () => seen.complete(),
  });
  return {
    all,
    sub,
    error: () => error,
    next: <T extends MailtmEventType>(type: T, n = 1, ms = 15_000) =>
      firstValueFrom(
        seen.pipe(
          filter((e): e is Extract<MailtmEvent, { type: T }> => e.type === type),
          take(n),
          toArray(),
          timeout(ms),
        ),
      ),
    done: (ms = 15_000) => lastValueFrom(seen.pipe(toArray(), timeout(ms))),
  };
}

/** The ids of the NewMessage events. */
export const newIds = (events: readonly MailtmEvent[]): string[] => events.flatMap((e) => (e.type === 'NewMessage' ? [e.data.id] : []));
