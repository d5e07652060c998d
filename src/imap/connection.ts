/**
 * One IMAP connection: tags, pipelining, continuations, literals, timeouts,
 * and dispatch of every response. Commands are described by `CommandSpec`
 * and run by `command(spec)`, a cold Observable: subscribing queues the
 * command, the accepted untagged responses and finally the tagged one are
 * emitted, NO/BAD error it with CommandFailedError.
 *
 * - Pipelining: commands are written as soon as they are queued; a command
 *   marked `barrier` (STARTTLS, AUTHENTICATE, LOGIN, COMPRESS, IDLE, LOGOUT)
 *   holds back later commands until it completes. Every untagged response goes
 *   to `untagged$`, and to the oldest in-flight command that accepts it (a FETCH
 *   or STORE accepts only the messages it named, see commands/match.ts); the
 *   mailbox-state ones no command claimed (EXISTS, RECENT, EXPUNGE, FETCH,
 *   VANISHED, FLAGS, OK/NO/BAD/BYE conditions) go to `unsolicited$`.
 * - STARTTLS: the bytes after the tagged OK and before the handshake are
 *   discarded (a fresh tokenizer), the capabilities are read again over TLS.
 * - A streamed fetch never blocks other commands: its literal bytes are handed
 *   to the command as they arrive, and responses to other commands are matched
 *   by tag as usual.
 * - Reads: the default transport reads into the connection's ReadPool
 *   (read-pool.ts): a shared scratch buffer while idle, blocks of its own
 *   while data flows; a read is copied out when small, handed to the tokenizer
 *   as a view when big, and lent when it holds the body of a streamed literal
 *   whose consumer gives its chunks back (`LiteralStream.releases`, a paced
 *   fetchStream with `reuseChunks`): `releaseChunk` makes the memory readable
 *   into again, so the body needs no fresh memory per read.
 * - After the connection drops every in-flight and queued command errors with
 *   TransportClosedError, and any later command errors at once.
 * - Per-command timeout: when no byte arrives for `commandTimeout` ms while a
 *   command waits, it errors with TimeoutError and the connection is closed
 *   (its state can no longer be trusted).
 */
import { asyncScheduler, Observable, ReplaySubject, Subject, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { CommandFailedError, NO_SECRETS, ProtocolViolationError, sourceLogger, TimeoutError, TransportClosedError, type Logger, type Redactor } from '../core';
import type { ConditionResponse, Response, TaggedResponse, UntaggedResponse } from './codecs/response';
import { ImapArgumentError } from './errors';
import { parseResponse } from './parser/response';
import { BUSY_READ, MIN_READ, ReadPool } from './read-pool';
import type { Part } from './quote';
import { Tokenizer, type Frame, type TokenizerLimits } from './tokenizer';
import { nodeTransport, type ImapTransport, type TransportFactory, type TransportOptions } from './transport';

/** Options of a connection: transport, timeouts, tokenizer limits, logger. */
export interface ConnectionOptions extends TransportOptions {
  /** ms without any byte from the server while a command waits; 0 disables. Default 60000. */
  readonly commandTimeout?: number;
  /** The scheduler of every timeout (tests pass a TestScheduler). Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /** Tokenizer limits (line, literal and frame sizes, when a literal is streamed). */
  readonly limits?: TokenizerLimits;
  /** Replaces node:net/node:tls (tests, proxies). */
  readonly transport?: TransportFactory;
  /** A pino-compatible logger: lines in/out at debug (LOGIN/AUTHENTICATE arguments as `***`). Off by default. */
  readonly logger?: Logger;
  /** Removes the secrets (password, token) from log lines and errors. */
  readonly redactor?: Redactor;
}

/**
 * Where the connection is in RFC 9051 §3's state machine, readable at any time
 * on `client.state`. `mailbox`/`readOnly`/`exists` are set while `selected`.
 */
export interface ImapSessionState {
  /** The RFC 9051 §3 state; `'not connected'` before the greeting and after the connection is gone. */
  readonly status: 'not connected' | 'not authenticated' | 'authenticated' | 'selected' | 'logout';
  /** The selected mailbox, as given to select()/examine(). */
  readonly mailbox: string | null;
  /** True after EXAMINE or a [READ-ONLY] answer. */
  readonly readOnly: boolean | null;
  /** Messages in the selected mailbox as the server last said (EXISTS, EXPUNGE, VANISHED). */
  readonly exists: number | null;
}

/** Receives a big literal in chunks instead of buffering it (fetchStream). */
export interface LiteralStream {
  /** Called for each big literal with the response text before it; true claims it. */
  match(prefix: string, size: number): boolean;
  /** The next bytes of the claimed literal. */
  chunk(data: Buffer): void;
  /** The claimed literal is complete. */
  end(): void;
  /**
   * The consumer gives every chunk back with `connection.releaseChunk(data)` once done with it
   * (a paced fetchStream with `reuseChunks`): the socket reads its next bytes into that memory again.
   */
  readonly releases?: boolean;
}

/** What `command(spec)` sends and how it treats the answers. */
export interface CommandSpec {
  /** Command name, used in errors (never the arguments: they may hold secrets). */
  readonly name: string;
  /** After the tag and a space. */
  readonly parts: readonly Part[];
  /** Which untagged responses belong to this command (`tag` is its own, for ESEARCH's TAG). */
  readonly accepts?: (r: UntaggedResponse, tag: string) => boolean;
  /** Hold back every later command until this one completes (STARTTLS, AUTHENTICATE, LOGIN, COMPRESS, IDLE, LOGOUT). Default false: pipelined. */
  readonly barrier?: boolean;
  /** Answers a `+` continuation (AUTHENTICATE, IDLE); return bytes to send followed by CRLF, or null to send nothing. */
  readonly onContinuation?: (text: string) => Buffer | null;
  /** Runs after the tagged OK, before later commands (STARTTLS upgrade, COMPRESS). */
  readonly onOk?: (r: TaggedResponse) => Promise<void> | void;
  /** Claims big literals of this command's responses as they arrive instead of buffering them (fetchStream). */
  readonly stream?: LiteralStream;
  /** Overrides commandTimeout for this command (0: none, e.g. IDLE). */
  readonly timeout?: number;
  /** Maps a NO/BAD to an error (default CommandFailedError). */
  readonly failure?: (r: TaggedResponse) => Error;
  /** Called once the command's line has been written (IDLE uses it to know DONE may follow). */
  readonly onSent?: () => void;
  /** Called with the tagged answer (OK, NO or BAD) before the command completes, even when nobody listens any more. */
  readonly onTagged?: (r: TaggedResponse) => void;
  /** The arguments carry a secret: logged as `<tag> <name> ***`, continuation answers too. */
  readonly sensitive?: boolean;
  /** STARTTLS: everything received after the tagged OK and before the handshake is discarded. */
  readonly upgradesTls?: boolean;
}

interface Pending {
  readonly tag: string;
  readonly spec: CommandSpec;
  sub: Subscriber<Response> | undefined;
  done: boolean;
  sent: boolean;
  sentAt: number;
  timer?: Subscription;
  finished: Promise<void>;
  finish: () => void;
}

const UNSOLICITED = new Set(['exists', 'recent', 'expunge', 'fetch', 'vanished', 'flags', 'condition']);

/** One IMAP connection: tags, pipelining, literals, timeouts and the dispatch of responses (see the file comment). */
export class ImapConnection {
  private transport: ImapTransport | undefined;
  private tokenizer: Tokenizer;
  /** Bumped at STARTTLS: frames of an older tokenizer (bytes that arrived in cleartext) are dropped. */
  private generation = 0;
  private readonly log: Logger;
  private readonly logging: boolean;
  readonly #options: ConnectionOptions;
  private sessionState: ImapSessionState = { status: 'not connected', mailbox: null, readOnly: null, exists: null };
  private readonly scheduler: SchedulerLike;
  private readonly inFlight = new Map<string, Pending>();
  /** In-flight commands in the order they were queued (for untagged dispatch). */
  private order: Pending[] = [];
  private queue: Pending[] = [];
  private pumping = false;
  private tagCounter = 0;
  private closedError: Error | undefined;
  private greeting: ((r: ConditionResponse) => void) | undefined;
  private literalWaiter: { tag: string; resolve: (go: boolean) => void } | undefined;
  private streaming: Pending | undefined;
  /** Where socket reads land (see read-pool.ts). */
  private readonly pool = new ReadPool();
  /** Bytes of the streamed literal still to come, when its consumer gives chunks back (else 0). */
  private lendLeft = 0;
  /** Bytes of the last read that landed in the pool: a big one means data is flowing. */
  private lastRead = 0;
  private lastActivity = 0;
  private bye: ConditionResponse | undefined;
  private exists: number | undefined;
  private retired: string | undefined;
  /** Who asked to stop reading (a paced fetchStream whose consumer is behind). */
  private readonly pausers = new Set<object>();
  /** Timeout checks that came due while paused: re-armed (with a full timeout) on resume. */
  private suspendedChecks: (() => void)[] = [];
  private readonly untaggedSubject = new Subject<UntaggedResponse>();
  private readonly unsolicitedSubject = new Subject<UntaggedResponse>();
  private readonly closedSubject = new ReplaySubject<Error>(1);
  private readonly caps = new Set<string>();
  private capsKnown = false;

  /** Every untagged response, as it arrives. Completes when the connection closes. */
  readonly untagged$ = this.untaggedSubject.asObservable();
  /**
   * EXISTS, RECENT, EXPUNGE, FETCH, VANISHED, FLAGS and OK/NO/BAD/BYE conditions ([ALERT], [READ-WRITE] ...)
   * that no command claimed: another session's flag change arriving during your fetch, an EXISTS during a
   * STORE, a FETCH a server sends for a `.SILENT` store anyway (RFC 9051 §7.5.2: FETCH data may arrive at any time).
   */
  readonly unsolicited$ = this.unsolicitedSubject.asObservable();
  /** Emits once, with the reason, when the connection is gone. */
  readonly closed$ = this.closedSubject.asObservable();

  /** A connection (not yet open: subscribe `connect()`). Credentials are not kept in `options`. */
  constructor(options: ConnectionOptions) {
    this.#options = withoutCredentials(options);
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.log = sourceLogger('imap', options.logger, options.redactor ?? NO_SECRETS);
    this.logging = options.logger !== undefined;
    this.tokenizer = this.newTokenizer();
  }

  /** The options this connection was made with, without any credentials (`auth`, passwords, tokens are never kept here). */
  get options(): ConnectionOptions {
    return this.#options;
  }

  /** What JSON.stringify shows: where it connects and its state, never a credential. */
  toJSON(): { host: string; port: number; state: ImapSessionState } {
    return { host: this.#options.host, port: this.#options.port, state: this.sessionState };
  }

  /** What util.inspect / console.log show (the same as toJSON). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this.constructor.name} ${JSON.stringify(this.toJSON())}`;
  }

  /** Where the connection is: not authenticated / authenticated / selected (which mailbox, read-only), logout. */
  get state(): ImapSessionState {
    return this.sessionState;
  }

  /** For command implementations: records a state change (login, select, close ...). */
  setState(change: Partial<ImapSessionState>): void {
    const next = { ...this.sessionState, ...change };
    if (next.status !== 'selected') this.sessionState = { status: next.status, mailbox: null, readOnly: null, exists: null };
    else this.sessionState = next;
  }

  private newTokenizer(): Tokenizer {
    const gen = this.generation;
    const live = () => gen === this.generation;
    return new Tokenizer(
      {
        frame: (f) => {
          if (live()) this.onFrame(f);
        },
        streamLiteral: (prefix, size) => live() && this.claimLiteral(prefix, size),
        literalChunk: (c) => {
          if (!live()) return;
          if (this.lendLeft > 0) this.lendLeft -= c.length;
          this.streaming?.spec.stream?.chunk(c);
        },
        literalEnd: () => {
          if (!live()) return;
          const s = this.streaming;
          this.streaming = undefined;
          this.lendLeft = 0;
          s?.spec.stream?.end();
        },
      },
      this.#options.limits,
    );
  }

  /** True once the connection is gone (closed, dropped, logged out). */
  get closed(): boolean {
    return this.closedError !== undefined;
  }
  /** True over TLS (implicit or after STARTTLS). */
  get secure(): boolean {
    return this.transport?.secure ?? false;
  }
  /** The cached capabilities (upper-cased); empty until known. */
  get capabilities(): ReadonlySet<string> {
    return this.caps;
  }
  /** True once the server told its capabilities (greeting, CAPABILITY, a login OK). */
  get capabilitiesKnown(): boolean {
    return this.capsKnown;
  }
  /** Whether the cached capabilities contain `name` (case-insensitive). */
  hasCapability(name: string): boolean {
    return this.caps.has(name.toUpperCase());
  }
  /** Forgets the cached capabilities (after STARTTLS, login, AUTHENTICATE). */
  invalidateCapabilities(): void {
    this.caps.clear();
    this.capsKnown = false;
  }

  /** Cold: opens the socket on subscribe, emits the greeting and completes; the connection stays open. */
  connect(): Observable<ConditionResponse> {
    return new Observable<ConditionResponse>((sub) => {
      if (this.transport || this.closedError) {
        sub.error(new TransportClosedError('this ImapClient was already connected; create a new one to reconnect'));
        return;
      }
      let active = true;
      this.greeting = (g) => {
        this.greeting = undefined;
        if (g.status === 'BYE') {
          sub.error(new TransportClosedError(`server refused the connection: ${g.text}`));
          this.fail(new TransportClosedError(`server said BYE: ${g.text}`));
          return;
        }
        this.setState({ status: g.status === 'PREAUTH' ? 'authenticated' : 'not authenticated' });
        sub.next(g);
        sub.complete();
      };
      const factory = this.#options.transport ?? nodeTransport;
      factory(this.options, {
        data: (chunk) => this.onData(chunk),
        readBuffer: () => this.pool.next(this.streaming !== undefined || this.lastRead >= BUSY_READ),
        closed: (error) => this.fail(new TransportClosedError(this.bye ? `server said BYE: ${this.bye.text}` : error ? error.message : 'the server closed the connection', { cause: error })),
      }).then(
        (t) => {
          if (this.closedError || !active) {
            // closed or unsubscribed while the socket was opening
            t.close();
            return;
          }
          this.transport = t;
          this.lastActivity = this.scheduler.now();
          this.pump(); // commands queued before the socket was up
        },
        (e: Error) => {
          const err = new TransportClosedError(`could not connect to ${this.#options.host}:${this.#options.port}: ${e.message}`, { cause: e });
          this.fail(err);
          sub.error(err);
        },
      );
      const closedSub = this.closedSubject.subscribe((e) => sub.error(e));
      return () => {
        active = false;
        closedSub.unsubscribe();
        if (this.greeting) {
          this.greeting = undefined;
          this.close();
        }
      };
    });
  }

  /** Closes the socket at once; pending commands error with TransportClosedError. */
  close(): void {
    this.fail(new TransportClosedError('closed by the client'));
  }

  /**
   * Refuses every later command with a TransportClosedError saying `reason` (the owner is done with
   * this client, e.g. its imapSession subscription ended and it is logging out). Commands already
   * queued (the LOGOUT) still run.
   */
  retire(reason: string): void {
    this.retired ??= reason;
  }

  /** Runs a command: cold, see the file comment. */
  command(spec: CommandSpec): Observable<Response> {
    return new Observable<Response>((sub) => {
      if (this.retired !== undefined) {
        sub.error(new TransportClosedError(this.retired));
        return;
      }
      if (this.closedError) {
        sub.error(this.closedError instanceof TransportClosedError ? this.closedError : new TransportClosedError(this.closedError.message, { cause: this.closedError }));
        return;
      }
      for (const part of spec.parts) {
        // the last line of defence: no raw text with a line break ever reaches the wire
        if (typeof part === 'string' && /[\r\n\0]/.test(part)) {
          sub.error(new ImapArgumentError(`${spec.name} text contains CR, LF or NUL`));
          return;
        }
      }
      let finish!: () => void;
      const finished = new Promise<void>((r) => (finish = r));
      const p: Pending = { tag: `A${++this.tagCounter}`, spec, sub, done: false, sent: false, sentAt: 0, finished, finish };
      this.queue.push(p);
      this.pump();
      return () => {
        p.sub = undefined;
        // still queued (not being written): drop it; once the pump took it, it runs to its tagged answer
        if (!p.sent && !p.done && this.queue.includes(p)) {
          p.done = true;
          this.queue = this.queue.filter((q) => q !== p);
          p.finish();
        }
      };
    });
  }

  /**
   * Stops reading from the socket until every `owner` that paused resumes
   * (a slow consumer of fetchStream). While paused no command times out.
   */
  pauseReading(owner: object): void {
    if (this.pausers.has(owner)) return;
    this.pausers.add(owner);
    if (this.pausers.size === 1) this.transport?.pause?.();
  }

  /** Undoes pauseReading(owner). */
  resumeReading(owner: object): void {
    if (!this.pausers.delete(owner) || this.pausers.size > 0) return;
    this.lastActivity = this.scheduler.now();
    this.transport?.resume?.();
    const checks = this.suspendedChecks;
    this.suspendedChecks = [];
    for (const check of checks) check();
  }

  /**
   * Gives back the memory of a chunk a `releases` stream received (a paced fetchStream's ack with
   * `reuseChunks`): later socket reads land in it again. Any other Buffer is ignored.
   */
  releaseChunk(data: Buffer): void {
    this.pool.release(data);
  }

  /** A chunk of a `releases` stream that will not be given back (the stream ended first): its memory is left to the GC. */
  forgetChunk(data: Buffer): void {
    this.pool.forget(data);
  }

  /** True while reading is paused. */
  get readingPaused(): boolean {
    return this.pausers.size > 0;
  }

  /** Writes raw bytes (IDLE's DONE). */
  writeRaw(text: string): Promise<void> {
    if (!this.transport || this.closedError) return Promise.reject(this.closedError ?? new TransportClosedError('not connected'));
    return this.transport.write(Buffer.from(text, 'utf8'));
  }

  /** Switches the transport (STARTTLS/COMPRESS) — for command implementations. */
  get rawTransport(): ImapTransport | undefined {
    return this.transport;
  }

  private pump(): void {
    if (this.pumping || !this.transport) return;
    this.pumping = true;
    void (async () => {
      try {
        while (this.queue.length && !this.closedError) {
          const p = this.queue.shift()!;
          if (p.done) continue;
          this.inFlight.set(p.tag, p);
          this.order.push(p);
          this.armTimer(p);
          await this.send(p);
          p.sent = true;
          p.spec.onSent?.();
          if (p.spec.barrier) await p.finished;
        }
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
      } finally {
        this.pumping = false;
      }
      if (this.queue.length && !this.closedError) this.pump();
    })();
  }

  private async send(p: Pending): Promise<void> {
    const t = this.transport!;
    if (this.logging) this.log.debug({ direction: 'out', tag: p.tag, command: p.spec.name }, p.spec.sensitive ? `${p.tag} ${p.spec.name} ***` : `${p.tag} ${describeParts(p.spec.parts)}`);
    let text = `${p.tag} `;
    for (const part of p.spec.parts) {
      if (typeof part === 'string') {
        text += part;
        continue;
      }
      const lit = part.literal;
      const size = Buffer.isBuffer(lit) ? lit.length : lit.size;
      const nonSync = this.caps.has('LITERAL+') || (this.caps.has('LITERAL-') && size <= 4096);
      text += `${part.binary ? '~' : ''}{${size}${nonSync ? '+' : ''}}\r\n`;
      await t.write(Buffer.from(text, 'utf8'));
      text = '';
      if (!nonSync) {
        const go = await new Promise<boolean>((resolve) => (this.literalWaiter = { tag: p.tag, resolve }));
        if (!go) return;
      }
      if (Buffer.isBuffer(lit)) await t.write(lit);
      else {
        let sent = 0;
        for await (const chunk of lit.stream) {
          const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          sent += b.length;
          if (sent > size) throw new ProtocolViolationError(`APPEND stream gave more than the ${size} bytes announced`);
          await t.write(b);
        }
        if (sent !== size) throw new ProtocolViolationError(`APPEND stream gave ${sent} bytes, ${size} announced`);
      }
    }
    await t.write(Buffer.from(`${text}\r\n`, 'utf8'));
  }

  private armTimer(p: Pending): void {
    const timeout = p.spec.timeout ?? this.#options.commandTimeout ?? 60_000;
    if (!timeout) return;
    p.sentAt = this.scheduler.now();
    const check = (delay: number) => {
      p.timer = this.scheduler.schedule(() => {
        if (p.done) return;
        // we stopped reading ourselves: silence is not the server's fault; the check resumes with reading
        if (this.pausers.size > 0) {
          this.suspendedChecks.push(() => check(timeout));
          return;
        }
        const idle = this.scheduler.now() - Math.max(this.lastActivity, p.sentAt);
        if (idle >= timeout) {
          const err = new TimeoutError(`reply to ${p.spec.name}`, timeout);
          // core's text says the connection is reopened: a plain client does not reconnect (imap() does)
          err.message = `${p.spec.name}: no reply within ${timeout} ms; the connection was closed. Create a new ImapClient (or use imap(), which reconnects)`;
          this.complete(p, undefined, err);
          this.fail(err);
        } else check(timeout - idle);
      }, delay);
    };
    check(timeout);
  }

  private onData(chunk: Buffer): void {
    this.lastActivity = this.scheduler.now();
    try {
      if (this.pool.isRead(chunk)) this.pushRead(chunk);
      else this.tokenizer.push(this.pool.owns(chunk) ? Buffer.from(chunk) : chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e : new ProtocolViolationError(String(e)));
    }
  }

  /**
   * A read that landed in the pool: one in the shared scratch (an idle connection) is copied out;
   * in a block, the bytes of a streamed literal whose consumer gives them back are lent (their
   * memory is read into again once released), the rest is copied when small and handed on as a
   * view when big (the tokenizer and the parser keep views of what they are given).
   */
  private pushRead(chunk: Buffer): void {
    const n = chunk.length;
    this.lastRead = n;
    if (this.pool.inScratch) return this.tokenizer.push(this.pool.copy(chunk, n));
    const lent = Math.min(this.lendLeft, n);
    if (lent > 0) this.tokenizer.push(this.pool.lend(chunk, lent));
    if (lent === n) return;
    const rest = lent === 0 ? chunk : chunk.subarray(lent);
    this.tokenizer.push(lent === 0 && n >= MIN_READ ? this.pool.keep(chunk, n) : this.pool.copy(rest, rest.length));
  }

  private claimLiteral(prefix: string, size: number): boolean {
    for (const p of this.order) {
      if (!p.done && p.spec.stream?.match(prefix, size)) {
        this.streaming = p;
        this.lendLeft = p.spec.stream.releases ? size : 0;
        return true;
      }
    }
    return false;
  }

  private onFrame(frame: Frame): void {
    if (this.logging) this.log.debug({ direction: 'in', literals: frame.literals.length }, frame.line.length > 2000 ? `${frame.tag} ${frame.line.slice(0, 2000)}...` : `${frame.tag} ${frame.line}`);
    const r = parseResponse(frame);
    if (r.kind === 'continuation') return this.onContinuation(r.text);
    if (r.kind === 'tagged') return this.onTagged(r);
    if (this.greeting) {
      if (r.kind === 'condition') {
        if (r.code?.name === 'CAPABILITY') this.setCaps(r.code.capabilities);
        this.greeting(r);
        return;
      }
      this.fail(new ProtocolViolationError(`expected a greeting, got: ${frame.tag} ${frame.line.slice(0, 80)}`));
      return;
    }
    if (r.kind === 'unknown' && r.tag !== '*') {
      // a tagged line we could not parse: still complete its command
      const p = this.inFlight.get(r.tag);
      if (p) this.complete(p, undefined, new ProtocolViolationError(`unparsable reply to ${p.spec.name}: ${r.error ?? r.line.slice(0, 80)}`));
      return;
    }
    const u = r as UntaggedResponse;
    if (u.kind === 'capability') this.setCaps(u.capabilities);
    else if (u.kind === 'condition') {
      if (u.code?.name === 'CAPABILITY') this.setCaps(u.code.capabilities);
      if (u.status === 'BYE') this.bye = u;
      if (this.sessionState.status === 'selected' && (u.code?.name === 'READ-ONLY' || u.code?.name === 'READ-WRITE')) this.setState({ readOnly: u.code.name === 'READ-ONLY' });
    }
    this.track(u);
    this.untaggedSubject.next(u);
    let claimed = false;
    for (const p of this.order) {
      if (!p.done && p.spec.accepts?.(u, p.tag)) {
        claimed = true;
        p.sub?.next(u);
        break;
      }
    }
    if (!claimed && UNSOLICITED.has(u.kind)) this.unsolicitedSubject.next(u);
  }

  /** The message count of the selected mailbox (for `*` in sets and `state.exists`). */
  private track(u: UntaggedResponse): void {
    if (u.kind === 'exists') this.exists = u.count;
    else if (u.kind === 'expunge') this.exists = Math.max(0, (this.exists ?? 1) - 1);
    else if (u.kind === 'vanished' && !u.earlier) this.exists = Math.max(0, (this.exists ?? 0) - setSize(u.uids));
    else return;
    if (this.sessionState.status === 'selected') this.sessionState = { ...this.sessionState, exists: this.exists };
  }

  /** The last message count the server reported (EXISTS, minus EXPUNGE/VANISHED since); undefined before any. */
  get messageCount(): number | undefined {
    return this.exists;
  }

  private setCaps(list: readonly string[]): void {
    this.caps.clear();
    for (const c of list) this.caps.add(c.toUpperCase());
    this.capsKnown = true;
  }

  private onContinuation(text: string): void {
    const w = this.literalWaiter;
    if (w) {
      this.literalWaiter = undefined;
      w.resolve(true);
      return;
    }
    for (let i = this.order.length - 1; i >= 0; i--) {
      const p = this.order[i];
      if (!p.done && p.spec.onContinuation) {
        let reply: Buffer | null;
        try {
          reply = p.spec.onContinuation(text);
        } catch (e) {
          // the mechanism gave up: cancel the exchange, the server answers with a tagged BAD
          void this.writeRaw('*\r\n').catch(() => undefined);
          p.sub?.error(e);
          p.sub = undefined;
          return;
        }
        if (reply) {
          if (this.logging) this.log.debug({ direction: 'out', continuation: true }, p.spec.sensitive ? '***' : reply.toString('latin1').slice(0, 2000));
          void this.transport?.write(Buffer.concat([reply, Buffer.from('\r\n')])).catch((e: Error) => this.fail(e));
        }
        return;
      }
    }
    // a continuation nobody asked for: ignore (some servers send "+ idling" late)
  }

  private onTagged(r: TaggedResponse): void {
    if (r.code?.name === 'CAPABILITY') this.setCaps(r.code.capabilities);
    const p = this.inFlight.get(r.tag);
    if (!p) return; // a tag we never sent: ignore
    if (r.status === 'OK' && p.spec.upgradesTls) {
      // STARTTLS injection (CVE-2011-0411 class): whatever follows the OK in cleartext
      // (complete lines, a partial line, a literal announcement) is the attacker's.
      // A fresh tokenizer starts with the first byte of the TLS session.
      this.generation++;
      this.tokenizer = this.newTokenizer();
      this.streaming = undefined;
      this.lendLeft = 0;
      this.invalidateCapabilities();
    }
    try {
      p.spec.onTagged?.(r);
    } catch {
      // a state hook must not break dispatch
    }
    if (this.literalWaiter?.tag === r.tag) {
      const w = this.literalWaiter;
      this.literalWaiter = undefined;
      w.resolve(false);
    }
    if (r.status === 'OK') {
      const hook = p.spec.onOk?.(r);
      if (hook) {
        hook.then(
          () => this.complete(p, r),
          (e: Error) => {
            this.complete(p, undefined, e);
            this.fail(e);
          },
        );
      } else this.complete(p, r);
    } else {
      this.complete(p, undefined, p.spec.failure ? p.spec.failure(r) : new CommandFailedError(p.spec.name, r.status, r.text, codeText(r)));
    }
  }

  private complete(p: Pending, ok: TaggedResponse | undefined, error?: Error): void {
    if (p.done) return;
    p.done = true;
    p.timer?.unsubscribe();
    this.inFlight.delete(p.tag);
    const i = this.order.indexOf(p);
    if (i >= 0) this.order.splice(i, 1);
    const sub = p.sub;
    p.sub = undefined;
    p.finish();
    if (this.streaming === p) {
      this.streaming = undefined;
      this.lendLeft = 0;
    }
    if (!sub) return;
    if (error) sub.error(error);
    else {
      if (ok) sub.next(ok);
      sub.complete();
    }
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    this.sessionState = { status: 'logout', mailbox: null, readOnly: null, exists: null };
    this.transport?.close();
    const closedErr = error instanceof TransportClosedError ? error : new TransportClosedError(error.message, { cause: error });
    const pending = [...this.order, ...this.queue];
    this.order = [];
    this.queue = [];
    this.literalWaiter?.resolve(false);
    this.literalWaiter = undefined;
    for (const p of pending) {
      // LOGOUT is done once the server said BYE, even if the socket closed before its tagged OK
      if (p.spec.name === 'LOGOUT' && this.bye) this.complete(p, { kind: 'tagged', tag: p.tag, status: 'OK', code: null, text: this.bye.text });
      else this.complete(p, undefined, closedErr);
    }
    this.closedSubject.next(error);
    this.closedSubject.complete();
    this.untaggedSubject.complete();
    this.unsolicitedSubject.complete();
  }
}

/** The number of UIDs in a `*`-free set such as "1:3,7" (without expanding it). */
function setSize(set: string): number {
  let n = 0;
  for (const piece of set.split(',')) {
    const i = piece.indexOf(':');
    if (i < 0) n += piece === '' ? 0 : 1;
    else n += Math.abs(Number(piece.slice(i + 1)) - Number(piece.slice(0, i))) + 1;
  }
  return Number.isFinite(n) ? n : 0;
}

/** A command's parts for a log line: literals as `{N}`. */
function describeParts(parts: readonly Part[]): string {
  let s = '';
  for (const part of parts) s += typeof part === 'string' ? part : `{${Buffer.isBuffer(part.literal) ? part.literal.length : part.literal.size}}`;
  return s.length > 2000 ? `${s.slice(0, 2000)}...` : s;
}

const CREDENTIAL_KEYS = new Set(['auth', 'password', 'pass', 'accessToken', 'token', 'secret']);

/** A shallow copy of the options without anything that looks like a credential. */
function withoutCredentials(options: ConnectionOptions): ConnectionOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!CREDENTIAL_KEYS.has(k)) out[k] = v;
  return Object.freeze(out) as unknown as ConnectionOptions;
}

function codeText(r: TaggedResponse): string | undefined {
  if (!r.code) return undefined;
  return r.code.name === 'OTHER' ? r.code.atom : r.code.name;
}
