/**
 * Record and replay at the Mail.tm wire seam (`MailtmTransport`, the
 * `transport` option of `mailtm()` / `MailtmClient`): HTTP requests with
 * their answers and Mercure SSE subscriptions with their messages, as the
 * lines format.ts documents (`channel: 'http' | 'sse'`).
 *
 * `recordMailtmTransport(sink)` wraps a transport (default
 * `fetchMailtmTransport()`): everything passes through unchanged while each
 * exchange is written with its time. Secrets are learnt as they cross (the
 * `password` of request bodies, the bearer token of Authorization headers,
 * the `token` of answers) and redacted from every line.
 *
 * `replayMailtmTransport(lines)` answers a client from a recording, on the
 * given scheduler (virtual time under a TestScheduler; default
 * asyncScheduler, which TestScheduler.run() also makes virtual): a request
 * gets the next recorded answer to the same method and path+query (taken
 * when it is delivered, so an aborted request takes nothing), after the
 * recorded latency; once those run out the last one is repeated (a mailbox
 * that no longer changes). Each hub subscription plays the next recorded SSE
 * subscription, messages at their recorded offsets. Requests are kept in
 * `requests`, not checked.
 */
import { NEVER, Observable, asyncScheduler, of, switchMap, type SchedulerLike } from 'rxjs';
import { CommandFailedError, ProtocolViolationError, TimeoutError, TransportClosedError, createRedactor, type Redactor } from '../../core';
import { MailtmHubClosedError, fetchMailtmTransport, type MailtmHttpRequest, type MailtmHttpResponse, type MailtmSseItem, type MailtmSseRequest, type MailtmTransport } from '../../mailtm/transport';
import type { RecordLine } from './format';
import { recordingClock } from './clock';
import type { RecordSink } from './sink';

const MASK = '***';

/** Options of `recordMailtmTransport`. */
export interface MailtmRecordOptions {
  /** The transport to record (default `fetchMailtmTransport()`; pass `fetchMailtmTransport(yourFetch)` to record over a custom fetch). */
  readonly transport?: MailtmTransport;
  /** Further secrets to remove from every line (e.g. the CLI's password). */
  readonly redactor?: Redactor;
  /** The clock of `t` (default asyncScheduler). */
  readonly scheduler?: SchedulerLike;
}

/** The path and query of a URL (what recordings keep, so a replay works against any base URL). */
function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** Secrets seen so far, and a redactor over them. */
function secretBook(extra: Redactor | undefined) {
  const secrets = new Set<string>();
  let redactor: Redactor = createRedactor([]);
  return {
    learn(secret: unknown): void {
      if (typeof secret !== 'string' || secret === '' || secret === MASK || secrets.has(secret)) return;
      secrets.add(secret);
      redactor = createRedactor(secrets);
    },
    clean(text: string): string {
      const out = redactor.text(text);
      return extra ? extra.text(out) : out;
    },
  };
}

/** `{...json, [field]: '***'}` for the named fields of a JSON object text (learning their values), or the text as is. */
function maskFields(text: string | undefined, fields: readonly string[], learn: (s: unknown) => void): string {
  if (text === undefined || text === '') return '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return text;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  let changed = false;
  for (const f of fields)
    if (typeof copy[f] === 'string') {
      learn(copy[f]);
      copy[f] = MASK;
      changed = true;
    }
  return changed ? JSON.stringify(copy) : text;
}

function maskHeaders(headers: Readonly<Record<string, string>>, learn: (s: unknown) => void): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === 'authorization') {
      learn(v.replace(/^Bearer\s+/i, ''));
      out[k] = v.replace(/^(Bearer\s+).*$/i, `$1${MASK}`);
    } else out[k] = v;
  }
  return out;
}

/** A MailtmTransport that records what crosses `options.transport` to `sink` (secrets redacted). */
export function recordMailtmTransport(sink: RecordSink, options: MailtmRecordOptions = {}): MailtmTransport {
  const inner = options.transport ?? fetchMailtmTransport();
  const clock = recordingClock(options.scheduler);
  const book = secretBook(options.redactor);
  let exchanges = 0;

  const request = (req: MailtmHttpRequest): Observable<MailtmHttpResponse> =>
    new Observable<MailtmHttpResponse>((subscriber) => {
      const connection = ++exchanges;
      const headers = maskHeaders(req.headers, book.learn);
      const body = maskFields(req.body, ['password'], book.learn);
      sink.write({ t: clock(), dir: 'out', kind: 'text', channel: 'http', connection, method: req.method, url: book.clean(pathOf(req.url)), headers, data: book.clean(body) });
      let answered = false;
      const sub = inner.request(req).subscribe({
        next: (res) => {
          answered = true;
          const text = maskFields(res.text, ['token'], book.learn);
          sink.write({
            t: clock(),
            dir: 'in',
            kind: 'text',
            channel: 'http',
            connection,
            status: res.status,
            ...(res.retryAfter !== null ? { retryAfter: res.retryAfter } : {}),
            data: book.clean(text),
          });
          subscriber.next(res);
        },
        error: (e: unknown) => {
          answered = true;
          const name = e instanceof Error ? e.name : 'Error';
          sink.write({ t: clock(), dir: 'close', channel: 'http', connection, error: name, data: book.clean(e instanceof Error ? e.message : String(e)) });
          subscriber.error(e);
        },
        complete: () => subscriber.complete(),
      });
      return () => {
        sub.unsubscribe();
        if (!answered) sink.write({ t: clock(), dir: 'close', channel: 'http', connection, initiatedByClient: true, data: 'aborted' });
      };
    });

  const events = (req: MailtmSseRequest): Observable<MailtmSseItem> =>
    new Observable<MailtmSseItem>((subscriber) => {
      const connection = ++exchanges;
      book.learn(req.token);
      sink.write({ t: clock(), dir: 'open', channel: 'sse', connection, headers: { authorization: `Bearer ${MASK}` }, data: book.clean(pathOf(req.url)) });
      let ended = false;
      const sub = inner.events(req).subscribe({
        next: (item) => {
          if (item.kind === 'open') sink.write({ t: clock(), dir: 'in', kind: 'text', channel: 'sse', connection, status: 200, data: '' });
          else sink.write({ t: clock(), dir: 'in', kind: 'text', channel: 'sse', connection, data: book.clean(item.data) });
          subscriber.next(item);
        },
        error: (e: unknown) => {
          ended = true;
          const status = e instanceof MailtmHubClosedError ? e.status : undefined;
          sink.write({ t: clock(), dir: 'close', channel: 'sse', connection, data: book.clean(e instanceof Error ? e.message : String(e)), ...(status !== undefined ? { code: status } : {}) });
          subscriber.error(e);
        },
        complete: () => {
          ended = true;
          sink.write({ t: clock(), dir: 'close', channel: 'sse', connection, data: 'ended' });
          subscriber.complete();
        },
      });
      return () => {
        sub.unsubscribe();
        if (!ended) sink.write({ t: clock(), dir: 'close', channel: 'sse', connection, initiatedByClient: true, data: 'closed' });
      };
    });

  return { request, events };
}

/** Options of `replayMailtmTransport`. */
export interface MailtmReplayOptions {
  /** The clock answers are delivered on (default asyncScheduler; pass the TestScheduler, or build inside `run()`). */
  readonly scheduler?: SchedulerLike;
}

/** A replaying transport, with the requests it was sent. */
export interface MailtmReplay extends MailtmTransport {
  /** Every request the client sent to the replay, in order. */
  readonly requests: MailtmHttpRequest[];
}

interface Exchange {
  readonly out: RecordLine;
  answer?: RecordLine;
}

interface SseSegment {
  readonly open: RecordLine;
  readonly lines: RecordLine[];
}

/** A MailtmTransport that answers from a recording (see the module comment). */
export function replayMailtmTransport(lines: readonly RecordLine[], options: MailtmReplayOptions = {}): MailtmReplay {
  const scheduler = options.scheduler ?? asyncScheduler;
  const queues = new Map<string, Exchange[]>();
  const last = new Map<string, Exchange>();
  const byConnection = new Map<number, Exchange>();
  const segments: SseSegment[] = [];
  const sseByConnection = new Map<number, SseSegment>();
  for (const l of lines) {
    if (l.channel === 'http') {
      if (l.dir === 'out') {
        const ex: Exchange = { out: l };
        byConnection.set(l.connection ?? -1, ex);
      } else {
        const ex = byConnection.get(l.connection ?? -1);
        if (ex && !ex.answer) ex.answer = l;
      }
    } else if (l.channel === 'sse') {
      if (l.dir === 'open') {
        const seg: SseSegment = { open: l, lines: [] };
        segments.push(seg);
        sseByConnection.set(l.connection ?? -1, seg);
      } else sseByConnection.get(l.connection ?? -1)?.lines.push(l);
    }
  }
  // answered exchanges only (an aborted or unfinished request has nothing to replay), in request order
  for (const ex of byConnection.values()) {
    if (!ex.answer || ex.answer.initiatedByClient) continue;
    const key = `${ex.out.method ?? 'GET'} ${ex.out.url ?? ''}`;
    const q = queues.get(key) ?? [];
    q.push(ex);
    queues.set(key, q);
  }
  const requests: MailtmHttpRequest[] = [];
  let nextSegment = 0;

  const answerOf = (req: MailtmHttpRequest, answer: RecordLine): { response?: MailtmHttpResponse; error?: Error } => {
    if (answer.dir === 'in') return { response: { status: answer.status ?? 200, text: answer.data, retryAfter: answer.retryAfter ?? null } };
    if (answer.error === 'TimeoutError') return { error: new TimeoutError(`the answer to ${req.command}`, req.timeout) };
    if (answer.error === 'ProtocolViolationError') return { error: new ProtocolViolationError(answer.data) };
    // a redirect that was not followed (the recorded message says where it pointed)
    if (answer.error === 'CommandFailedError') return { error: new CommandFailedError(req.command, 'redirect', answer.data) };
    return { error: new TransportClosedError(answer.data) };
  };

  const request = (req: MailtmHttpRequest): Observable<MailtmHttpResponse> =>
    new Observable<MailtmHttpResponse>((subscriber) => {
      requests.push(req);
      const key = `${req.method} ${pathOf(req.url)}`;
      const queue = queues.get(key) ?? [];
      const peek = queue[0] ?? last.get(key);
      if (!peek?.answer) {
        subscriber.error(new TransportClosedError(`${req.command}: the recording has no answer to ${key}`));
        return;
      }
      const latency = Math.max(0, peek.answer.t - peek.out.t);
      const action = scheduler.schedule(() => {
        // taken on delivery: whichever answer is next now (an earlier request of the same key may have taken `peek`)
        const ex = queue.shift() ?? last.get(key) ?? peek;
        last.set(key, ex);
        const a = answerOf(req, ex.answer as RecordLine);
        if (a.response) {
          subscriber.next(a.response);
          subscriber.complete();
        } else subscriber.error(a.error);
      }, latency);
      return () => action.unsubscribe();
    });

  const events = (req: MailtmSseRequest): Observable<MailtmSseItem> => {
    const seg = segments[nextSegment++];
    if (!seg) return NEVER;
    const play = new Observable<MailtmSseItem>((subscriber) => {
      const base = seg.open.t;
      const actions = seg.lines
        .filter((l) => !(l.dir === 'close' && l.initiatedByClient))
        .map((l) =>
          scheduler.schedule(() => {
            if (l.dir === 'close') subscriber.error(new MailtmHubClosedError(l.code, `${req.label}: ${l.code !== undefined ? `HTTP ${l.code}` : 'connection lost'}`));
            else if (l.status !== undefined) subscriber.next({ kind: 'open' });
            else subscriber.next({ kind: 'message', data: l.data });
          }, Math.max(0, l.t - base)),
        );
      return () => actions.forEach((a) => a.unsubscribe());
    });
    // a hub (re)connect counts against the client's rate, as it did live
    return req.limiter ? req.limiter.run(of(0)).pipe(switchMap(() => play)) : play;
  };

  return { request, events, requests };
}
