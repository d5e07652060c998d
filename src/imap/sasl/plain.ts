import { InvalidArgumentError } from '../../core';
import type { SaslMechanism } from './mechanism';

/**
 * PLAIN (RFC 4616): authzid NUL user NUL password, as the initial response.
 * A NUL inside any field would shift the fields (log in as someone else):
 * refused with InvalidArgumentError before anything is written.
 */
export function plain(user: string, password: string, authzid = ''): SaslMechanism {
  for (const [name, v] of [['user name', user], ['password', password], ['authorization id', authzid]] as const) {
    if (v.includes('\0')) throw new InvalidArgumentError(`SASL PLAIN ${name}`, 'contains NUL, the PLAIN field separator; nothing was sent');
  }
  const message = () => Buffer.from(`${authzid}\0${user}\0${password}`, 'utf8');
  return { name: 'PLAIN', secrets: [password], initial: message, step: message };
}
