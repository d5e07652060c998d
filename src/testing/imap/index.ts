/**
 * rxwire/testing IMAP: an in-process IMAP4rev1 server (`startImapServer`) for
 * tests and demos without Dovecot.
 *
 * DESIGN
 *   server.ts   net server on 127.0.0.1, generated STARTTLS certificate, test hooks
 *   session.ts  one connection: RFC 3501 state machine + IDLE/UIDPLUS/MOVE/CONDSTORE/
 *               QRESYNC/ENABLE/ESEARCH; per-session mailbox view synced with the store
 *   reader.ts   bytes → commands (literals, LITERAL+, bounded sizes)
 *   args.ts     command arguments → values;  seqset.ts, search.ts  sets and SEARCH keys
 *   mime.ts     RFC 5322/MIME → ENVELOPE, BODYSTRUCTURE, sections
 *   store.ts    the shared store (UIDs, flags, modseqs, expunge tombstones, change signal)
 *   cert.ts     a self-signed X.509 made with node:crypto (a minimal DER writer)
 */
export { startImapServer, type ImapServerOptions, type ImapTestServer } from './server';
export { selfSignedCertificate, type SelfSignedCertificate } from './cert';
