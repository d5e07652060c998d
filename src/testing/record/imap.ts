/**
 * Record and replay at the IMAP byte seam (`TransportFactory` of src/imap):
 * the bytes the client read and wrote, after TLS and COMPRESS (so recordings
 * are readable protocol text).
 *
 * `recordImapTransport(sink)` wraps a factory (default `nodeTransport`).
 * `replayImapBytes(lines)` plays the `in` bytes of a recording as an
 * Observable<Buffer> at their recorded offsets (virtual time under a
 * TestScheduler), ready for `Tokenizer` + `parseResponse`.
 * `replayImapTransport(lines)` is a TransportFactory that answers a client with
 * the recorded server bytes, one open … close segment per connection: each
 * recorded `in` chunk is delivered once the client has written as many
 * commands (lines) as had been written before it in the recording.
 */
import { Observable, asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Redactor } from '../../core/redactor';
import { nodeTransport, type ImapTransport, type TransportFactory } from '../../imap/transport';
import { lineBytes, type RecordLine } from './format';
import { recordingClock } from './clock';
import { redactedData } from './redact';
import type { RecordSink } from './sink';
import { recordingSegments } from './websocket';

function chunkData(chunk: Buffer, redactor: Redactor | undefined): Pick<RecordLine, 'kind' | 'data'> {
  const text = chunk.toString('utf8');
  // text when the chunk round-trips as UTF-8, else base64
  if (Buffer.from(text, 'utf8').equals(chunk)) return redactedData(text, redactor);
  return redactedData(chunk, redactor);
}

/** A TransportFactory that records the bytes crossing `options.transport`. */
export function recordImapTransport(sink: RecordSink, options: { readonly redactor?: Redactor; readonly transport?: TransportFactory; readonly scheduler?: SchedulerLike } = {}): TransportFactory {
  const inner = options.transport ?? nodeTransport;
  const clock = recordingClock(options.scheduler);
  return async (transportOptions, handlers) => {
    const t = await inner(transportOptions, {
      data: (chunk) => {
        sink.write({ t: clock(), dir: 'in', ...chunkData(chunk, options.redactor) });
        handlers.data(chunk);
      },
      closed: (error) => {
        sink.write({ t: clock(), dir: 'close', data: error ? (options.redactor?.text(error.message) ?? error.message) : 'closed' });
        handlers.closed(error);
      },
    });
    sink.write({ t: clock(), dir: 'open', data: `imap://${transportOptions.host}:${transportOptions.port}` });
    return {
      get secure() {
        return t.secure;
      },
      write: (chunk) => {
        sink.write({ t: clock(), dir: 'out', ...chunkData(chunk, options.redactor) });
        return t.write(chunk);
      },
      startTls: () => t.startTls(),
      compress: () => t.compress(),
      close: () => t.close(),
    };
  };
}

/** The server bytes of the `segment`-th connection of a recording, at their recorded offsets. */
export function replayImapBytes(
  lines: readonly RecordLine[],
  options: { readonly scheduler?: SchedulerLike; readonly segment?: number; /** Multiplies recorded offsets (spreads close frames apart for marbles). Default 1. */ readonly timeScale?: number } = {},
): Observable<Buffer> {
  return new Observable<Buffer>((sub) => {
    const scheduler = options.scheduler ?? asyncScheduler;
    const seg = recordingSegments(lines)[options.segment ?? 0];
    if (!seg) {
      sub.error(new Error(`replay: the recording has no connection ${(options.segment ?? 0) + 1}`));
      return;
    }
    const base = seg[0].t;
    const scale = options.timeScale ?? 1;
    const actions = seg
      .filter((l) => l.dir === 'in' || l.dir === 'close')
      .map((l) => scheduler.schedule(() => (l.dir === 'in' ? sub.next(lineBytes(l)) : sub.complete()), (l.t - base) * scale));
    const last = seg[seg.length - 1];
    if (last.dir !== 'close') actions.push(scheduler.schedule(() => sub.complete(), (last.t - base) * scale));
    return () => actions.forEach((a) => a.unsubscribe());
  });
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** A TransportFactory serving the recorded server side, paced by the client's writes. */
export function replayImapTransport(lines: readonly RecordLine[]): TransportFactory & { readonly sent: Buffer[] } {
  const all = recordingSegments(lines);
  const sent: Buffer[] = [];
  let next = 0;
  const factory = async (_options: Parameters<TransportFactory>[0], handlers: Parameters<TransportFactory>[1]): Promise<ImapTransport> => {
    const seg = all[next++];
    if (!seg) throw new Error(`replay: the recording has ${all.length} connection(s)`);
    // each in-chunk waits until the client has written the lines written before it
    const plan: Array<{ needs: number; line: RecordLine }> = [];
    let written = 0;
    for (const l of seg) {
      if (l.dir === 'out') written += countLines(lineBytes(l));
      else if (l.dir === 'in' || l.dir === 'close') plan.push({ needs: written, line: l });
    }
    let clientLines = 0;
    let closed = false;
    let secure = false;
    const pump = (): void => {
      while (!closed && plan.length && plan[0].needs <= clientLines) {
        const { line } = plan.shift() as { line: RecordLine };
        if (line.dir === 'in') handlers.data(lineBytes(line));
        else {
          closed = true;
          handlers.closed(line.data === 'closed' ? undefined : new Error(line.data));
        }
      }
    };
    setImmediate(pump);
    return {
      get secure() {
        return secure;
      },
      write: async (chunk) => {
        sent.push(chunk);
        clientLines += countLines(chunk);
        setImmediate(pump);
      },
      // the recording holds the bytes inside TLS: the upgrade is only a state change
      startTls: async () => {
        secure = true;
      },
      compress: () => undefined,
      close: () => {
        if (closed) return;
        closed = true;
        setImmediate(() => handlers.closed());
      },
    };
  };
  return Object.assign(factory, { sent });
}
