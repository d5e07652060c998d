import type { ImapTransport, TransportFactory, TransportHandlers } from '../../src/imap';

/** A transport driven by the test: it sees every write and pushes server bytes itself. */
export class ScriptedServer {
  readonly writes: string[] = [];
  handlers: TransportHandlers | undefined;
  secure = false;
  closed = false;
  /** pause()/resume() calls of the client, in order. */
  readonly flow: ('pause' | 'resume')[] = [];
  get paused(): boolean {
    return this.flow[this.flow.length - 1] === 'pause';
  }

  readonly factory: TransportFactory = async (_options, handlers) => {
    this.handlers = handlers;
    const t: ImapTransport = {
      get secure() {
        return false;
      },
      write: async (chunk) => {
        this.writes.push(chunk.toString('utf8'));
      },
      startTls: async () => undefined,
      compress: () => undefined,
      pause: () => {
        this.flow.push('pause');
      },
      resume: () => {
        this.flow.push('resume');
      },
      close: () => {
        if (this.closed) return;
        this.closed = true;
        handlers.closed();
      },
    };
    return t;
  };

  send(text: string): void {
    this.handlers!.data(Buffer.from(text, 'utf8'));
  }
  drop(): void {
    this.closed = true;
    this.handlers!.closed(new Error('ECONNRESET'));
  }
  /** Everything the client wrote, joined. */
  get wire(): string {
    return this.writes.join('');
  }
}

/** Lets pending promise callbacks (async writes) run; loops until `cond` or gives up. */
export async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error(`never happened: ${what}`);
}
