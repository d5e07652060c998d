/**
 * `imap(options)`: the IMAP source in the shape every rxwire source has
 * (the source contract, see core/source.ts). `events$` watches one mailbox
 * (IDLE or NOOP polling, reconnecting with backoff, exactly-once catch-up),
 * shared: it connects on the first subscriber and logs out after the last.
 * The actions run on that live connection (IDLE is ended around them): they
 * wait until the watch is Ready, complete on the server's tagged OK, and error
 * with ActionDroppedError when the connection drops while they are in flight.
 * The password/token never appears in an event, an error or a log line.
 */
import { catchError, defer, map, Observable, throwError, toArray, type ObservableInput } from 'rxjs';
import { ActionDroppedError, createRedactor, redacted, shareSource, sourceLogger, TransportClosedError, type CommonSourceOptions, type SourceHandle } from '../core';
import type { ImapClient } from './client';
import type { CopyUid } from './codecs/mailbox';
import type { SequenceSet } from './commands/fetch';
import type { SessionOptions } from './session';
import type { ImapEvent } from './watch/events';
import { imapUrl } from './url';
import { mailboxWatchOf, type WatchOptions } from './watch/watchMailbox';

/** Options of `imap()`: where and how to log in, which mailbox to watch, how to watch it. */
export interface ImapOptions extends SessionOptions, Omit<WatchOptions, 'scheduler'>, CommonSourceOptions {
  /** The mailbox `events$` watches. Default `INBOX`. */
  readonly mailbox?: string;
}

/** What `imap()` returns: the shared event stream and actions on its connection. UIDs are those the events carry. */
export interface ImapHandle extends SourceHandle<ImapEvent> {
  /** Runs `fn` with the watching connection's client (IDLE is ended first and resumed after). Emits what `fn` emits. */
  run<T>(fn: (client: ImapClient) => ObservableInput<T>): Observable<T>;
  /** Adds `\Seen` to these UIDs (UID STORE +FLAGS.SILENT); emits once at the tagged OK. */
  markSeen(uids: SequenceSet): Observable<void>;
  /** Adds flags to these UIDs; emits once at the tagged OK. */
  addFlags(uids: SequenceSet, flags: readonly string[]): Observable<void>;
  /** Removes flags from these UIDs; emits once at the tagged OK. */
  removeFlags(uids: SequenceSet, flags: readonly string[]): Observable<void>;
  /** Moves these UIDs to `destination` (UID MOVE, or COPY + \Deleted + UID EXPUNGE without MOVE); emits COPYUID or null. */
  move(uids: SequenceSet, destination: string): Observable<CopyUid | null>;
  /** Expunges `\Deleted` messages (only these UIDs when given: UID EXPUNGE); emits what was removed (see ImapClient.expunge). */
  expunge(uids?: SequenceSet): Observable<number[]>;
}

/** The IMAP source: see the file comment. */
export function imap(options: ImapOptions): ImapHandle {
  const { mailbox = 'INBOX', logger, ...rest } = options;
  const auth = options.auth;
  const secrets = !auth ? [] : 'mechanism' in auth ? [...(auth.mechanism.secrets ?? [])] : [auth.password];
  const redactor = createRedactor(secrets);
  const log = sourceLogger('imap', logger, redactor);
  const watch = mailboxWatchOf({ ...rest, logger, redactor }, mailbox, { ...rest, logger: log, url: imapUrl(options) });
  const events$ = shareSource(watch.events$.pipe(redacted<ImapEvent>(redactor)));

  const action = <T>(name: string, fn: (client: ImapClient) => ObservableInput<T>): Observable<T> =>
    new Observable<T>((sub) => {
      // hold the shared connection open (or bring it up) while the action runs
      const keep = events$.subscribe({
        error: (e: unknown) => sub.error(e),
        complete: () => sub.error(redactor.error(new ActionDroppedError(name, 'the mailbox watch ended'))),
      });
      const inner = watch
        .runWhenReady((client) => defer(() => fn(client)))
        .pipe(catchError((e: unknown) => throwError(() => redactor.error(e instanceof TransportClosedError ? new ActionDroppedError(name, e.reason) : e))))
        .subscribe(sub);
      return () => {
        inner.unsubscribe();
        keep.unsubscribe();
      };
    });
  const once = <T>(o: Observable<T>): Observable<void> => o.pipe(toArray(), map(() => undefined));

  return {
    events$,
    run: (fn) => action('run', fn),
    markSeen: (uids) => action('markSeen', (c) => once(c.addFlags(uids, ['\\Seen'], { uid: true, silent: true }))),
    addFlags: (uids, flags) => action('addFlags', (c) => once(c.addFlags(uids, flags, { uid: true, silent: true }))),
    removeFlags: (uids, flags) => action('removeFlags', (c) => once(c.removeFlags(uids, flags, { uid: true, silent: true }))),
    move: (uids, destination) => action('move', (c) => c.move(uids, destination, { uid: true })),
    expunge: (uids) => action('expunge', (c) => (uids === undefined ? c.expunge() : c.uidExpunge(uids))),
  };
}
