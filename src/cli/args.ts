/**
 * `rxwire tail` arguments. Secrets are never taken from argv (it shows in
 * `ps` and shell history): `--token-env NAME` / `--password-env NAME` /
 * `--api-key-env NAME` name an environment variable, else a prompt asks.
 */

/** Parsed command line of `rxwire tail`. */
export interface TailArgs {
  readonly source: string;
  readonly local: boolean;
  readonly types: readonly string[];
  readonly record?: string;
  /** Stop after this many (printed) events. */
  readonly limit?: number;
  /** Every other `--name value` option, by name. */
  readonly options: Readonly<Record<string, string>>;
}

/** A usage problem; the message says what to type instead. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The sources `rxwire tail` knows. */
export const SOURCES = ['discord', 'stoat', 'mezon', 'mailtm', 'imap'] as const;

const SECRET_FLAGS = new Set(['token', 'password', 'api-key', 'apikey', 'secret', 'pass']);

/** Usage text. */
export const USAGE = `usage: rxwire tail <${SOURCES.join('|')}> [--local] [--type T]... [--record FILE] [--limit N] [source options]

  --local              run against rxwire/testing's embedded server (no account needed)
  --type T             print only events of type T (repeatable)
  --record FILE        also record the wire traffic to FILE (NDJSON, secrets redacted)
  --limit N            stop after N printed events

  discord  --token-env NAME [--intents N] [--url URL]
  stoat    --token-env NAME [--url URL]
  mezon    --client-id ID --api-key-env NAME [--base-url URL] [--clan ID]
  mailtm   --address ADDR --password-env NAME [--base-url URL]
  imap     --host H [--port 993] --user U --password-env NAME [--mailbox INBOX] [--tls implicit|starttls]

Secrets come from the named environment variable, or a prompt; never from arguments.`;

/** Parses `tail ...` (argv without node and the script). */
export function parseTailArgs(argv: readonly string[]): TailArgs {
  const [cmd, source, ...rest] = argv;
  if (cmd !== 'tail') throw new UsageError(USAGE);
  if (!source || !(SOURCES as readonly string[]).includes(source)) throw new UsageError(`unknown source ${JSON.stringify(source ?? '')}\n${USAGE}`);
  const types: string[] = [];
  const options: Record<string, string> = {};
  let local = false;
  let record: string | undefined;
  let limit: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--local') {
      local = true;
      continue;
    }
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(a);
    if (!m) throw new UsageError(`unexpected argument ${JSON.stringify(a)}\n${USAGE}`);
    const name = m[1];
    if (SECRET_FLAGS.has(name)) throw new UsageError(`--${name} is not accepted: secrets in arguments leak into ps and shell history. Put it in an environment variable and pass --${name}-env NAME (or leave it out to be prompted)`);
    const value = m[2] ?? rest[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (name === 'type') types.push(value);
    else if (name === 'record') record = value;
    else if (name === 'limit') {
      limit = Number(value);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit needs a positive integer');
    } else options[name] = value;
  }
  return { source, local, types, record, limit, options };
}
