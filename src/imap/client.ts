/**
 * ImapClient: the command surface over one ImapConnection. Every method
 * returns a cold Observable (nothing is sent until you subscribe):
 * fetch* and fetchStream emit one value per message/chunk as it arrives;
 * every other command emits exactly one value (void commands emit
 * `undefined`) and completes. NO/BAD → CommandFailedError,
 * refused credentials → AuthenticationFailedError, dropped connection →
 * TransportClosedError (at once for commands issued afterwards).
 */
import type { Observable, ObservableInput } from 'rxjs';
import * as auth from './commands/auth';
import * as fetchCmd from './commands/fetch';
import * as mbox from './commands/mailbox';
import * as msg from './commands/message';
import type { SequenceSet } from './commands/fetch';
import { ImapConnection, type ConnectionOptions } from './connection';
import type { SaslMechanism } from './sasl/mechanism';
import type { SearchKey } from './search-query';

/** Options of `new ImapClient(...)`: where to connect, TLS, timeouts, logger. Credentials are never part of them. */
export interface ImapClientOptions extends ConnectionOptions {
  /**
   * 'implicit': TLS from the start (port 993). 'starttls': STARTTLS is required before login.
   * 'none': never upgrade. Default: implicit on port 993, else upgrade when the server offers STARTTLS.
   */
  readonly tls?: 'implicit' | 'starttls' | 'none';
  /** Allow LOGIN/AUTHENTICATE over an unencrypted connection. Default false. */
  readonly allowCleartextLogin?: boolean;
}

/** The IMAP command surface: every method is a cold Observable (see the file comment). */
export class ImapClient extends ImapConnection {
  private readonly security: auth.SecurityOptions;
  /** Creates a client (nothing is connected until `connect()` is subscribed). `tls` defaults to implicit on port 993. */
  constructor(options: ImapClientOptions) {
    const tls = options.tls ?? (options.port === 993 ? 'implicit' : undefined);
    super({ ...options, tls });
    this.security = { tls, allowCleartextLogin: options.allowCleartextLogin };
  }

  /** CAPABILITY: the capabilities (upper-cased), from the cache unless `refresh`; emits the list once. */
  capability(refresh = false): Observable<string[]> {
    return auth.capability(this, refresh);
  }
  /** NOOP: emits once at the OK; the server may report mailbox changes meanwhile (to `unsolicited$`). */
  noop(): Observable<void> {
    return auth.noop(this);
  }
  /** LOGOUT: emits once the server said BYE and OK, then closes the socket. */
  logout(): Observable<void> {
    return auth.logout(this);
  }
  /** STARTTLS: upgrades in place, discards anything sent in cleartext after the OK, and reads CAPABILITY again over TLS. */
  starttls(): Observable<void> {
    return auth.starttls(this);
  }
  /** LOGIN (upgrading with STARTTLS first when offered; cleartext refused unless `allowCleartextLogin`). Wrong credentials → AuthenticationFailedError. */
  login(user: string, password: string): Observable<void> {
    return auth.login(this, user, password, this.security);
  }
  /** AUTHENTICATE with a SASL mechanism (`saslPlain`, `saslXoauth2`, `saslOauthBearer`, `saslLogin` or your own); SASL-IR when offered. */
  authenticate(mechanism: SaslMechanism): Observable<void> {
    return auth.authenticate(this, mechanism, this.security);
  }
  /** ID (RFC 2971): sends `params` (or NIL) and emits the server's parameters (or null). */
  id(params: Record<string, string | null> | null = null) {
    return auth.id(this, params);
  }
  /** ENABLE (RFC 5161), e.g. `enable('QRESYNC')`: emits the extensions the server enabled. */
  enable(...extensions: string[]) {
    return auth.enable(this, ...extensions);
  }
  /** IDLE as a cold Observable: emits the server's updates while idling, sends DONE on unsubscribe (see commands/auth.ts idle). */
  idle() {
    return auth.idle(this);
  }
  /** COMPRESS=DEFLATE (RFC 4978): both directions deflated from the OK on. */
  compress() {
    return auth.compress(this);
  }
  /** NAMESPACE (RFC 2342): the personal, other users' and shared namespaces. */
  namespace() {
    return auth.namespace(this);
  }
  /** SELECT: opens a mailbox read-write; emits its MailboxInfo (EXISTS, UIDVALIDITY, UIDNEXT, flags ...). `state` becomes selected. */
  select(name: string, options?: mbox.SelectOptions) {
    return mbox.select(this, name, options);
  }
  /** EXAMINE: opens a mailbox read-only; emits its MailboxInfo. */
  examine(name: string, options?: mbox.SelectOptions) {
    return mbox.examine(this, name, options);
  }
  /** CREATE a mailbox (name in Unicode; sent in modified UTF-7). */
  create(name: string) {
    return mbox.create(this, name);
  }
  /** DELETE a mailbox. */
  delete(name: string) {
    return mbox.deleteMailbox(this, name);
  }
  /** RENAME a mailbox. */
  rename(from: string, to: string) {
    return mbox.rename(this, from, to);
  }
  /** SUBSCRIBE to a mailbox (IMAP's, not RxJS's: this returns a cold Observable like every command). */
  subscribe(name: string) {
    return mbox.subscribe(this, name);
  }
  /** UNSUBSCRIBE from a mailbox. */
  unsubscribe(name: string) {
    return mbox.unsubscribe(this, name);
  }
  /** LIST reference pattern (`*` any depth, `%` one level): emits the matching mailboxes once. */
  list(reference = '', pattern = '*') {
    return mbox.list(this, reference, pattern);
  }
  /** LSUB: like `list`, for subscribed mailboxes. */
  lsub(reference = '', pattern = '*') {
    return mbox.lsub(this, reference, pattern);
  }
  /** STATUS: emits the requested counters of a mailbox, e.g. `{ MESSAGES: 3, UIDNEXT: 9 }`. */
  status(name: string, items?: readonly string[]) {
    return mbox.status(this, name, items);
  }
  /** CHECK: a checkpoint of the selected mailbox. */
  check() {
    return mbox.check(this);
  }
  /** CLOSE: expunges \Deleted messages and leaves the mailbox (socket stays open; see close() for that). */
  closeMailbox() {
    return mbox.close(this);
  }
  /** UNSELECT (RFC 3691): leaves the mailbox without expunging. */
  unselect() {
    return mbox.unselect(this);
  }
  /** EXPUNGE: emits what was removed once: sequence numbers, or the VANISHED UIDs once QRESYNC is enabled. */
  expunge() {
    return mbox.expunge(this);
  }
  /** UID EXPUNGE (UIDPLUS): expunges only these UIDs; emits what was removed, like `expunge()`. */
  uidExpunge(uids: SequenceSet) {
    return mbox.uidExpunge(this, uids);
  }
  /** SEARCH with the typed `Search` builder: emits the matching sequence numbers (UIDs with `uid: true`), ascending. */
  search(query: SearchKey, options?: msg.SearchOptions) {
    return msg.search(this, query, options);
  }
  /** STORE set/add/remove flags: emits the FETCH answers for the messages in `set` only (none with `silent`). */
  store(set: SequenceSet, mode: 'set' | 'add' | 'remove', flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, mode, flags, options);
  }
  /** STORE FLAGS: replaces the flags of `set`. */
  setFlags(set: SequenceSet, flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, 'set', flags, options);
  }
  /** STORE +FLAGS: adds flags to `set`; emits only the messages in `set` (others go to `unsolicited$`). */
  addFlags(set: SequenceSet, flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, 'add', flags, options);
  }
  /** STORE -FLAGS: removes flags from `set`. */
  removeFlags(set: SequenceSet, flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, 'remove', flags, options);
  }
  /** COPY (UID COPY with `uid: true`): emits the COPYUID mapping (UIDPLUS) or null. */
  copy(set: SequenceSet, destination: string, options?: { uid?: boolean }) {
    return msg.copy(this, set, destination, options);
  }
  /** MOVE (RFC 6851): emits the COPYUID mapping or null. */
  move(set: SequenceSet, destination: string, options?: { uid?: boolean }) {
    return msg.move(this, set, destination, options);
  }
  /** APPEND one message (a Buffer, a string, or `{ size, stream }` streamed chunk by chunk); literal8 with `binary`. Emits APPENDUID or null. */
  append(destination: string, message: msg.AppendSource, options?: msg.AppendOptions) {
    return msg.append(this, destination, message, options);
  }
  /** Appends several messages: one atomic APPEND with MULTIAPPEND (RFC 3502), else one APPEND each. Emits APPENDUID (a UID set) or null. */
  appendMany(destination: string, messages: readonly msg.AppendMessage[]) {
    return msg.appendMany(this, destination, messages);
  }
  /** FETCH set items: one FetchMessage per message asked for, as it arrives (unrequested FETCH data goes to `unsolicited$`). */
  fetch(set: SequenceSet, items: string | readonly string[], options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetch(this, set, items, options);
  }
  /** FETCH (UID). */
  fetchUid(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchUid(this, set, options);
  }
  /** FETCH (FLAGS). */
  fetchFlags(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchFlags(this, set, options);
  }
  /** FETCH (INTERNALDATE); `parseInternalDate` turns it into a Date. */
  fetchInternalDate(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchInternalDate(this, set, options);
  }
  /** FETCH (ENVELOPE). */
  fetchEnvelope(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchEnvelope(this, set, options);
  }
  /** FETCH (BODYSTRUCTURE). */
  fetchBodyStructure(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchBodyStructure(this, set, options);
  }
  /** FETCH (BODY): the non-extensible body structure. */
  fetchSimplifiedBody(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchSimplifiedBody(this, set, options);
  }
  /** FETCH (RFC822): the whole message; sets \Seen. */
  fetchMessage(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchMessage(this, set, options);
  }
  /** FETCH (RFC822.HEADER). */
  fetchHeaders(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchHeaders(this, set, options);
  }
  /** FETCH (RFC822.TEXT). */
  fetchBody(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchBody(this, set, options);
  }
  /** FETCH (RFC822.SIZE). */
  fetchSize(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchSize(this, set, options);
  }
  /** FETCH FULL (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY). */
  fetchFull(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchFull(this, set, options);
  }
  /** FETCH ALL (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE). */
  fetchAll(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchAll(this, set, options);
  }
  /** FETCH FAST (FLAGS INTERNALDATE RFC822.SIZE). */
  fetchFast(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchFast(this, set, options);
  }
  /** FETCH BODY[section]: a part path, HEADER(.FIELDS), TEXT, MIME, partial, peek; the section is on `body`. */
  fetchSpecific(set: SequenceSet, spec: fetchCmd.SectionSpec, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchSpecific(this, set, spec, options);
  }
  /** Streams one body section per message in chunks straight off the socket (no backpressure: see fetchStreamPaced). */
  fetchStream(set: SequenceSet, spec?: fetchCmd.SectionSpec, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchStream(this, set, spec, options);
  }
  /** fetchStream with backpressure: each chunk has `ack()`; the socket stops reading while `highWaterMark` bytes are unacknowledged (`reuseChunks`: chunk memory is read into again after ack). */
  fetchStreamPaced(set: SequenceSet, spec?: fetchCmd.SectionSpec, options?: fetchCmd.PacedFetchOptions) {
    return fetchCmd.fetchStreamPaced(this, set, spec, options);
  }
  /** fetchStreamPaced consumed one chunk at a time by `consume` (acknowledged when its result ends): a slow consumer slows the socket. */
  fetchStreamThrough<R>(set: SequenceSet, spec: fetchCmd.SectionSpec, consume: (chunk: fetchCmd.BodyChunk) => ObservableInput<R>, options?: fetchCmd.PacedFetchOptions) {
    return fetchCmd.fetchStreamThrough(this, set, spec, consume, options);
  }
}
