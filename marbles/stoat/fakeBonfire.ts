import { merge, Observable, Subject } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { WsConnection, WsInbound } from '../../src/gateway/transport';

export interface Sent {
  readonly at: number;
  readonly connection: number;
  readonly message: Record<string, unknown>;
}

/**
 * A scripted Bonfire for marble tests: connection n plays `scripts[n]`
 * (cold marbles whose values are EventV1 objects, `o` = Open, `x` = Close
 * 1006). When `pongDelay` is set, each Ping is answered after that many
 * frames. Everything the client sends is recorded with its virtual time.
 */
export function fakeBonfire(
  scheduler: TestScheduler,
  scripts: readonly string[],
  values: Record<string, Record<string, unknown>>,
  options: { pongDelay?: number } = {},
) {
  const sent: Sent[] = [];
  let n = 0;
  const transport = (url: string): Observable<WsInbound> =>
    new Observable<WsInbound>((subscriber) => {
      const index = n++;
      const replies = new Subject<WsInbound>();
      const connection: WsConnection = {
        id: index + 1,
        url,
        send(data) {
          const message = JSON.parse(String(data)) as Record<string, unknown>;
          sent.push({ at: scheduler.now(), connection: index + 1, message });
          if (message.type === 'Ping' && options.pongDelay !== undefined) {
            scheduler.schedule(() => replies.next({ kind: 'Text', connection, data: JSON.stringify({ type: 'Pong', data: message.data }) }), options.pongDelay);
          }
          return true;
        },
        close() {},
        terminate() {},
      };
      const script = scripts[Math.min(index, scripts.length - 1)];
      const items: Record<string, WsInbound> = { o: { kind: 'Open', connection }, x: { kind: 'Close', connection, code: 1006, reason: '', initiatedByClient: false } };
      for (const [k, v] of Object.entries(values)) items[k] = { kind: 'Text', connection, data: JSON.stringify(v) };
      return merge(scheduler.createColdObservable<WsInbound>(script, items), replies).subscribe(subscriber);
    });
  return { transport, sent, connections: () => n };
}
