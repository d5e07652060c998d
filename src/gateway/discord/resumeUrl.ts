/**
 * Which `resume_gateway_url` a session may follow. The RESUME carries the
 * token, so a READY (from a poisoned or broken server) must not be able to
 * send it anywhere: only a `wss://` URL, or one with the same scheme and host
 * as the configured gateway URL (local tests: `ws://127.0.0.1:…`), is
 * accepted. Anything else (including URLs that do not parse) is refused, and
 * the session resumes on the configured URL instead.
 */
export function acceptResumeUrl(offered: string, configured: string): string | undefined {
  let u: URL;
  try {
    u = new URL(offered);
  } catch {
    return undefined;
  }
  if (u.username !== '' || u.password !== '') return undefined;
  if (u.protocol === 'wss:') return offered;
  let c: URL;
  try {
    c = new URL(configured);
  } catch {
    return undefined;
  }
  return u.protocol === c.protocol && u.hostname === c.hostname ? offered : undefined;
}
