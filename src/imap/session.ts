/**
 * `imapSession(options)`: a cold Observable of a logged-in ImapClient.
 * Subscribing connects (and upgrades/authenticates); the client is emitted
 * once ready; unsubscribing logs out and closes the socket. Errors of the
 * connection (drop, BYE) error the Observable.
 */
import { concat, ignoreElements, Observable, timeout, catchError, EMPTY } from 'rxjs';
import { ImapClient, type ImapClientOptions } from './client';
import type { SaslMechanism } from './sasl/mechanism';

export interface SessionOptions extends ImapClientOptions {
  readonly auth?: { readonly user: string; readonly password: string } | { readonly mechanism: SaslMechanism };
}

export function imapSession(options: SessionOptions): Observable<ImapClient> {
  return new Observable<ImapClient>((sub) => {
    const client = new ImapClient(options);
    const a = options.auth;
    const login = !a ? EMPTY : 'mechanism' in a ? client.authenticate(a.mechanism) : client.login(a.user, a.password);
    const setup = concat(client.connect().pipe(ignoreElements()), login.pipe(ignoreElements())).subscribe({
      error: (e) => sub.error(e),
      complete: () => {
        sub.next(client);
        client.closed$.subscribe((e) => sub.error(e));
      },
    });
    return () => {
      setup.unsubscribe();
      if (client.closed) return;
      client
        .logout()
        .pipe(
          timeout({ first: 5_000, scheduler: options.scheduler }),
          catchError(() => EMPTY),
        )
        .subscribe({ complete: () => client.close() });
    };
  });
}
