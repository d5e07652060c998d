/**
 * Server-side command framing: bytes → complete commands (latin1 text with
 * their literals inline, final CRLF removed). A line ending in `{N}` asks for a
 * continuation (`onContinue`) and then takes N raw bytes; `{N+}` (LITERAL+,
 * RFC 7888) takes them without asking. Bounded: a line longer than
 * `maxLine`, a literal bigger than `maxLiteral` or a command bigger than
 * `maxCommand` is reported through `onTooBig` instead of being buffered.
 */

/** Limits of one command. */
export interface ReaderLimits {
  readonly maxLine: number;
  readonly maxLiteral: number;
  readonly maxCommand: number;
}

/** What the reader reports. */
export interface ReaderSink {
  command(text: string): void;
  /** A synchronising literal was announced: send `+ ...`. */
  onContinue(): void;
  /**
   * A limit was hit. `fatal` when the bytes can no longer be framed (a non-
   * synchronising literal or an overlong line): the connection must close.
   * Otherwise the client was refused a synchronising literal; the partial
   * command (with its tag first) is discarded.
   */
  onTooBig(partial: string, fatal: boolean): void;
}

const LITERAL_AT_END = /~?\{(\d{1,12})(\+?)\}$/;

export class CommandReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: string[] = [];
  private size = 0;
  private literalLeft = 0;
  private dead = false;

  constructor(
    private readonly limits: ReaderLimits,
    private readonly sink: ReaderSink,
  ) {}

  /** Drops whatever was buffered (after STARTTLS). */
  reset(): void {
    this.pending = Buffer.alloc(0);
    this.parts = [];
    this.size = 0;
    this.literalLeft = 0;
  }

  /** Stops framing for good. */
  kill(): void {
    this.dead = true;
    this.reset();
  }

  /** Whether unread bytes are buffered. */
  get buffered(): boolean {
    return this.pending.length > 0;
  }

  push(chunk: Buffer): void {
    if (this.dead) return;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (!this.dead && this.pending.length > 0) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, this.pending.length);
        this.parts.push(this.pending.subarray(0, take).toString('latin1'));
        this.pending = this.pending.subarray(take);
        this.literalLeft -= take;
        continue;
      }
      const lf = this.pending.indexOf(0x0a);
      if (lf < 0) {
        if (this.pending.length > this.limits.maxLine) this.fatal();
        return;
      }
      if (lf > this.limits.maxLine) return this.fatal();
      let line = this.pending.subarray(0, lf).toString('latin1');
      this.pending = this.pending.subarray(lf + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.size += line.length + 2;
      const m = LITERAL_AT_END.exec(line);
      if (!m) {
        this.parts.push(line);
        const text = this.parts.join('');
        this.parts = [];
        this.size = 0;
        this.sink.command(text);
        continue;
      }
      const n = Number(m[1]);
      const sync = m[2] !== '+';
      if (n > this.limits.maxLiteral || this.size + n > this.limits.maxCommand) {
        const partial = this.parts.join('') + line;
        this.parts = [];
        this.size = 0;
        if (sync) {
          this.sink.onTooBig(partial, false);
          continue;
        }
        this.sink.onTooBig(partial, true);
        this.kill();
        return;
      }
      this.parts.push(line + '\r\n');
      this.size += n;
      this.literalLeft = n;
      if (sync) this.sink.onContinue();
      if (n === 0) continue;
    }
  }

  private fatal(): void {
    const partial = this.parts.join('') + this.pending.subarray(0, 64).toString('latin1');
    this.sink.onTooBig(partial, true);
    this.kill();
  }
}
