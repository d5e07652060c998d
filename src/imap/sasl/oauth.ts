import { InvalidArgumentError } from '../../core';
import type { SaslMechanism } from './mechanism';

/** ^A separates the fields of XOAUTH2 and OAUTHBEARER: inside a field it would inject another one. */
function noSeparator(mechanism: string, fields: ReadonlyArray<readonly [string, string | undefined]>): void {
  for (const [name, v] of fields) {
    if (v !== undefined && /[\x01\0]/.test(v)) throw new InvalidArgumentError(`SASL ${mechanism} ${name}`, 'contains ^A (the field separator) or NUL; nothing was sent');
  }
}

/**
 * XOAUTH2 (Google/Microsoft): `user=U^Aauth=Bearer T^A^A`. On failure the
 * server sends a JSON error as a challenge; the answer is an empty response,
 * after which the command fails with AUTHENTICATIONFAILED.
 */
export function xoauth2(user: string, accessToken: string): SaslMechanism {
  noSeparator('XOAUTH2', [
    ['user name', user],
    ['access token', accessToken],
  ]);
  return {
    name: 'XOAUTH2',
    secrets: [accessToken],
    initial: () => Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8'),
    step: () => Buffer.alloc(0),
  };
}

/** OAUTHBEARER (RFC 7628), GS2 header with the authzid, host and port. ^A/NUL in a field → InvalidArgumentError. */
export function oauthBearer(user: string, accessToken: string, host?: string, port?: number): SaslMechanism {
  noSeparator('OAUTHBEARER', [
    ['user name', user],
    ['access token', accessToken],
    ['host', host],
  ]);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new InvalidArgumentError('SASL OAUTHBEARER port', 'must be an integer 1-65535');
  const kv = [`n,a=${user.replace(/=/g, '=3D').replace(/,/g, '=2C')},`];
  const fields = [host ? `host=${host}` : '', port ? `port=${port}` : '', `auth=Bearer ${accessToken}`].filter(Boolean);
  return {
    name: 'OAUTHBEARER',
    secrets: [accessToken],
    initial: () => Buffer.from(`${kv[0]}\x01${fields.join('\x01')}\x01\x01`, 'utf8'),
    // an error challenge is answered with a lone ^A, as RFC 7628 §3.2.3 requires
    step: () => Buffer.from('\x01', 'utf8'),
  };
}
