/**
 * `rxwire tail <source>`: streams a source's events as NDJSON on stdout, one
 * event per line (`{"source":"discord","type":"MessageCreate","data":{...}}`).
 * `--local` runs against rxwire/testing's embedded server and a short script
 * of events, then exits; otherwise it runs until interrupted (or `--limit`).
 * Diagnostics go to stderr; exit code 0 on a normal end, 1 on an error, 2 on
 * a usage error.
 */
import { filter, Subscription } from 'rxjs';
import { fileSink } from '../testing/record';
import { parseTailArgs, UsageError } from './args';
import { eventLine } from './output';
import { secret } from './secrets';
import { discord } from './sources/discord';
import { imap } from './sources/imap';
import { mailtm } from './sources/mailtm';
import { mezon } from './sources/mezon';
import { stoat } from './sources/stoat';
import type { TailSourceModule } from './sources/types';

const modules: Record<string, TailSourceModule> = { discord, stoat, mezon, mailtm, imap };

/** Where tail writes. */
export interface TailIo {
  out(line: string): void;
  err(line: string): void;
  env?: NodeJS.ProcessEnv;
  /** Resolves to stop a real (non-local) tail, e.g. on SIGINT. */
  stop?: Promise<unknown>;
}

/** Runs `rxwire tail ...`; resolves to the exit code. */
export async function runTail(argv: readonly string[], io: TailIo): Promise<number> {
  let args;
  try {
    args = parseTailArgs(argv);
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const mod = modules[args.source];
  const ctx = { options: args.options, record: args.record ? fileSink(args.record) : undefined, secret: (what: string) => secret(args.options, what, io.env) };
  let source;
  try {
    source = await (args.local ? mod.local(ctx) : mod.real(ctx));
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return e instanceof UsageError ? 2 : 1;
  }
  const wanted = new Set(args.types);
  let printed = 0;
  const code = await new Promise<number>((resolve) => {
    let sub: Subscription | undefined;
    const finish = (c: number): void => {
      sub?.unsubscribe();
      resolve(c);
    };
    sub = source.events$.pipe(filter((e) => wanted.size === 0 || wanted.has(e.type))).subscribe({
      next: (e) => {
        io.out(eventLine(args.source, e));
        if (args.limit !== undefined && ++printed >= args.limit) finish(0);
      },
      error: (e: unknown) => {
        io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
        finish(1);
      },
      complete: () => finish(0),
    });
    void io.stop?.then(() => finish(0));
  });
  await source.close().catch(() => undefined);
  return code;
}
