/**
 * Secrets, centrally. A source builds one `Redactor` from the secrets it was
 * given (passwords, tokens, API keys) and passes every error, lifecycle event,
 * DecodeError/Unknown event and log line through it, so a secret never leaves,
 * even in text a server echoed back (a close reason, an error body, a URL).
 *
 * Each secret is removed in the forms it travels in: as is, URL-encoded,
 * JSON-escaped and base64 (SASL PLAIN/XOAUTH2 carry it so).
 */

/** Removes known secrets from text and from values (deeply, bounded). */
export interface Redactor {
  /** `text` with every form of every secret replaced by `***`. */
  text(text: string): string;
  /** A copy of `value` with secrets removed from every string in it (same value when nothing changed). */
  value<T>(value: T): T;
  /** The same error with secrets removed from its message and own string fields (mutated in place). */
  error<E>(error: E): E;
  /** True when this redactor knows at least one secret. */
  readonly active: boolean;
}

const MASK = '***';
const MAX_DEPTH = 32;

function forms(secret: string): string[] {
  const out = new Set<string>([secret]);
  try {
    out.add(encodeURIComponent(secret));
  } catch {
    // lone surrogates cannot be URL-encoded; the raw form is still covered
  }
  out.add(JSON.stringify(secret).slice(1, -1));
  out.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  return [...out].filter((f) => f.length > 0);
}

/** A redactor for `secrets` (undefined and empty entries are ignored). */
export function createRedactor(secrets: Iterable<string | undefined | null>): Redactor {
  const all = new Set<string>();
  for (const s of secrets) if (typeof s === 'string' && s.length > 0) for (const f of forms(s)) all.add(f);
  // Longest first, so a secret that contains another is removed whole.
  const list = [...all].sort((a, b) => b.length - a.length);
  if (list.length === 0) return NO_SECRETS;

  const text = (s: string): string => {
    let out = s;
    for (const f of list) if (out.includes(f)) out = out.split(f).join(MASK);
    return out;
  };

  const walk = (v: unknown, depth: number, seen: Set<object>): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object' || depth > MAX_DEPTH || seen.has(v)) return v;
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return v;
    seen.add(v);
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i], depth + 1, seen);
        if (r !== v[i]) (copy ??= v.slice())[i] = r;
      }
      return copy ?? v;
    }
    if (v instanceof Error) return error(v);
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const before = (v as Record<string, unknown>)[k];
      const r = walk(before, depth + 1, seen);
      if (r !== before) (copy ??= { ...(v as Record<string, unknown>) })[k] = r;
    }
    return copy ?? v;
  };

  const error = <E>(e: E): E => {
    if (!(e instanceof Error)) return e;
    try {
      e.message = text(e.message);
      if (typeof e.stack === 'string') e.stack = text(e.stack);
      for (const k of Object.keys(e)) {
        const rec = e as unknown as Record<string, unknown>;
        const before = rec[k];
        const r = walk(before, 1, new Set());
        if (r !== before) rec[k] = r;
      }
      if (e.cause !== undefined && e.cause !== e) error(e.cause);
    } catch {
      // frozen or exotic errors: leave them as they are
    }
    return e;
  };

  return { text, value: <T>(v: T): T => walk(v, 0, new Set()) as T, error, active: true };
}

/** The redactor of a source that holds no secret. */
export const NO_SECRETS: Redactor = Object.freeze({
  text: (s: string) => s,
  value: <T>(v: T): T => v,
  error: <E>(e: E): E => e,
  active: false,
});
