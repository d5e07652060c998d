// Jest global setup. The IMAP integration tests need a real Dovecot on loopback:
// it is started here (scripts/dovecot.sh) whenever the run includes IMAP tests, and a
// missing Dovecot fails the run loudly instead of skipping them.
import { runNeedsDovecot, startDovecot } from './dovecot';

export default async function globalSetup(globalConfig?: unknown): Promise<void> {
  if (runNeedsDovecot(globalConfig)) await startDovecot();
}
