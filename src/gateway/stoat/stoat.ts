/**
 * The Stoat source handle: `stoat(options)` returns `{ events$, beginTyping,
 * endTyping, subscribe }`. `events$` is the shared connection (one socket
 * while anyone listens, closed with the last subscriber, reopened for the
 * next), redacted as its last stage; the actions are cold Observables that
 * wait for a connection past Ready, complete once their frame is written to
 * the socket (Bonfire acknowledges none of them) and error with
 * ActionDroppedError when the source ends or the socket is gone first.
 */
import { Observable } from 'rxjs';
import { ActionDroppedError, createRedactor, redacted, shareSource, sourceLogger, type SourceHandle } from '../../core';
import type { StoatEvent } from './events';
import { connectStoat, type StoatLink, type StoatOptions } from './gateway';
import type { StoatClientMessage } from './session';

/** The handle `stoat()` returns. */
export interface StoatHandle extends SourceHandle<StoatEvent> {
  /** Tells the channel this user started typing (Bonfire `BeginTyping`). Completes when written. */
  beginTyping(channel: string): Observable<void>;
  /** Tells the channel this user stopped typing (Bonfire `EndTyping`). Completes when written. */
  endTyping(channel: string): Observable<void>;
  /**
   * Asks for a server's member events (Bonfire `Subscribe`, needed for user
   * accounts to get presence/member updates). Completes when written; send it
   * again after each Ready (a reconnect forgets it).
   */
  subscribe(serverId: string): Observable<void>;
}

/**
 * Connects to Stoat's (formerly Revolt's) Bonfire gateway as a shared source.
 * See `StoatOptions`; the token never appears in events, errors or log lines.
 */
export function stoat(options: StoatOptions): StoatHandle {
  const redactor = createRedactor([options.token]);
  const log = sourceLogger('stoat', options.logger, redactor);
  const link: StoatLink = { send: undefined };
  const events$ = shareSource(connectStoat(options, { link, log, redactor }).pipe(redacted<StoatEvent>(redactor)));

  const action = (message: StoatClientMessage): Observable<void> =>
    new Observable<void>((subscriber) => {
      let done = false;
      const attempt = (): void => {
        const send = link.send;
        if (done || send === undefined) return;
        done = true;
        if (send(message)) subscriber.complete();
        else subscriber.error(new ActionDroppedError(message.type, 'the socket was not open'));
      };
      // Holding events$ keeps (or opens) the connection until the frame is written.
      const hold = events$.subscribe({
        next: (e) => {
          if (e.type === 'Ready') attempt();
        },
        error: (e: unknown) => {
          if (!done) subscriber.error(new ActionDroppedError(message.type, `the source ended: ${e instanceof Error ? e.message : String(e)}`));
        },
        complete: () => {
          if (!done) subscriber.error(new ActionDroppedError(message.type, 'the source completed'));
        },
      });
      attempt();
      return () => hold.unsubscribe();
    });

  return {
    events$,
    beginTyping: (channel) => action({ type: 'BeginTyping', channel }),
    endTyping: (channel) => action({ type: 'EndTyping', channel }),
    subscribe: (serverId) => action({ type: 'Subscribe', server_id: serverId }),
  };
}

/**
 * @deprecated Use `stoat(options).events$` (shared: two subscribers share one
 * socket). Kept for one release.
 */
export function stoatGateway(options: StoatOptions): Observable<StoatEvent> {
  return stoat(options).events$;
}
