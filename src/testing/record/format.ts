/**
 * The recording line format (NDJSON: one JSON object per line, UTF-8, LF).
 *
 *   {"t":0,"dir":"open","data":"wss://gateway.example/?v=10"}
 *   {"t":12,"dir":"in","kind":"text","data":"{\"op\":10,\"d\":{\"heartbeat_interval\":41250}}"}
 *   {"t":13,"dir":"out","kind":"text","data":"{\"op\":2,\"d\":{\"token\":\"***\"}}"}
 *   {"t":40,"dir":"in","kind":"binary","data":"eJyrVspMUb..."}
 *   {"t":950,"dir":"close","data":"going away","code":1001}
 *
 * - `t`: milliseconds since the recording started (the first `open` of the file).
 * - `dir`: `open` (a connection opened; `data` is its URL, without secrets),
 *   `in` (received), `out` (sent), `close` (it closed; `data` is the reason,
 *   `code` the WebSocket close code when there is one, `initiatedByClient`;
 *   an `open` may carry `connection`, the transport's connection id).
 * - `kind`: `text` (data is the text as is) or `binary` (data is base64); absent
 *   on open/close. IMAP byte streams use `text` when a chunk is valid UTF-8.
 * - Secrets are replaced by `***` before a line is written (so an `out` frame
 *   that carried a password or token is no longer byte-exact: replays feed
 *   only `in` frames to the decoder and keep `out` frames for inspection).
 * A file may hold several open … close segments (reconnects).
 *
 * Mail.tm (HTTP and Mercure SSE, src/testing/record/mailtm.ts) uses the same
 * lines with `channel` set and `connection` numbering each exchange:
 *
 *   {"t":0,"dir":"out","kind":"text","channel":"http","connection":1,"method":"POST","url":"/token","headers":{"content-type":"application/json"},"data":"{\"address\":\"a@b.c\",\"password\":\"***\"}"}
 *   {"t":9,"dir":"in","kind":"text","channel":"http","connection":1,"status":200,"data":"{\"token\":\"***\",\"id\":\"...\"}"}
 *   {"t":30,"dir":"out","kind":"text","channel":"http","connection":2,"method":"GET","url":"/messages?page=1","headers":{"authorization":"Bearer ***"},"data":""}
 *   {"t":31,"dir":"close","channel":"http","connection":2,"error":"TimeoutError","data":"..."}
 *   {"t":40,"dir":"open","channel":"sse","connection":3,"data":"/.well-known/mercure?topic=%2Faccounts%2F...","headers":{"authorization":"Bearer ***"}}
 *   {"t":41,"dir":"in","kind":"text","channel":"sse","connection":3,"data":"{\"@type\":\"Message\",...}"}
 *   {"t":90,"dir":"close","channel":"sse","connection":3,"data":"HTTP 503","code":503}
 *
 * - HTTP: `out` is a request (`url` is the path and query below the base
 *   URL, `data` the body), `in` its answer (`status`, `retryAfter` when
 *   sent, `data` the body), `close` a request that got no answer (`error` is
 *   the error class: TimeoutError, TransportClosedError, ...; `data` its message).
 * - SSE: `open` a hub subscription (`data` its path and query), `in` one
 *   message's data, `close` its end (`code`: the HTTP status of a refusal;
 *   `initiatedByClient` when the client unsubscribed).
 * - Redacted: the Authorization bearer token, `password` in request bodies,
 *   `token` in answers, and every other occurrence of those secrets.
 */
import * as t from 'io-ts';

/** One line of a recording. */
export const RecordLine = t.intersection([
  t.type({
    t: t.number,
    dir: t.keyof({ open: null, in: null, out: null, close: null }),
    data: t.string,
  }),
  t.partial({
    kind: t.keyof({ text: null, binary: null }),
    code: t.number,
    initiatedByClient: t.boolean,
    /** On `open`: the transport's connection id (WsConnection.id), replayed as is; on HTTP/SSE lines: the exchange's number. */
    connection: t.number,
    /** Mail.tm lines: `http` (a request and its answer) or `sse` (a Mercure hub subscription). */
    channel: t.keyof({ http: null, sse: null }),
    /** HTTP `out`: the method. */
    method: t.string,
    /** HTTP `out`: the path and query below the base URL. */
    url: t.string,
    /** HTTP `out` / SSE `open`: request headers, secrets redacted. */
    headers: t.record(t.string, t.string),
    /** HTTP `in`: the status. */
    status: t.number,
    /** HTTP `in`: the Retry-After header. */
    retryAfter: t.string,
    /** HTTP `close`: the error class of a request that got no answer. */
    error: t.string,
  }),
]);
/** One line of a recording. */
export type RecordLine = t.TypeOf<typeof RecordLine>;

/** A line of a recording file that is not a RecordLine. */
export class RecordingFormatError extends Error {
  constructor(
    /** The offending line's number, counted from 1. */
    readonly line: number,
    problem: string,
  ) {
    super(`recording line ${line}: ${problem} (see the format in rxwire/testing record/format.ts)`);
    this.name = 'RecordingFormatError';
  }
}

/** Serialises lines as NDJSON text. */
export function formatRecording(lines: readonly RecordLine[]): string {
  return lines.map((l) => JSON.stringify(l) + '\n').join('');
}

/** Parses NDJSON recording text (blank lines ignored); throws RecordingFormatError on a bad line. */
export function parseRecording(text: string): RecordLine[] {
  const out: RecordLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new RecordingFormatError(i + 1, 'not JSON');
    }
    const r = RecordLine.decode(v);
    if (r._tag !== 'Right') throw new RecordingFormatError(i + 1, 'not a {t, dir, data, kind?} object');
    out.push(r.right);
  });
  return out;
}

/** The bytes of an in/out line. */
export function lineBytes(l: RecordLine): Buffer {
  return l.kind === 'binary' ? Buffer.from(l.data, 'base64') : Buffer.from(l.data, 'utf8');
}
