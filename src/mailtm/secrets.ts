/**
 * The secrets of one Mail.tm client, as they become known: account passwords
 * (when a session or account is made) and bearer tokens (when the server
 * issues them, or a user supplies one). `redactor` is a live view over all of
 * them, rebuilt only when a secret was added, so every error, event and log
 * line the client or its stream produces can pass through one redactor.
 */
import { createRedactor, type Redactor } from '../core';

/** How many issued tokens are remembered (the oldest is forgotten first); passwords are always kept. */
export const MAILTM_MAX_REMEMBERED_TOKENS = 64;

/** Known secrets plus a redactor that always covers all of them. */
export class MailtmSecrets {
  readonly #secrets = new Set<string>();
  readonly #tokens: string[] = [];
  #cached: Redactor | undefined;

  /**
   * Remembers `secret` (empty and undefined values are ignored). Tokens (`kind: 'token'`) come from
   * servers, so at most MAILTM_MAX_REMEMBERED_TOKENS are kept, and values shorter than 8 characters are
   * not taken as tokens (a hostile answer must not make ordinary words secret, or grow the set without end).
   */
  add(secret: string | undefined, kind: 'password' | 'token' = 'password'): void {
    if (secret === undefined || secret.length === 0 || this.#secrets.has(secret)) return;
    if (kind === 'token') {
      if (secret.length < 8) return;
      this.#tokens.push(secret);
      if (this.#tokens.length > MAILTM_MAX_REMEMBERED_TOKENS) this.#secrets.delete(this.#tokens.shift() ?? '');
    }
    this.#secrets.add(secret);
    this.#cached = undefined;
  }

  /** The redactor over every secret known now (a stable object that follows later additions). */
  readonly redactor: Redactor = {
    text: (s) => this.current().text(s),
    value: (v) => this.current().value(v),
    error: (e) => this.current().error(e),
    get active(): boolean {
      return true;
    },
  };

  private current(): Redactor {
    return (this.#cached ??= createRedactor(this.#secrets));
  }

  /** Keeps the secrets out of `JSON.stringify`. */
  toJSON(): { count: number } {
    return { count: this.#secrets.size };
  }
}
