/**
 * A scripted IMAP server at the byte seam, for tests of IMAP clients driven
 * step by step: `factory` is the `transport` option of `ImapClient` /
 * `imap()`; the test sees every write (`writes`, `wire`, `commands`) and
 * pushes server bytes itself (`send`, or the typed helpers `greet`, `ok`,
 * `untagged`). Time-dependent behaviour (timeouts, IDLE renewals) runs on the
 * client's `scheduler` (a TestScheduler in marble tests); the writes are
 * promises, so `waitUntil(cond)` lets them settle between steps.
 *
 *   const server = new ScriptedImapServer();
 *   const c = new ImapClient({ host: 'scripted', port: 143, tls: 'none', allowCleartextLogin: true, transport: server.factory, scheduler });
 *   const g = lastValueFrom(c.connect());
 *   await waitUntil(() => server.handlers !== undefined, 'transport opened');
 *   server.greet();
 *   await g;
 */
import type { ImapTransport, TransportFactory, TransportHandlers } from '../../imap/transport';

/** One command line the client wrote (`A1 SELECT INBOX` → tag `A1`, name `SELECT`, rest `INBOX`). */
export interface ScriptedImapCommand {
  /** The command tag. */
  readonly tag: string;
  /** The command name, upper-cased. */
  readonly name: string;
  /** The rest of the line (arguments), as written. */
  readonly rest: string;
}

/** A transport driven by the test: it records every write and pushes server bytes when told. */
export class ScriptedImapServer {
  /** Every chunk the client wrote, as UTF-8 text, in order. */
  readonly writes: string[] = [];
  /** The client's handlers once the transport is open (undefined before). */
  handlers: TransportHandlers | undefined;
  /** True once either side closed the transport. */
  closed = false;
  /** pause()/resume() calls of the client, in order. */
  readonly flow: ('pause' | 'resume')[] = [];

  /** True while the client has paused reading. */
  get paused(): boolean {
    return this.flow[this.flow.length - 1] === 'pause';
  }

  /** The TransportFactory to give the client (`transport` option). */
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

  /** Delivers server bytes (text as UTF-8) to the client now. */
  send(text: string): void {
    if (!this.handlers) throw new Error('ScriptedImapServer: the client has not opened the transport yet');
    this.handlers.data(Buffer.from(text, 'utf8'));
  }

  /** Sends a greeting: `* OK [CAPABILITY ...] ready`. */
  greet(capabilities: readonly string[] = ['IMAP4rev1', 'LITERAL+', 'IDLE']): void {
    this.send(`* OK [CAPABILITY ${capabilities.join(' ')}] ready\r\n`);
  }

  /** Sends an untagged response line, `* <text>` (e.g. `untagged('3 EXISTS')`). */
  untagged(text: string): void {
    this.send(`* ${text}\r\n`);
  }

  /** Completes the command with `tag` (default: the last command written): `<tag> OK|NO|BAD <text>`. */
  ok(text = 'done', tag?: string, status: 'OK' | 'NO' | 'BAD' = 'OK'): void {
    const t = tag ?? this.commands[this.commands.length - 1]?.tag;
    if (t === undefined) throw new Error('ScriptedImapServer: no command to answer yet');
    this.send(`${t} ${status} ${text}\r\n`);
  }

  /** The server drops the connection (ECONNRESET). */
  drop(): void {
    this.closed = true;
    this.handlers?.closed(new Error('ECONNRESET'));
  }

  /** Everything the client wrote, joined. */
  get wire(): string {
    return this.writes.join('');
  }

  /** The command lines the client wrote (continuation lines such as IDLE's `DONE` and literal data are left out). */
  get commands(): ScriptedImapCommand[] {
    const out: ScriptedImapCommand[] = [];
    for (const line of this.wire.split('\r\n')) {
      const m = /^([A-Za-z0-9.]+) ([A-Za-z]+)(?: (.*))?$/.exec(line);
      if (m) out.push({ tag: m[1], name: m[2].toUpperCase(), rest: m[3] ?? '' });
    }
    return out;
  }
}

/**
 * Lets pending promise callbacks (the client's async writes) run, one event
 * loop turn at a time, until `cond()` holds; throws after `maxTurns` turns
 * (a condition that never comes), naming `what`.
 */
export async function waitUntil(cond: () => boolean, what: string, maxTurns = 1000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error(`never happened: ${what}`);
}
