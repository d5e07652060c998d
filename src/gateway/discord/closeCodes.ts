/**
 * What each gateway close code means for the session (docs: opcodes and
 * status codes; behaviour cross-checked with @discordjs/ws):
 * - resume: 4000 unknown error, 4001 unknown opcode, 4002 decode error,
 *   4008 rate limited, and any code Discord does not define (1005 no status,
 *   1006 dropped, our own 4200) — reconnect and RESUME when a session exists.
 * - new session: 4003 not authenticated, 4005 already authenticated,
 *   4007 invalid seq, 4009 session timed out, and 1000/1001 from the server
 *   (a normal close invalidates the session) — reconnect and IDENTIFY.
 * - fatal: 4004, 4010–4014 — the stream errors with a FatalCloseError.
 */
export type CloseDecision =
  | { readonly kind: 'resume' }
  | { readonly kind: 'new-session' }
  | { readonly kind: 'fatal'; readonly meaning: string; readonly advice: string };

const FATAL: Readonly<Record<number, readonly [meaning: string, advice: string]>> = {
  4004: ['authentication failed', 'the bot token was refused; check the token you configured (it is not shown here). rxwire will not reconnect with it'],
  4010: ['invalid shard', 'the shard id must be below the shard count; check the shard settings'],
  4011: ['sharding required', 'this bot is in too many guilds for one connection; run more shards (see GET /gateway/bot)'],
  4012: ['invalid API version', 'connect with gateway version 10'],
  4013: ['invalid intents', 'the intents bitfield is not valid; check the intents you configured'],
  4014: ['disallowed intents', 'a privileged intent is not enabled for this application; enable it in the Developer Portal or remove it'],
};

const NEW_SESSION = new Set([1000, 1001, 4003, 4005, 4007, 4009]);

/** What a close with `code` means for the session: resume, new session, or fatal (with advice). */
export function closeDecision(code: number): CloseDecision {
  const fatal = FATAL[code];
  if (fatal) return { kind: 'fatal', meaning: fatal[0], advice: fatal[1] };
  if (NEW_SESSION.has(code)) return { kind: 'new-session' };
  return { kind: 'resume' };
}

/** The code rxwire closes with when it wants to resume (zombie, op 7, op 9 true): not 1000/1001. */
export const RESUME_CLOSE_CODE = 4200;
