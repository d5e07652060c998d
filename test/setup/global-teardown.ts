import { stopDovecot } from './dovecot';

export default async function globalTeardown(): Promise<void> {
  stopDovecot();
}
