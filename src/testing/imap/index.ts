export { startImapServer, type ImapServerOptions, type ImapTestServer } from './server';
export { selfSignedCertificate, type SelfSignedCertificate } from './cert';
