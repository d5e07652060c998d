/**
 * IMAP framing: bytes → response frames `{ tag, line, literals }`.
 *
 * A frame is one server response: the tag (`*`, `+` or the command tag), the
 * text after the tag with every literal's `{N}` marker left in place, and the
 * literals' bytes in order. Lines are found with `Buffer.indexOf(LF)`; a line
 * ending in `{N}` (also `{N+}` and `~{N}`) switches to literal mode for exactly
 * N bytes, which may arrive split across any number of chunks. Literal bytes
 * that fit in one chunk are kept where they are (a frame's `literals` are
 * zero-copy views made on first access, see TokenizedFrame; the parser reads
 * literal text straight from the chunk), so callers must not reuse the
 * buffers they push.
 *
 * Speed: the tag is decoded apart from the text (so `line` is a flat string),
 * a frame's text segments are gathered and decoded in one call, and no Buffer
 * is made for a literal the parser only needs as text. A frame that lies whole
 * in one pushed chunk, with at least one literal and at most `RAW_LITERAL_BYTES`
 * of them, is not decoded here at all: it keeps its byte range (`raw`), the
 * parser decodes that once (text and literals together) and reads it in place,
 * and `line` is put together only when asked for. Whether a frame has that form
 * depends on how the bytes were chunked, never what it parses to.
 *
 * Limits (each exceeded one is a ProtocolViolationError, after which the
 * tokenizer refuses further input): `maxLineLength` for the text between two
 * literals (default 16384, Twisted's), `maxLiteralSize` for one buffered
 * literal (default 64 MiB), `maxLiteralsPerFrame` for the number of literals
 * in one frame (default 4096, `{0}` and streamed ones included), and
 * `maxFrameSize` (default 256 MiB) for what one frame holds in memory: its
 * text and buffered literal bytes plus `LITERAL_OVERHEAD` bytes for every
 * literal (the heap a literal costs beyond its bytes), so a flood of `{0}` or
 * `{1}` literals is charged for what it really costs and cannot grow the heap
 * past the limit.
 *
 * Streaming: a literal of at least `streamMinSize` bytes is offered to
 * `sink.streamLiteral(prefix, size)`, where `prefix` is the frame's text so far
 * (e.g. `* 3 FETCH (UID 9 BODY[] {20971520}`); if it answers true the bytes go
 * to `sink.literalChunk` as they arrive and are never held, and the frame gets
 * an empty buffer in that literal's place.
 */
import { ProtocolViolationError } from '../core';

/** One server response as framed bytes: tag, text and literals (see the Tokenizer). */
export interface Frame {
  /** `*` (untagged), `+` (continuation) or the tag of the command this completes. */
  readonly tag: string;
  /** The response text after the tag and its space, literal markers `{N}` kept in place. */
  readonly line: string;
  /** Literal bytes, in the order of their markers in `line`. */
  readonly literals: Buffer[];
}

const NO_REFS: ReadonlyArray<Buffer | number> = [];

/**
 * The frames the Tokenizer emits: `literals` are made (as zero-copy views of
 * the pushed chunks) on first access, so the parser, which reads literals it
 * needs as text straight from the chunks, never pays for Buffers it does not
 * hand out.
 *
 * A frame whose text and literals all lie in one pushed chunk (and whose
 * literals are small) also keeps that byte range (`raw`): the parser then
 * decodes the range once and reads the text and the literals from that one
 * string, and `line` is only put together when someone asks for it.
 */
export class TokenizedFrame implements Frame {
  readonly #refs: ReadonlyArray<Buffer | number>;
  #literals: Buffer[] | undefined;
  #line: string | undefined;
  /**
   * @internal The frame's text segments as (buffer, start, end) triples, the last one after
   * the last literal, when the whole frame lies in `segments[0]` (undefined otherwise).
   */
  readonly raw: ReadonlyArray<Buffer | number> | undefined;
  constructor(
    readonly tag: string,
    line: string | undefined,
    refs: ReadonlyArray<Buffer | number>,
    raw?: ReadonlyArray<Buffer | number>,
  ) {
    this.#line = line;
    this.#refs = refs;
    this.raw = raw;
  }
  /** The response text after the tag and its space, literal markers `{N}` kept in place. */
  get line(): string {
    if (this.#line === undefined) {
      const raw = this.raw as ReadonlyArray<Buffer | number>;
      this.#line = joinText(raw, raw.length);
    }
    return this.#line;
  }
  /** Literal bytes, in the order of their markers in `line`. */
  get literals(): Buffer[] {
    if (this.#literals === undefined) {
      const out: Buffer[] = [];
      for (let k = 0; k < this.literalCount; k++) out.push(this.literalBytes(k));
      this.#literals = out;
    }
    return this.#literals;
  }
  /** How many literals the frame has. */
  get literalCount(): number {
    return this.#refs.length / 3;
  }
  /** Literal `k`'s bytes (a view of the chunk it arrived in). */
  literalBytes(k: number): Buffer {
    if (this.#literals !== undefined) return this.#literals[k];
    const buf = this.#refs[3 * k] as Buffer;
    const start = this.#refs[3 * k + 1] as number;
    const end = this.#refs[3 * k + 2] as number;
    return start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  }
  /** Literal `k` decoded as UTF-8, without making a Buffer for it. */
  literalText(k: number): string {
    const start = this.#refs[3 * k + 1] as number;
    const end = this.#refs[3 * k + 2] as number;
    return end === start ? '' : utf8(this.#refs[3 * k] as Buffer, start, end);
  }
  /** @internal Where literal `k`'s bytes start in their buffer (with `raw`: in the frame's chunk). */
  literalStart(k: number): number {
    return this.#refs[3 * k + 1] as number;
  }
  /** @internal Where literal `k`'s bytes end in their buffer. */
  literalEnd(k: number): number {
    return this.#refs[3 * k + 2] as number;
  }
  /** What `JSON.stringify` shows: the Frame fields. */
  toJSON(): { tag: string; line: string; literals: Buffer[] } {
    return { tag: this.tag, line: this.line, literals: this.literals };
  }
}

/** Where multi-segment text is gathered to be decoded in one call (shared: used synchronously only). */
let scratch = Buffer.allocUnsafe(0);

/** The text of the first `count` slots of (buffer, start, end) triples, decoded in one call. */
function joinText(segs: ReadonlyArray<Buffer | number>, count: number): string {
  let total = 0;
  for (let k = 0; k < count; k += 3) total += (segs[k + 2] as number) - (segs[k + 1] as number);
  if (scratch.length < total) scratch = Buffer.allocUnsafe(Math.max(total, 2 * scratch.length, 4096));
  const into = scratch;
  let at = 0;
  for (let k = 0; k < count; k += 3) at += (segs[k] as Buffer).copy(into, at, segs[k + 1] as number, segs[k + 2] as number);
  const text = utf8(into, 0, at);
  // a huge frame's text (many literals) should not pin a huge scratch buffer
  if (into.length > 1 << 20) scratch = Buffer.allocUnsafe(0);
  return text;
}

/** The Tokenizer's limits; exceeding one is a ProtocolViolationError. Every field is optional. */
export interface TokenizerLimits {
  /** Bytes of text between two literals (or in a line without literals). Default 16384. */
  readonly maxLineLength?: number;
  /** Bytes of one literal held in memory (streamed literals are not held). Default 64 MiB. */
  readonly maxLiteralSize?: number;
  /** Bytes one frame may hold: text + buffered literal bytes + `LITERAL_OVERHEAD` per literal. Default 256 MiB. */
  readonly maxFrameSize?: number;
  /** Literals in one frame (`{0}` and streamed ones included). Default 4096. */
  readonly maxLiteralsPerFrame?: number;
  /** Literals at least this big are offered to `sink.streamLiteral`. Default 256 KiB. */
  readonly streamMinSize?: number;
}

/** Receives what the Tokenizer frames, synchronously from `push`. */
export interface FrameSink {
  /** One complete response. */
  frame(frame: Frame): void;
  /**
   * Offered each literal of at least `streamMinSize` bytes, with the frame's text so far
   * (up to and including `{size}`); true streams it to `literalChunk`/`literalEnd` instead of holding it.
   */
  streamLiteral?(prefix: string, size: number): boolean;
  /** The next bytes of a streamed literal (never held by the tokenizer). */
  literalChunk?(chunk: Buffer): void;
  /** The streamed literal is complete; the frame goes on. */
  literalEnd?(): void;
}

const LF = 0x0a;
const CR = 0x0d;
const MODE_LINE = 0;
const MODE_LITERAL = 1;
const MODE_STREAM = 2;
const EMPTY = Buffer.alloc(0);
/**
 * What one literal costs in the heap beyond its bytes (its Buffer view, the
 * text segment before it, array slots), charged against `maxFrameSize`.
 */
export const LITERAL_OVERHEAD = 160;
/**
 * A frame with more literal bytes than this is not kept in `raw` form: the raw form decodes
 * literals with the text, which pays for the small ones (ENVELOPE strings, header fields) but
 * not for message bodies, which the parser hands out as bytes.
 */
const RAW_LITERAL_BYTES = 2048;
/** `OK|NO|BAD|BYE|PREAUTH ...` after the tag: resp-text, where literals cannot occur (RFC 3501 §9). */
const STATUS_LINE = /^(OK|NO|BAD|BYE|PREAUTH)$/i;

/**
 * Splits the server's byte stream into {@link Frame}s, with the limits of
 * {@link TokenizerLimits} and optional literal streaming (see the module comment).
 * After a limit is broken it throws on every `push`.
 */
export class Tokenizer {
  private readonly maxLine: number;
  private readonly maxLiteral: number;
  private readonly maxFrame: number;
  private readonly streamMin: number;
  private readonly maxLiterals: number;
  private mode = MODE_LINE;
  /** Pieces of the current line segment not yet ended by LF. */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Completed segments of the current frame (each ends with a literal marker), as (buffer, start, end) triples; reused. */
  private segments: Array<Buffer | number> = [];
  /** The chunk the whole current frame lies in so far (undefined once a piece lies elsewhere or a literal is big). */
  private rawBuf: Buffer | undefined;
  /** Literal bytes of the current frame so far (a frame with many kept in `raw` form would be decoded as text whole). */
  private rawLiteralBytes = 0;
  /** The current frame's tag (set by its first segment). */
  private tag = '';
  /** The current frame's literals as (buffer, start, end) triples; reused between frames (the frame gets an exact-size copy). */
  private literals: Array<Buffer | number> = [];
  private frameBytes = 0;
  private litRemaining = 0;
  private litSize = 0;
  private litParts: Buffer[] = [];
  private failure: ProtocolViolationError | undefined;

  constructor(
    private readonly sink: FrameSink,
    limits: TokenizerLimits = {},
  ) {
    this.maxLine = limits.maxLineLength ?? 16384;
    this.maxLiteral = limits.maxLiteralSize ?? 64 * 1024 * 1024;
    this.maxFrame = limits.maxFrameSize ?? 256 * 1024 * 1024;
    this.streamMin = limits.streamMinSize ?? 256 * 1024;
    this.maxLiterals = limits.maxLiteralsPerFrame ?? 4096;
  }

  /** True between frames (nothing buffered). */
  get idle(): boolean {
    return this.mode === MODE_LINE && this.pendingLen === 0 && this.segments.length === 0;
  }

  /** Feeds bytes; calls the sink synchronously. Throws ProtocolViolationError on a broken limit. */
  push(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      if (this.mode !== MODE_LINE) {
        const take = Math.min(this.litRemaining, n - pos);
        if (this.mode === MODE_STREAM) {
          const piece = chunk.subarray(pos, pos + take);
          pos += take;
          this.litRemaining -= take;
          if (take > 0) this.sink.literalChunk?.(piece);
          if (this.litRemaining === 0) {
            this.literals.push(EMPTY, 0, 0);
            this.rawBuf = undefined;
            this.mode = MODE_LINE;
            this.sink.literalEnd?.();
          }
        } else if (this.litParts.length === 0 && take === this.litRemaining) {
          // the whole literal is in this chunk: keep where it is, make no Buffer for it yet
          this.literals.push(chunk, pos, pos + take);
          if (chunk !== this.rawBuf || (this.rawLiteralBytes += take) > RAW_LITERAL_BYTES) this.rawBuf = undefined;
          pos += take;
          this.litRemaining = 0;
          this.mode = MODE_LINE;
        } else {
          this.litParts.push(chunk.subarray(pos, pos + take));
          pos += take;
          this.litRemaining -= take;
          if (this.litRemaining === 0) {
            const whole = Buffer.concat(this.litParts, this.litSize);
            this.literals.push(whole, 0, whole.length);
            this.rawBuf = undefined;
            this.litParts = [];
            this.mode = MODE_LINE;
          }
        }
        continue;
      }
      const lf = chunk.indexOf(LF, pos);
      if (lf === -1) {
        const rest = n - pos;
        if (this.pendingLen + rest > this.maxLine + 1) this.fail(`response line longer than ${this.maxLine} bytes`);
        this.pending.push(chunk.subarray(pos));
        this.pendingLen += rest;
        break;
      }
      let buf: Buffer;
      let start: number;
      let end = lf;
      if (this.pendingLen === 0) {
        buf = chunk;
        start = pos;
      } else {
        this.pending.push(chunk.subarray(pos, lf));
        buf = Buffer.concat(this.pending, this.pendingLen + (lf - pos));
        start = 0;
        end = buf.length;
        this.pending = [];
        this.pendingLen = 0;
      }
      pos = lf + 1;
      if (end > start && buf[end - 1] === CR) end--;
      if (end - start > this.maxLine) this.fail(`response line longer than ${this.maxLine} bytes`);
      this.segment(buf, start, end);
    }
  }

  private segment(buf: Buffer, start: number, end: number): void {
    const size = literalSize(buf, start, end);
    if (size === -2) this.fail('literal size is not a usable number');
    this.frameBytes += end - start;
    if (this.frameBytes > this.maxFrame) this.fail(`response over the ${this.maxFrame}-byte limit`);
    const first = this.segments.length === 0;
    if (first) {
      if (end === start && size < 0) return; // tolerate stray empty lines between responses
      // the tag is decoded apart, so `line` is a flat string of its own (not a slice): the parser reads it faster
      let sp = buf.indexOf(0x20, start);
      if (sp === -1 || sp >= end) sp = end;
      this.tag = sp === start + 1 && buf[start] === 0x2a /* * */ ? '*' : utf8(buf, start, sp);
      start = sp < end ? sp + 1 : end;
      if (size < 0) {
        this.emit(utf8(buf, start, end));
        return;
      }
      if (this.tag === '+' || isStatus(buf, start, end)) {
        // a continuation request or a status response (resp-text) never carries a literal:
        // a trailing "{N}" is text, e.g. a mailbox name the server echoes in a NO
        this.emit(utf8(buf, start, end));
        return;
      }
      this.rawBuf = buf;
      this.rawLiteralBytes = 0;
    } else {
      if (buf !== this.rawBuf) this.rawBuf = undefined;
      if (size < 0) {
        if (this.rawBuf !== undefined) {
          // the whole frame is in this chunk: the parser reads it from there, `line` is made on demand
          this.segments.push(buf, start, end);
          this.emit(undefined, this.segments.slice());
        } else this.emit(this.text(buf, start, end));
        return;
      }
    }
    if (this.segments.length >= 3 * this.maxLiterals) this.fail(`response with more than ${this.maxLiterals} literals`);
    this.frameBytes += LITERAL_OVERHEAD;
    if (this.frameBytes > this.maxFrame) this.fail(`response over the ${this.maxFrame}-byte limit`);
    this.segments.push(buf, start, end);
    if (size === 0) {
      this.literals.push(EMPTY, 0, 0);
      return;
    }
    if (size >= this.streamMin && this.sink.streamLiteral && this.sink.streamLiteral(`${this.tag} ${this.text(EMPTY, 0, 0)}`, size)) {
      this.mode = MODE_STREAM;
      this.litRemaining = size;
      return;
    }
    if (size > this.maxLiteral) this.fail(`literal of ${size} bytes is over the ${this.maxLiteral}-byte limit`);
    this.frameBytes += size;
    if (this.frameBytes > this.maxFrame) this.fail(`response over the ${this.maxFrame}-byte limit`);
    this.mode = MODE_LITERAL;
    this.litRemaining = size;
    this.litSize = size;
  }

  /** The frame's text: its segments so far, then buf[start, end), decoded in one call. */
  private text(buf: Buffer, start: number, end: number): string {
    const segs = this.segments;
    const count = segs.length;
    segs.push(buf, start, end);
    const text = joinText(segs, segs.length);
    segs.length = count;
    return text;
  }

  private emit(line: string | undefined, raw?: ReadonlyArray<Buffer | number>): void {
    // copies of exact size: a pushed-to array would carry spare capacity into every frame
    const refs = this.literals.length === 0 ? NO_REFS : this.literals.slice();
    const tag = this.tag;
    this.segments.length = 0;
    this.literals.length = 0;
    this.frameBytes = 0;
    this.rawBuf = undefined;
    this.sink.frame(new TokenizedFrame(tag, line, refs, raw));
  }

  private fail(detail: string): never {
    this.failure = new ProtocolViolationError(detail);
    throw this.failure;
  }
}

/** Node's Buffer decoders, called directly: `toString` wraps them in argument checks we do not need. */
interface FastDecode {
  utf8Slice(start: number, end: number): string;
}

/** `buf.toString('utf8', start, end)` without the wrapper. */
function utf8(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as FastDecode).utf8Slice(start, end);
}

/** True if buf[start, end) starts with OK, NO, BAD, BYE or PREAUTH (any case) then a space or the end. */
function isStatus(buf: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && i - start < 8 && ((buf[i] >= 0x41 && buf[i] <= 0x5a) || (buf[i] >= 0x61 && buf[i] <= 0x7a))) i++;
  if (i < end && buf[i] !== 0x20) return false;
  return STATUS_LINE.test(buf.toString('latin1', start, i));
}

/** -1: no literal marker; -2: a marker with an unusable size; else the size. */
function literalSize(buf: Buffer, start: number, end: number): number {
  let j = end - 1;
  if (j <= start || buf[j] !== 0x7d /* } */) return -1;
  j--;
  if (buf[j] === 0x2b /* + */) j--;
  const digitsEnd = j;
  while (j >= start && buf[j] >= 0x30 && buf[j] <= 0x39) j--;
  if (j === digitsEnd || j < start || buf[j] !== 0x7b /* { */) return -1;
  if (digitsEnd - j > 15) return -2;
  let size = 0;
  for (let k = j + 1; k <= digitsEnd; k++) size = size * 10 + (buf[k] - 0x30);
  return size;
}
