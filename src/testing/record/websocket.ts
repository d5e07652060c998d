/**
 * Record and replay at the shared WebSocket seam (`WsInbound`, the
 * `transport` option of the Discord, Stoat and Mezon sources).
 *
 * `recordWebSocket(sink)` wraps a transport (default `connectWebSocket`):
 * everything it yields passes through unchanged while Open/Text/Binary/Close
 * and every `send` are written as RecordLines (secrets redacted).
 *
 * `replayWebSocket(lines)` is a transport that plays a recording back: each
 * subscription plays the next open … close segment, every inbound item at its
 * recorded offset from that segment's open, on the given scheduler (virtual
 * time under a TestScheduler). Sends are kept in `sent`, not checked.
 */
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import type { Redactor } from '../../core/redactor';
import { connectWebSocket } from '../../gateway/transport/connectWebSocket';
import type { WsConnection, WsInbound, WsOptions } from '../../gateway/transport/types';
import { lineBytes, type RecordLine } from './format';
import { recordingClock } from './clock';
import { redactedData } from './redact';
import type { RecordSink } from './sink';

/** A WebSocket transport, as the gateway sources take it. */
export type WsTransport = (url: string, options?: WsOptions) => Observable<WsInbound>;

/** Options of `recordWebSocket`. */
export interface RecordOptions {
  /** Removes secrets (tokens, passwords) from every recorded line. */
  readonly redactor?: Redactor;
  /** The transport to record. Default `connectWebSocket`. */
  readonly transport?: WsTransport;
  /** Clock of the `t` field. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
}

/** A transport that records what crosses `options.transport` into `sink`. */
export function recordWebSocket(sink: RecordSink, options: RecordOptions = {}): WsTransport {
  const inner = options.transport ?? connectWebSocket;
  const clock = recordingClock(options.scheduler);
  const redactor = options.redactor;
  const clean = (s: string): string => (redactor ? redactor.text(s) : s);
  return (url, wsOptions) =>
    new Observable<WsInbound>((sub) => {
      const wrapped = new Map<WsConnection, WsConnection>();
      const wrap = (c: WsConnection): WsConnection => {
        let w = wrapped.get(c);
        if (!w) {
          w = {
            id: c.id,
            url: c.url,
            send: (data) => {
              sink.write({ t: clock(), dir: 'out', ...redactedData(data, redactor) });
              return c.send(data);
            },
            close: (code, reason) => c.close(code, reason),
            terminate: () => c.terminate(),
          };
          wrapped.set(c, w);
        }
        return w;
      };
      return inner(url, wsOptions).subscribe({
        next: (item) => {
          const connection = wrap(item.connection);
          switch (item.kind) {
            case 'Open':
              sink.write({ t: clock(), dir: 'open', data: clean(item.connection.url), connection: item.connection.id });
              sub.next({ kind: 'Open', connection });
              return;
            case 'Text':
              sink.write({ t: clock(), dir: 'in', ...redactedData(item.data, redactor) });
              sub.next({ kind: 'Text', connection, data: item.data });
              return;
            case 'Binary':
              sink.write({ t: clock(), dir: 'in', ...redactedData(item.data, redactor) });
              sub.next({ kind: 'Binary', connection, data: item.data });
              return;
            case 'Close':
              sink.write({ t: clock(), dir: 'close', data: clean(item.reason), code: item.code, initiatedByClient: item.initiatedByClient });
              sub.next({ ...item, connection });
              return;
          }
        },
        error: (e: unknown) => sub.error(e),
        complete: () => sub.complete(),
      });
    });
}

/** A replaying transport and what the code under test sent through it. */
export interface WsReplay {
  /** Pass as the source's `transport` option. */
  readonly transport: WsTransport;
  /** Sends, with the virtual time (ms since that segment's open) they happened at. */
  readonly sent: Array<{ readonly t: number; readonly segment: number; readonly data: string | Uint8Array }>;
  /** How many segments were played (or started). */
  readonly played: () => number;
}

/** Splits a recording into open … close segments. */
export function recordingSegments(lines: readonly RecordLine[]): RecordLine[][] {
  const out: RecordLine[][] = [];
  let cur: RecordLine[] | undefined;
  for (const l of lines) {
    if (l.dir === 'open') {
      cur = [l];
      out.push(cur);
    } else if (cur) {
      cur.push(l);
      if (l.dir === 'close') cur = undefined;
    }
  }
  return out;
}

/** A transport that replays `lines`, one open … close segment per subscription. */
export function replayWebSocket(lines: readonly RecordLine[], options: { readonly scheduler?: SchedulerLike; /** Multiplies recorded offsets. Default 1. */ readonly timeScale?: number } = {}): WsReplay {
  const all = recordingSegments(lines);
  const sent: Array<{ t: number; segment: number; data: string | Uint8Array }> = [];
  let next = 0;
  const transport: WsTransport = (url) =>
    new Observable<WsInbound>((sub) => {
      const scheduler = options.scheduler ?? asyncScheduler;
      const index = next++;
      const seg = all[index];
      if (!seg) {
        sub.error(new Error(`replay: the recording has ${all.length} connection(s); connection ${index + 1} was asked for (${url})`));
        return;
      }
      const opened = scheduler.now();
      const base = seg[0].t;
      let closed = false;
      const connection: WsConnection = {
        id: seg[0].connection ?? 1_000_000 + index,
        url: seg[0].data,
        send: (data) => {
          if (closed) return false;
          sent.push({ t: scheduler.now() - opened, segment: index, data });
          return true;
        },
        close: () => undefined,
        terminate: () => undefined,
      };
      const actions = seg.map((l) =>
        scheduler.schedule(() => {
          if (sub.closed) return;
          if (l.dir === 'open') sub.next({ kind: 'Open', connection });
          else if (l.dir === 'in' && l.kind === 'binary') sub.next({ kind: 'Binary', connection, data: lineBytes(l) });
          else if (l.dir === 'in') sub.next({ kind: 'Text', connection, data: l.data });
          else if (l.dir === 'close') {
            closed = true;
            sub.next({ kind: 'Close', connection, code: l.code ?? 1006, reason: l.data, initiatedByClient: l.initiatedByClient ?? false });
            sub.complete();
          }
        }, (l.t - base) * (options.timeScale ?? 1)),
      );
      return () => {
        closed = true;
        for (const a of actions) a.unsubscribe();
      };
    });
  return { transport, sent, played: () => next };
}
