import type { SaslMechanism } from './mechanism';

/** LOGIN (draft-murchison-sasl-login): the user name, then the password, one per challenge. */
export function login(user: string, password: string): SaslMechanism {
  let n = 0;
  return {
    name: 'LOGIN',
    secrets: [password],
    step: (challenge) => {
      const prompt = challenge.toString('utf8').toLowerCase();
      n++;
      if (prompt.startsWith('user')) return Buffer.from(user, 'utf8');
      if (prompt.startsWith('pass')) return Buffer.from(password, 'utf8');
      return Buffer.from(n === 1 ? user : password, 'utf8');
    },
  };
}
