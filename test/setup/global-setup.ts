// Jest global setup. The IMAP integration tests need a real Dovecot on loopback;
// test/setup/dovecot.ts starts it (owned by the IMAP work).
export default async function globalSetup(): Promise<void> {}
