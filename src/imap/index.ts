/**
 * rxwire/imap — an IMAP4rev1 client whose commands are cold Observables.
 *
 * DESIGN
 *   transport.ts   node:net / node:tls, STARTTLS upgrade in place, COMPRESS=DEFLATE
 *   tokenizer.ts   bytes → frames {tag, line, literals}: indexOf-based, literals across any
 *                  chunk boundary, limits → ProtocolViolationError, big literals streamed
 *   parser/        frames → typed responses (codecs/ holds their io-ts codecs = their types);
 *                  a response that does not parse becomes kind 'unknown', never an exception
 *   quote.ts, mutf7.ts, search-query.ts   arguments: atom/quoted/literal, CR/LF refused,
 *                  modified UTF-7 mailbox names, a typed SEARCH builder
 *   connection.ts  tags, pipelining, continuations, per-command timeouts (scheduler),
 *                  fail-fast after a drop; every untagged EXISTS/EXPUNGE/FETCH/VANISHED/
 *                  FLAGS/condition goes to `unsolicited$` whatever command is in flight
 *   commands/      one file per command family, client.ts the method surface
 *   session.ts     imapSession(): connect + login as one cold Observable
 *
 * Commands: every method returns a cold Observable — nothing is sent before you
 * subscribe. fetch*, fetchStream and store emit one value per message/chunk as it
 * arrives; every other command emits exactly one value (`undefined` for void ones)
 * and completes. Use `lastValueFrom(client.select('INBOX'))` in async code.
 *
 *   const client = new ImapClient({ host, port: 993 });
 *   await lastValueFrom(client.connect());
 *   await lastValueFrom(client.login(user, password));
 *   const box = await lastValueFrom(client.select('INBOX'));
 *   client.fetch('1:*', ['UID', 'ENVELOPE']).subscribe((m) => console.log(m.uid, m.envelope?.subject));
 */
export { imap, type ImapOptions, type ImapHandle } from './source';
export { imapUrl } from './url';
export { ImapClient, type ImapClientOptions } from './client';
export { ImapConnection, type ConnectionOptions, type CommandSpec, type LiteralStream, type ImapSessionState } from './connection';
export { imapSession, withImapSession, openImapSession, type SessionOptions, type ImapSessionLease } from './session';
export { nodeTransport, type ImapTransport, type TransportFactory, type TransportHandlers, type TransportOptions, type TlsOptions } from './transport';
export { Tokenizer, type Frame, type FrameSink, type TokenizerLimits } from './tokenizer';
export { parseResponse } from './parser/response';
export * from './codecs/response';
export * from './codecs/response-code';
export * from './codecs/envelope';
export * from './codecs/body-structure';
export * from './codecs/fetch';
export * from './codecs/mailbox';
export * from './codecs/value';
export { encodeMailboxName, decodeMailboxName } from './mutf7';
export { astring, quoted, mailbox, listPattern, sequenceSet, expandSet, type Part, type Literal } from './quote';
export * as Search from './search-query';
export type { SearchKey } from './search-query';
export type { SecurityOptions } from './commands/auth';
export type { SelectOptions } from './commands/mailbox';
export type { FetchOptions, SectionSpec, BodyChunk, PacedChunk, PacedFetchOptions, SequenceSet } from './commands/fetch';
export { sectionKey } from './commands/fetch';
export type { SearchOptions, StoreOptions, AppendOptions, AppendSource, AppendMessage } from './commands/message';
export type { SaslMechanism } from './sasl/mechanism';
export { plain as saslPlain } from './sasl/plain';
export { login as saslLogin } from './sasl/login';
export { xoauth2 as saslXoauth2, oauthBearer as saslOauthBearer } from './sasl/oauth';
export { ImapArgumentError, CleartextRefusedError } from './errors';

// Mailbox watching (IDLE, reconnect, catch-up): the ImapEvent stream.
export * from './watch';
