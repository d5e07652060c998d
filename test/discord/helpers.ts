import { filter, firstValueFrom, take, timeout, toArray, type Observable } from 'rxjs';
import type { DiscordEvent } from '../../src/gateway/discord';

/** The first `n` events matching `pred`, or a timeout error after 10 s. */
export function collect(events$: Observable<DiscordEvent>, pred: (e: DiscordEvent) => boolean, n: number, ms = 10_000): Promise<DiscordEvent[]> {
  return firstValueFrom(events$.pipe(filter(pred), take(n), toArray(), timeout(ms)));
}

/** Resolves on the first event matching `pred`. */
export function next(events$: Observable<DiscordEvent>, pred: (e: DiscordEvent) => boolean, ms = 10_000): Promise<DiscordEvent> {
  return firstValueFrom(events$.pipe(filter(pred), take(1), timeout(ms)));
}
