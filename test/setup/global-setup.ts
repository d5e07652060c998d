// Jest global setup. The IMAP integration tests need a real Dovecot on loopback, and the
// IMAP interop tests (test/imap-interop) Cyrus IMAP as well: each is started here
// (scripts/dovecot.sh, scripts/cyrus.sh) whenever the run includes tests that need it, and
// a server that cannot start fails the run loudly instead of skipping them.
import { runNeedsCyrus, startCyrus, stopCyrus } from './cyrus';
import { runNeedsDovecot, startDovecot, stopDovecot } from './dovecot';

export default async function globalSetup(globalConfig?: unknown): Promise<void> {
  const started = await Promise.allSettled([runNeedsDovecot(globalConfig) ? startDovecot() : undefined, runNeedsCyrus(globalConfig) ? startCyrus() : undefined]);
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    // jest runs no global teardown after a failed setup: do not leave the other server behind
    await Promise.allSettled([stopCyrus(), stopDovecot()]);
    throw failed.reason;
  }
}
