/**
 * rxwire/imap — an IMAP4rev1 client whose commands are cold Observables, and
 * the IMAP source in the shape every rxwire source has.
 *
 * DESIGN
 *   source.ts      imap(options): the source contract. events$ = the IDLE watch of one
 *                  mailbox (watch/), shared with shareSource (connects on the first
 *                  subscriber, logs out after the last), redacted; actions (run, markSeen,
 *                  addFlags, removeFlags, move, expunge) wait for Ready, complete on the
 *                  tagged OK, ActionDroppedError when a drop takes them
 *   session.ts     imapSession (alive while subscribed), withImapSession(o, fn),
 *                  openImapSession(o) → { client, close() }; a client whose session ended
 *                  refuses commands with an error saying why and what to use instead
 *   transport.ts   node:net / node:tls, STARTTLS upgrade in place, COMPRESS=DEFLATE, pause/resume;
 *                  reads land where the connection says (node's onread, handlers.readBuffer)
 *   read-pool.ts   the 256 KiB blocks reads land in: small reads copied out, big ones handed
 *                  on as views, a paced fetchStream's body (reuseChunks) lent and read into
 *                  again after ack (a 100 MB body through a slow consumer: a few blocks)
 *   tokenizer.ts   bytes → frames {tag, line, literals} (owned with parser/ by the parse side)
 *   parser/        frames → typed responses (codecs/ holds their io-ts codecs = their types)
 *   quote.ts, mutf7.ts, search-query.ts   arguments: atom/quoted/literal, CR/LF refused,
 *                  modified UTF-7 mailbox names, a typed SEARCH builder
 *   connection.ts  tags, pipelining, continuations, per-command timeouts (scheduler),
 *                  fail-fast after a drop, the RFC 9051 state (client.state), logging with
 *                  LOGIN/AUTHENTICATE arguments as ***, credentials never in options;
 *                  STARTTLS: a fresh tokenizer at the OK (cleartext after it is discarded)
 *   commands/      one file per command family, client.ts the method surface;
 *                  match.ts: a FETCH/STORE claims only the messages it named (sequence or
 *                  UID set) carrying an item it asked for; the rest goes to `unsolicited$`
 *                  (RFC 9051 §7.5.2: FETCH data may arrive at any time)
 *   sasl/          PLAIN, LOGIN, XOAUTH2, OAUTHBEARER; field separators in a field refused
 *   watch/         the pure watch machine (machine.ts), its driver (session.ts), the event
 *                  union (events.ts): Connecting{url,attempt} Connected{url} Ready Resumed
 *                  Disconnected{reason,willReconnect} Reconnecting Closed (+ deprecated ConnectionClosed)
 *
 * Commands: every method returns a cold Observable — nothing is sent before you
 * subscribe. fetch*, fetchStream and store emit one value per message/chunk as it
 * arrives; every other command emits exactly one value (`undefined` for void ones)
 * and completes. Use `lastValueFrom(client.select('INBOX'))` in async code.
 *
 *   const { events$, markSeen } = imap({ host, port: 993, auth: { user, password }, mailbox: 'INBOX' });
 *   events$.pipe(ofType('NewMessages')).subscribe((e) => ...);
 *
 *   const lease = await openImapSession({ host, port: 993, auth: { user, password } });
 *   const box = await lastValueFrom(lease.client.select('INBOX'));
 *   await lease.close();
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
/** The typed SEARCH query builder (RFC 3501 §6.4.4, RFC 7162 MODSEQ): `Search.and(Search.unseen(), Search.from('alice'))`. */
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
