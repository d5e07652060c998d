import type { SaslMechanism } from './mechanism';

/** PLAIN (RFC 4616): authzid NUL user NUL password, as the initial response. */
export function plain(user: string, password: string, authzid = ''): SaslMechanism {
  const message = () => Buffer.from(`${authzid}\0${user}\0${password}`, 'utf8');
  return { name: 'PLAIN', secrets: [password], initial: message, step: message };
}
