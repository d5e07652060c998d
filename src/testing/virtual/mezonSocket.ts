/**
 * A scripted Mezon socket for marble tests, in virtual time: the `transport`
 * for `mezon()` / `mezonClient()` (protobuf framing). It answers clan joins,
 * pings and channel-message sends `replyDelay` virtual ms later (default 10),
 * can refuse connection attempts, miss pongs and drop connections at given
 * times, and pushes typed events (`pushEvent('ChannelMessage', data)`,
 * in the decoded shape a client sees, re-encoded to the wire form). What the
 * client sent is logged as `[virtual time, envelope field, cid]`.
 *
 *   ts.run(({ expectObservable }) => {
 *     const fake = fakeMezonSocket(ts, { dropAt: { 1: 500 } });
 *     const events$ = mezon({ clientId: 'bot', apiKey: 'key', socketUrl: 'ws://mezon.test',
 *       authenticate: () => of({ token: 't' }), transport: fake.transport, scheduler: ts }).events$;
 *     ts.schedule(() => fake.pushEvent('ChannelMessage', mezonChannelMessage({ content: { t: 'hi' } })), 100);
 *     ...
 *   });
 */
import { Observable, type SchedulerLike, type Subscriber } from 'rxjs';
import type * as t from 'io-ts';
import { TransportClosedError } from '../../core';
import { MEZON_CODECS, MEZON_FIELD_OF, type MezonEventType } from '../../gateway/mezon/events';
import { decodeEnvelopeBinary, encodeEnvelopeBinary, envelopeField, type EnvelopeObject } from '../../gateway/mezon/protobuf';
import type { WsConnection, WsInbound } from '../../gateway/transport/types';
import { mezonWirePayload } from '../mezon/server';
import { MEZON_SAMPLE_EVENTS } from '../mezon/samples';

/** The decoded data of Mezon event `T` (what a client's event carries). */
export type MezonEventData<T extends MezonEventType> = t.TypeOf<(typeof MEZON_CODECS)[T]>;

/** How a fake Mezon socket behaves. */
export interface FakeMezonScript {
  /** Answer the n-th ping (1-based, per connection)? Default: always. */
  readonly pong?: (n: number) => boolean;
  /** Connection attempts (1-based) that fail before opening (ECONNREFUSED). */
  readonly refuse?: (attempt: number) => boolean;
  /** Drop connection number `n` (1-based) with close 1006 at this absolute virtual time. */
  readonly dropAt?: Readonly<Record<number, number>>;
  /** Virtual ms between a request and its answer. Default 10. */
  readonly replyDelay?: number;
}

/** What `fakeMezonSocket` returns. */
export interface FakeMezonSocket {
  /** The transport to give `mezon({ transport })`: each subscription is a connection attempt. */
  readonly transport: (url: string) => Observable<WsInbound>;
  /** `[virtual time, envelope field, cid]` of every envelope the client sent. */
  readonly log: Array<[number, string, string]>;
  /** Pushes a typed event (decoded shape) to the open connection, now. */
  pushEvent<T extends MezonEventType>(type: T, data: MezonEventData<T>): void;
  /** Pushes an envelope in wire form (e.g. `{ channel_message: {...} }`) to the open connection, now. */
  push(envelope: EnvelopeObject): void;
  /** How many connections have opened. */
  opened(): number;
}

/** A scripted Mezon socket on a scheduler's clock (see the module comment). */
export function fakeMezonSocket(scheduler: SchedulerLike, script: FakeMezonScript = {}): FakeMezonSocket {
  const log: Array<[number, string, string]> = [];
  const delay = script.replyDelay ?? 10;
  let attempts = 0;
  let opened = 0;
  let current: { sub: Subscriber<WsInbound>; connection: WsConnection } | undefined;
  const deliver = (envelope: EnvelopeObject): void => {
    const c = current;
    if (c && !c.sub.closed) c.sub.next({ kind: 'Binary', connection: c.connection, data: Buffer.from(encodeEnvelopeBinary(envelope)) });
  };
  const transport = (url: string): Observable<WsInbound> =>
    new Observable<WsInbound>((sub) => {
      attempts++;
      if (script.refuse?.(attempts)) {
        sub.error(new TransportClosedError(`could not connect to ${url.split('?')[0]}?…: ECONNREFUSED`));
        return;
      }
      const n = ++opened;
      let pings = 0;
      const reply = (envelope: EnvelopeObject): void => {
        scheduler.schedule(() => {
          if (!sub.closed) sub.next({ kind: 'Binary', connection, data: Buffer.from(encodeEnvelopeBinary(envelope)) });
        }, delay);
      };
      const connection: WsConnection = {
        id: n,
        url,
        send(data) {
          const env = decodeEnvelopeBinary(typeof data === 'string' ? Buffer.from(data) : data);
          const field = envelopeField(env) ?? '';
          const cid = String(env.cid);
          log.push([scheduler.now(), field, cid]);
          if (field === 'clan_join') reply({ cid, clan_join: env.clan_join });
          else if (field === 'ping' && (script.pong?.(++pings) ?? true)) reply({ cid, pong: {} });
          else if (field === 'channel_message_send') reply({ cid, channel_message_ack: { channel_id: '9', message_id: '77' } });
          return true;
        },
        close: () => undefined,
        terminate: () => undefined,
      };
      current = { sub, connection };
      sub.next({ kind: 'Open', connection });
      const drop = script.dropAt?.[n];
      if (drop !== undefined) {
        scheduler.schedule(() => {
          sub.next({ kind: 'Close', connection, code: 1006, reason: '', initiatedByClient: false });
          sub.complete();
        }, Math.max(0, drop - scheduler.now()));
      }
    });
  return {
    transport,
    log,
    pushEvent: (type, data) => deliver({ [MEZON_FIELD_OF[type]]: mezonWirePayload(type, data as Readonly<Record<string, unknown>>) }),
    push: deliver,
    opened: () => opened,
  };
}

/** A typed ChannelMessage (decoded shape): the sample message of rxwire/testing, decoded by rxwire/mezon's codec, with `overrides` applied. */
export function mezonChannelMessage(overrides: Partial<MezonEventData<'ChannelMessage'>> = {}): MezonEventData<'ChannelMessage'> {
  const sample = MEZON_CODECS.ChannelMessage.decode(MEZON_SAMPLE_EVENTS.ChannelMessage);
  if (sample._tag === 'Left') throw new Error('mezonChannelMessage: the sample no longer decodes as a ChannelMessage');
  return { ...sample.right, ...overrides };
}
