/**
 * One IMAP connection: tags, pipelining, continuations, literals, timeouts,
 * and dispatch of every response. Commands are described by `CommandSpec`
 * and run by `command(spec)`, a cold Observable: subscribing queues the
 * command, the accepted untagged responses and finally the tagged one are
 * emitted, NO/BAD error it with CommandFailedError.
 *
 * - Pipelining: commands are written as soon as they are queued; a command
 *   marked `barrier` (STARTTLS, AUTHENTICATE, LOGIN, COMPRESS, IDLE, LOGOUT)
 *   holds back later commands until it completes. Untagged responses go to the
 *   oldest in-flight command that accepts them, and ALSO to `untagged$`, and
 *   the mailbox-state ones (EXISTS, RECENT, EXPUNGE, FETCH, VANISHED, FLAGS,
 *   OK/NO/BAD/BYE conditions) to `unsolicited$`, whatever command is in flight.
 * - A streamed fetch never blocks other commands: its literal bytes are handed
 *   to the command as they arrive, and responses to other commands are matched
 *   by tag as usual.
 * - After the connection drops every in-flight and queued command errors with
 *   TransportClosedError, and any later command errors at once.
 * - Per-command timeout: when no byte arrives for `commandTimeout` ms while a
 *   command waits, it errors with TimeoutError and the connection is closed
 *   (its state can no longer be trusted).
 */
import { asyncScheduler, Observable, ReplaySubject, Subject, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { CommandFailedError, ProtocolViolationError, TimeoutError, TransportClosedError } from '../core';
import type { ConditionResponse, Response, TaggedResponse, UntaggedResponse } from './codecs/response';
import { ImapArgumentError } from './errors';
import { parseResponse } from './parser/response';
import type { Part } from './quote';
import { Tokenizer, type Frame, type TokenizerLimits } from './tokenizer';
import { nodeTransport, type ImapTransport, type TransportFactory, type TransportOptions } from './transport';

export interface ConnectionOptions extends TransportOptions {
  /** ms without any byte from the server while a command waits; 0 disables. Default 60000. */
  readonly commandTimeout?: number;
  readonly scheduler?: SchedulerLike;
  readonly limits?: TokenizerLimits;
  /** Replaces node:net/node:tls (tests, proxies). */
  readonly transport?: TransportFactory;
}

export interface LiteralStream {
  /** Called for each big literal with the response text before it; true claims it. */
  match(prefix: string, size: number): boolean;
  chunk(data: Buffer): void;
  end(): void;
}

export interface CommandSpec {
  /** Command name, used in errors (never the arguments: they may hold secrets). */
  readonly name: string;
  /** After the tag and a space. */
  readonly parts: readonly Part[];
  /** Which untagged responses belong to this command (`tag` is its own, for ESEARCH's TAG). */
  readonly accepts?: (r: UntaggedResponse, tag: string) => boolean;
  readonly barrier?: boolean;
  /** Answers a `+` continuation (AUTHENTICATE, IDLE); return bytes to send followed by CRLF, or null to send nothing. */
  readonly onContinuation?: (text: string) => Buffer | null;
  /** Runs after the tagged OK, before later commands (STARTTLS upgrade, COMPRESS). */
  readonly onOk?: (r: TaggedResponse) => Promise<void> | void;
  readonly stream?: LiteralStream;
  /** Overrides commandTimeout for this command (0: none, e.g. IDLE). */
  readonly timeout?: number;
  /** Maps a NO/BAD to an error (default CommandFailedError). */
  readonly failure?: (r: TaggedResponse) => Error;
  /** Called once the command's line has been written (IDLE uses it to know DONE may follow). */
  readonly onSent?: () => void;
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

export class ImapConnection {
  private transport: ImapTransport | undefined;
  private readonly tokenizer: Tokenizer;
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
  private lastActivity = 0;
  private bye: ConditionResponse | undefined;
  private readonly untaggedSubject = new Subject<UntaggedResponse>();
  private readonly unsolicitedSubject = new Subject<UntaggedResponse>();
  private readonly closedSubject = new ReplaySubject<Error>(1);
  private readonly caps = new Set<string>();
  private capsKnown = false;

  /** Every untagged response, as it arrives. Completes when the connection closes. */
  readonly untagged$ = this.untaggedSubject.asObservable();
  /** EXISTS, RECENT, EXPUNGE, FETCH, VANISHED, FLAGS and OK/NO/BAD/BYE conditions ([ALERT], [READ-WRITE] ...), whatever command is in flight. */
  readonly unsolicited$ = this.unsolicitedSubject.asObservable();
  /** Emits once, with the reason, when the connection is gone. */
  readonly closed$ = this.closedSubject.asObservable();

  constructor(readonly options: ConnectionOptions) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.tokenizer = new Tokenizer(
      {
        frame: (f) => this.onFrame(f),
        streamLiteral: (prefix, size) => this.claimLiteral(prefix, size),
        literalChunk: (c) => this.streaming?.spec.stream?.chunk(c),
        literalEnd: () => {
          const s = this.streaming;
          this.streaming = undefined;
          s?.spec.stream?.end();
        },
      },
      options.limits,
    );
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }
  get secure(): boolean {
    return this.transport?.secure ?? false;
  }
  /** The cached capabilities (upper-cased); empty until known. */
  get capabilities(): ReadonlySet<string> {
    return this.caps;
  }
  get capabilitiesKnown(): boolean {
    return this.capsKnown;
  }
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
        sub.next(g);
        sub.complete();
      };
      const factory = this.options.transport ?? nodeTransport;
      factory(this.options, {
        data: (chunk) => this.onData(chunk),
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
          const err = new TransportClosedError(`could not connect to ${this.options.host}:${this.options.port}: ${e.message}`, { cause: e });
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

  /** Runs a command: cold, see the file comment. */
  command(spec: CommandSpec): Observable<Response> {
    return new Observable<Response>((sub) => {
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
        if (!p.sent && !p.done) {
          p.done = true;
          this.queue = this.queue.filter((q) => q !== p);
          p.finish();
        }
      };
    });
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
    const timeout = p.spec.timeout ?? this.options.commandTimeout ?? 60_000;
    if (!timeout) return;
    p.sentAt = this.scheduler.now();
    const check = (delay: number) => {
      p.timer = this.scheduler.schedule(() => {
        if (p.done) return;
        const idle = this.scheduler.now() - Math.max(this.lastActivity, p.sentAt);
        if (idle >= timeout) {
          const err = new TimeoutError(`reply to ${p.spec.name}`, timeout);
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
      this.tokenizer.push(chunk);
    } catch (e) {
      this.fail(e instanceof Error ? e : new ProtocolViolationError(String(e)));
    }
  }

  private claimLiteral(prefix: string, size: number): boolean {
    for (const p of this.order) {
      if (!p.done && p.spec.stream?.match(prefix, size)) {
        this.streaming = p;
        return true;
      }
    }
    return false;
  }

  private onFrame(frame: Frame): void {
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
    }
    this.untaggedSubject.next(u);
    if (UNSOLICITED.has(u.kind)) this.unsolicitedSubject.next(u);
    for (const p of this.order) {
      if (!p.done && p.spec.accepts?.(u, p.tag)) {
        p.sub?.next(u);
        break;
      }
    }
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
        if (reply) void this.transport?.write(Buffer.concat([reply, Buffer.from('\r\n')])).catch((e: Error) => this.fail(e));
        return;
      }
    }
    // a continuation nobody asked for: ignore (some servers send "+ idling" late)
  }

  private onTagged(r: TaggedResponse): void {
    if (r.code?.name === 'CAPABILITY') this.setCaps(r.code.capabilities);
    const p = this.inFlight.get(r.tag);
    if (!p) return; // a tag we never sent: ignore
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
    if (this.streaming === p) this.streaming = undefined;
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

function codeText(r: TaggedResponse): string | undefined {
  if (!r.code) return undefined;
  return r.code.name === 'OTHER' ? r.code.atom : r.code.name;
}
