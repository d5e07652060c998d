import { distinctUntilChanged, EMPTY, merge, Observable, switchMap } from 'rxjs';
import { holdLease, type HoldLeaseOptions } from './holdLease';
import type { KvLike } from './ports';

/**
 * Spreads keyed work (shards, mailboxes, accounts) over processes: for every
 * key, this process competes for its lease in `kv`; while it holds one, `work(key)`
 * runs; when it loses it (or another process held it first), the work is
 * unsubscribed. A process that dies loses its leases by expiry and the others
 * take its keys over. Run the same call in every worker process.
 */
export function leasedWork<R>(kv: KvLike, keys: readonly string[], options: HoldLeaseOptions, work: (key: string) => Observable<R>): Observable<R> {
  return merge(
    ...keys.map((key) =>
      holdLease(kv, key, options).pipe(
        distinctUntilChanged(),
        switchMap((held) => (held ? work(key) : EMPTY)),
      ),
    ),
  );
}
