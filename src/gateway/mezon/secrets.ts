/**
 * The Mezon source's redactor: the API key it was given plus every session
 * token (and refresh token) the token endpoint handed out, learnt as they
 * arrive. The token is a secret too: it rides in the socket URL's query and a
 * server may echo it (`session <token> expired`, `Invalid URL ...?token=`).
 * Keeps the API key and the last MAX_TOKENS tokens.
 */
import { createRedactor, type Redactor } from '../../core';

const MAX_TOKENS = 16;

/** A Redactor whose secrets grow as the source learns them. */
export class MezonSecrets implements Redactor {
  readonly #fixed: readonly string[];
  readonly #tokens: string[] = [];
  #inner: Redactor;

  constructor(fixed: ReadonlyArray<string | undefined>) {
    this.#fixed = fixed.filter((s): s is string => typeof s === 'string' && s.length > 0);
    this.#inner = createRedactor(this.#fixed);
  }

  /** Learns one more secret (ignored when empty or known). */
  add(secret: string | undefined): void {
    if (!secret || this.#fixed.includes(secret) || this.#tokens.includes(secret)) return;
    this.#tokens.push(secret);
    if (this.#tokens.length > MAX_TOKENS) this.#tokens.shift();
    this.#inner = createRedactor([...this.#fixed, ...this.#tokens]);
  }

  /** Always true: secrets may be learnt after the pipeline was built. */
  get active(): boolean {
    return true;
  }

  text(text: string): string {
    return this.#inner.text(text);
  }

  value<T>(value: T): T {
    return this.#inner.value(value);
  }

  error<E>(error: E): E {
    return this.#inner.error(error);
  }
}
