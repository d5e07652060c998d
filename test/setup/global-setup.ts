// Jest global setup. The IMAP integration tests need a real Dovecot on loopback, and the
// IMAP interop tests (test/imap-interop) Cyrus IMAP as well: each is started here
// (scripts/dovecot.sh, scripts/cyrus.sh) whenever the run includes tests that need it, and
// a server that cannot start fails the run loudly instead of skipping them.
import { runNeedsCyrus, startCyrus, stopCyrus } from './cyrus';
import { runNeedsDovecot, startDovecot, stopDovecot } from './dovecot';

export default async function globalSetup(globalConfig?: unknown): Promise<void> {
  if (runNeedsDovecot(globalConfig)) await startDovecot();
  if (runNeedsCyrus(globalConfig)) {
    try {
      await startCyrus();
    } catch (e) {
      // jest runs no teardown after a failed setup: do not leave the Dovecot behind
      stopCyrus();
      stopDovecot();
      throw e;
    }
  }
}
