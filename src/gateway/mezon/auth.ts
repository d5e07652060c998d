/**
 * Mezon bot authentication: `POST /v2/apps/authenticate/token` with Basic
 * `clientId:apiKey` → a Session whose `token` opens the socket. We ask for
 * JSON and also read a protobuf Session if that is what comes back. One layer owns
 * retries (ky's retry is off; the socket's reconnect loop re-authenticates).
 * A 401/403 is AuthenticationFailedError (fatal); the key and the token never
 * enter an error message.
 */
import ky from 'ky';
import * as t from 'io-ts';
import { Observable } from 'rxjs';
import { AuthenticationFailedError, CommandFailedError, DecodeFailedError, TransportClosedError, redact, validate } from '../../core';
import { decodeBinary, wireMessage } from './wire';
import { Str } from './protoCodecs';

/** The Session the token endpoint returns (JSON or protobuf): `token` opens the socket. */
export const MezonSessionResponse = t.intersection(
  [t.type({ token: t.string }), t.partial({ refresh_token: Str, user_id: t.union([t.string, t.number]), api_url: Str, ws_url: Str, created: t.boolean })],
  'MezonSession',
);
/** A decoded Session. */
export type MezonSessionResponse = t.TypeOf<typeof MezonSessionResponse>;

/** A bot's credentials. */
export interface MezonCredentials {
  /** The bot's (application's) id. */
  readonly clientId: string;
  /** The bot's API key (secret). */
  readonly apiKey: string;
}

/** Options of `authenticate`. */
export interface MezonAuthOptions extends MezonCredentials {
  /** The API base URL, e.g. https://gw.mezon.ai or http://127.0.0.1:PORT. */
  readonly baseUrl: string;
  /** Request timeout in ms. Default 15 000. */
  readonly timeout?: number;
  /** The fetch implementation to use (tests, proxies). Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** A cold Observable of one Session; unsubscribing aborts the request. */
export function authenticate(options: MezonAuthOptions): Observable<MezonSessionResponse> {
  return new Observable<MezonSessionResponse>((subscriber) => {
    const abort = new AbortController();
    const secrets = [options.apiKey];
    const url = `${options.baseUrl.replace(/\/+$/, '')}/v2/apps/authenticate/token`;
    const basic = Buffer.from(`${options.clientId}:${options.apiKey}`, 'utf8').toString('base64');
    ky.post(url, {
      headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
      json: { account: { token: options.apiKey } },
      retry: 0,
      throwHttpErrors: false,
      timeout: options.timeout ?? 15_000,
      signal: abort.signal,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
      .then(async (res) => {
        const protobuf = (res.headers.get('content-type') ?? '').includes('protobuf');
        const bytes = new Uint8Array(await res.arrayBuffer());
        const text = protobuf ? '' : new TextDecoder().decode(bytes);
        if (res.status === 401 || res.status === 403) {
          throw new AuthenticationFailedError('mezon', `the token endpoint answered HTTP ${res.status}; check the bot id and API key`);
        }
        if (res.status >= 500) throw new TransportClosedError(`mezon token endpoint answered HTTP ${res.status}`);
        if (res.status >= 400) throw new CommandFailedError('mezon authenticate', `HTTP ${res.status}`, redact(text.slice(0, 200), secrets));
        let body: unknown;
        try {
          body = protobuf ? decodeBinary(wireMessage('mezon.api.Session'), bytes) : JSON.parse(text);
        } catch {
          throw new DecodeFailedError('mezon session', [protobuf ? 'body is not a protobuf Session' : 'body is not JSON'], '(omitted: it may hold a token)');
        }
        const v = validate(MezonSessionResponse, body, 'session');
        if (!v.ok) throw new DecodeFailedError('mezon session', v.errors, '(omitted: it may hold a token)');
        return v.value;
      })
      .then(
        (session) => {
          subscriber.next(session);
          subscriber.complete();
        },
        (err: unknown) => {
          if (abort.signal.aborted) return;
          if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'TypeError')) {
            subscriber.error(new TransportClosedError(`mezon token endpoint unreachable: ${redact(err.message, secrets)}`));
          } else subscriber.error(err);
        },
      );
    return () => abort.abort();
  });
}
