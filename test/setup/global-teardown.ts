import { runNeedsDovecot, stopDovecot } from './dovecot';

export default async function globalTeardown(globalConfig?: unknown): Promise<void> {
  if (runNeedsDovecot(globalConfig)) stopDovecot();
}
