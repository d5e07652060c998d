import { Observable } from 'rxjs';
import type { Response, TaggedResponse, UntaggedResponse } from '../codecs/response';
import type { CommandSpec, ImapConnection } from '../connection';

export interface Collected {
  readonly untagged: UntaggedResponse[];
  readonly tagged: TaggedResponse;
}

/** Runs a command; emits once, at its tagged OK, the untagged responses it accepted and the OK. */
export function collect(c: ImapConnection, spec: CommandSpec): Observable<Collected> {
  return new Observable<Collected>((sub) => {
    const untagged: UntaggedResponse[] = [];
    return c.command(spec).subscribe({
      next: (r: Response) => {
        if (r.kind === 'tagged') sub.next({ untagged, tagged: r });
        else if (r.kind !== 'continuation') untagged.push(r as UntaggedResponse);
      },
      error: (e) => sub.error(e),
      complete: () => sub.complete(),
    });
  });
}

/** Runs a command and emits `undefined` once it succeeds. */
export function simple(c: ImapConnection, spec: CommandSpec): Observable<void> {
  return new Observable<void>((sub) =>
    c.command(spec).subscribe({
      next: (r) => {
        if (r.kind === 'tagged') sub.next(undefined);
      },
      error: (e) => sub.error(e),
      complete: () => sub.complete(),
    }),
  );
}

/** An Observable that errors at subscription (argument errors surface through the stream, not as throws). */
export function guarded<T>(build: () => Observable<T>): Observable<T> {
  return new Observable<T>((sub) => {
    let inner: Observable<T>;
    try {
      inner = build();
    } catch (e) {
      sub.error(e);
      return;
    }
    return inner.subscribe(sub);
  });
}
