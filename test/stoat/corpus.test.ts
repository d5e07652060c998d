/**
 * The conformance corpus (test/stoat/corpus/events.ts, written from the
 * backend's definitions) through the live decode path — transport items into
 * `stoat().events$` — in both framings: every frame must decode to its event
 * with the JSON form as data (MessagePack's ms timestamps become ISO strings).
 */
import { encode } from '@msgpack/msgpack';
import { filter, firstValueFrom, Observable, take, toArray, timeout } from 'rxjs';
import { stoat, stoatCodecs, type StoatEvent } from '../../src/gateway/stoat';
import type { WsConnection, WsInbound } from '../../src/gateway/transport';
import { corpus, jsonForm, msgpackForm, readyFrame } from './corpus/events';

function scripted(format: 'json' | 'msgpack', frames: ReadonlyArray<Readonly<Record<string, unknown>>>) {
  return (url: string): Observable<WsInbound> =>
    new Observable<WsInbound>((subscriber) => {
      const connection: WsConnection = { id: 1, url, send: () => true, close() {}, terminate() {} };
      subscriber.next({ kind: 'Open', connection });
      for (const f of [{ type: 'Authenticated' }, readyFrame, ...frames]) {
        if (format === 'json') subscriber.next({ kind: 'Text', connection, data: JSON.stringify(jsonForm(f)) });
        else subscriber.next({ kind: 'Binary', connection, data: Buffer.from(encode(msgpackForm(f))) });
      }
    });
}

describe.each(['json', 'msgpack'] as const)('Stoat conformance corpus (%s)', (format) => {
  let events: StoatEvent[];
  beforeAll(async () => {
    events = await firstValueFrom(
      stoat({ url: 'ws://bonfire.test/', token: 'corpus-token-0001', format, transport: scripted(format, corpus.map((c) => c.frame)) }).events$.pipe(
        filter((e) => !['BeforeConnect', 'AfterConnect', 'Authenticated'].includes(e.type)),
        take(corpus.length + 1),
        toArray(),
        timeout(5_000),
      ),
    );
  });

  it('decodes the Ready with every field', () => {
    expect(events[0]).toMatchObject({ type: 'Ready', data: jsonForm(readyFrame) });
  });

  it.each(corpus.map((c, i) => [i, c.wire, c.follows] as const))('frame %i (%s, follows %s) decodes to its event', (i) => {
    const entry = corpus[i];
    const event = events[i + 1];
    if (event.type === 'DecodeError') throw new Error(`DecodeError: ${event.data.errors.join('; ')}`);
    expect(event.type).toBe(entry.name);
    expect(event.data).toEqual(jsonForm(entry.frame));
  });

  it('covers every codec of the table', () => {
    expect(new Set(corpus.map((c) => c.name))).toEqual(new Set(Object.keys(stoatCodecs)));
  });
});
