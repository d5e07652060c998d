/**
 * The one `logger` option every source accepts: pino-compatible
 * (`logger.debug(obj, msg)`), so a pino, bunyan-style or console-backed logger
 * plugs in unchanged. Off by default. Sources log frames in/out at `debug`,
 * reconnect reasons at `warn`, fatal errors at `error`, and pass every line
 * through their redactor first (see `redactor.ts`): a secret never reaches a logger.
 */
import type { Redactor } from './redactor';

/** A structured log function: an object of fields, then an optional message. */
export type LogFn = (obj: Readonly<Record<string, unknown>>, msg?: string) => void;

/** What sources log to; pino's `Logger` satisfies it. */
export interface Logger {
  /** Frames in and out, state changes. */
  readonly debug: LogFn;
  /** Connections opened and closed. */
  readonly info: LogFn;
  /** Reconnect reasons, dropped frames, recoverable trouble. */
  readonly warn: LogFn;
  /** Fatal errors that end a stream. */
  readonly error: LogFn;
}

const noop: LogFn = () => undefined;

/** A logger that drops everything (the default). */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/**
 * Wraps `logger` so every field and message passes through `redactor`, and every
 * line carries `{ source }`. Returns `silentLogger` when no logger is given, so
 * sources can call it unconditionally at no cost.
 */
export function sourceLogger(source: string, logger: Logger | undefined, redactor: Redactor): Logger {
  if (logger === undefined) return silentLogger;
  const wrap =
    (fn: LogFn): LogFn =>
    (obj, msg) => {
      try {
        fn.call(logger, { source, ...(redactor.value(obj) as Record<string, unknown>) }, msg === undefined ? undefined : redactor.text(msg));
      } catch {
        // a logger must never break a stream
      }
    };
  return { debug: wrap(logger.debug), info: wrap(logger.info), warn: wrap(logger.warn), error: wrap(logger.error) };
}
