/** JWT-style HS256 bearer tokens for the local Mail.tm server (LexikJWT's shape). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as t from 'io-ts';

/** The claims of a local server token (HS256 JWT). */
export const MailtmTokenClaims = t.intersection([
  t.type({ iat: t.number, exp: t.number, roles: t.array(t.string), username: t.string, id: t.string }),
  /** The local server's token generation (bumped by `expireTokens()`). */
  t.partial({ epoch: t.number }),
]);
/** The type of the `MailtmTokenClaims` codec. */
export type MailtmTokenClaims = t.TypeOf<typeof MailtmTokenClaims>;

const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/** Signs `claims` into an HS256 JWT. */
export function signMailtmToken(claims: MailtmTokenClaims, secret: string): string {
  const head = b64(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const body = b64(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The result of `verifyMailtmToken`. */
export type MailtmTokenCheck = { ok: true; claims: MailtmTokenClaims } | { ok: false; message: 'Invalid JWT Token' | 'Expired JWT Token' };

/** Checks an HS256 JWT signature and expiry. */
export function verifyMailtmToken(token: string, secret: string, nowSeconds: number): MailtmTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: 'Invalid JWT Token' };
  const expected = Buffer.from(createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest('base64url'));
  const given = Buffer.from(parts[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, message: 'Invalid JWT Token' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: 'Invalid JWT Token' };
  }
  if (!MailtmTokenClaims.is(payload)) return { ok: false, message: 'Invalid JWT Token' };
  if (payload.exp <= nowSeconds) return { ok: false, message: 'Expired JWT Token' };
  return { ok: true, claims: payload };
}
