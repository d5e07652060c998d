/**
 * GET /gateway/bot through ky: the gateway URL, the recommended shard count
 * and `session_start_limit` (remaining identifies, reset time,
 * max_concurrency). The answer is checked with its codec; the token never
 * appears in an error (the redactor of the gateway cleans them).
 */
import * as t from 'io-ts';
import ky, { type KyInstance } from 'ky';
import { DecodeFailedError, InvalidArgumentError, validate } from '../../core';

/** The answer of GET /gateway/bot (discord-api-types `RESTGetAPIGatewayBotResult`). */
export const GatewayBotInfo = t.type({
  url: t.string,
  shards: t.number,
  session_start_limit: t.type({ total: t.number, remaining: t.number, reset_after: t.number, max_concurrency: t.number }),
});
/** The decoded answer of GET /gateway/bot. */
export type GatewayBotInfo = t.TypeOf<typeof GatewayBotInfo>;

/** Where and how to fetch GET /gateway/bot. */
export interface GatewayBotRequest {
  /** REST base, e.g. https://discord.com/api/v10 (the local gateway serves `${server.apiUrl}`). */
  readonly apiUrl?: string;
  /** The ky instance to use (retries, hooks, a proxy). Default: ky with retry 2 and a 15 s timeout. */
  readonly ky?: KyInstance;
}

/** Default REST base. */
export const DISCORD_API_URL = 'https://discord.com/api/v10';

/** Fetches GET /gateway/bot with `token`. */
export async function fetchGatewayBot(token: string, request: GatewayBotRequest = {}): Promise<GatewayBotInfo> {
  // eslint-disable-next-line no-control-regex
  if (/[^\x20-\x7e]/.test(token)) throw new InvalidArgumentError('token', 'it contains characters an HTTP header cannot carry (only printable ASCII)');
  const http = request.ky ?? ky.create({ retry: 2, timeout: 15_000 });
  const base = (request.apiUrl ?? DISCORD_API_URL).replace(/\/+$/, '');
  const body: unknown = await http.get(`${base}/gateway/bot`, { headers: { Authorization: `Bot ${token}` } }).json();
  const v = validate(GatewayBotInfo, body, 'GatewayBot');
  if (!v.ok) throw new DecodeFailedError('GET /gateway/bot', v.errors, body);
  return v.value;
}
