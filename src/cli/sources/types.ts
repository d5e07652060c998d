/** What each `rxwire tail` source module provides. */
import type { Observable } from 'rxjs';
import type { RecordSink } from '../../testing/record';

/** An event as `tail` sees it. */
export interface TailEvent {
  readonly type: string;
}

/** A running source: its events (completing when a --local script is done) and how to clean up. */
export interface TailSource {
  readonly events$: Observable<TailEvent>;
  close(): Promise<void>;
}

/** Context for building a source. */
export interface TailContext {
  /** Where --record writes, when given. */
  readonly record?: RecordSink;
  /** `--name value` options. */
  readonly options: Readonly<Record<string, string>>;
  /** Reads a secret (env var named by --<what>-env, or a prompt). */
  secret(what: string): Promise<string>;
}

/** A source module. */
export interface TailSourceModule {
  local(ctx: TailContext): Promise<TailSource>;
  real(ctx: TailContext): Promise<TailSource>;
}
