/**
 * A scripted Stoat Bonfire (the events WebSocket) for marble tests, in
 * virtual time: connection n plays `scripts[n]` (the last script repeats for
 * later connections), a cold marble whose keys are Bonfire events from
 * `values`, plus `o` = Open and `x` = Close 1006. With `pongDelay` set, each
 * Ping is answered after that many virtual ms. Everything the client sends is
 * kept in `sent` with its virtual time.
 *
 *   ts.run(({ expectObservable }) => {
 *     const bonfire = fakeBonfire(ts, ['o 9ms a 9ms r 9ms m'], {
 *       a: stoatAuthenticatedEvent(), r: stoatReadyEvent(), m: stoatMessageEvent(stoatMessageFixture('hi')),
 *     });
 *     const events$ = stoatGateway({ url: 'ws://bonfire.test/', token: 't', transport: bonfire.transport, scheduler: ts });
 *     ...
 *   });
 */
import { merge, Observable, Subject } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import type { ReadyData } from '../../gateway/stoat/codecs/events';
import type { Message } from '../../gateway/stoat/codecs/models';
import type { WsConnection, WsInbound } from '../../gateway/transport/types';
import { stoatMessage, stoatReady } from '../stoat/fixtures';

/** A Bonfire event as the server sends it: `type` (the wire name, e.g. `Message`, `Ready`) and its fields. */
export interface StoatBonfireEvent {
  /** The wire event name. */
  readonly type: string;
  /** The event's fields. */
  readonly [field: string]: unknown;
}

/** One message the client sent to a fake Bonfire. */
export interface FakeBonfireSent {
  /** Virtual time of the send. */
  readonly at: number;
  /** The connection it went over (1-based). */
  readonly connection: number;
  /** The decoded JSON message (`{type: 'Authenticate', token}`, `{type: 'Ping', data}`, ...). */
  readonly message: Readonly<Record<string, unknown>>;
}

/** Options of `fakeBonfire`. */
export interface FakeBonfireOptions {
  /** Answer each Ping with a Pong this many virtual ms later (default: never answer). */
  readonly pongDelay?: number;
}

/** What `fakeBonfire` returns. */
export interface FakeBonfire {
  /** The transport to give `stoatGateway({ transport })` / `stoat({ transport })`. */
  readonly transport: (url: string) => Observable<WsInbound>;
  /** Everything the client sent, in order. */
  readonly sent: FakeBonfireSent[];
  /** How many connections were opened so far. */
  connections(): number;
}

/** A scripted Bonfire on a TestScheduler (see the module comment). */
export function fakeBonfire(scheduler: TestScheduler, scripts: readonly string[], values: Readonly<Record<string, StoatBonfireEvent>>, options: FakeBonfireOptions = {}): FakeBonfire {
  const sent: FakeBonfireSent[] = [];
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

/** `{type: 'Authenticated'}`: the server accepted the token. */
export function stoatAuthenticatedEvent(): StoatBonfireEvent & { readonly type: 'Authenticated' } {
  return { type: 'Authenticated' };
}

/** A Ready event (default: the fixtures' users, server, channels, members, emojis). */
export function stoatReadyEvent(ready: ReadyData = stoatReady()): StoatBonfireEvent & ReadyData & { readonly type: 'Ready' } {
  return { type: 'Ready', ...ready };
}

/** A Message event (a MessageCreate once decoded) carrying a typed Stoat `Message` (default: a fixture saying "hello"). */
export function stoatMessageEvent(message: Message = stoatMessage('hello')): StoatBonfireEvent & Message & { readonly type: 'Message' } {
  return { type: 'Message', ...message };
}
