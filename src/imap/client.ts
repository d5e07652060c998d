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

export interface ImapClientOptions extends ConnectionOptions {
  /**
   * 'implicit': TLS from the start (port 993). 'starttls': STARTTLS is required before login.
   * 'none': never upgrade. Default: implicit on port 993, else upgrade when the server offers STARTTLS.
   */
  readonly tls?: 'implicit' | 'starttls' | 'none';
  /** Allow LOGIN/AUTHENTICATE over an unencrypted connection. Default false. */
  readonly allowCleartextLogin?: boolean;
}

export class ImapClient extends ImapConnection {
  private readonly security: auth.SecurityOptions;
  constructor(options: ImapClientOptions) {
    const tls = options.tls ?? (options.port === 993 ? 'implicit' : undefined);
    super({ ...options, tls });
    this.security = { tls, allowCleartextLogin: options.allowCleartextLogin };
  }

  capability(refresh = false): Observable<string[]> {
    return auth.capability(this, refresh);
  }
  noop(): Observable<void> {
    return auth.noop(this);
  }
  logout(): Observable<void> {
    return auth.logout(this);
  }
  starttls(): Observable<void> {
    return auth.starttls(this);
  }
  login(user: string, password: string): Observable<void> {
    return auth.login(this, user, password, this.security);
  }
  authenticate(mechanism: SaslMechanism): Observable<void> {
    return auth.authenticate(this, mechanism, this.security);
  }
  id(params: Record<string, string | null> | null = null) {
    return auth.id(this, params);
  }
  enable(...extensions: string[]) {
    return auth.enable(this, ...extensions);
  }
  /** IDLE as a cold Observable: emits the server's updates while idling, sends DONE on unsubscribe (see commands/auth.ts idle). */
  idle() {
    return auth.idle(this);
  }
  compress() {
    return auth.compress(this);
  }
  namespace() {
    return auth.namespace(this);
  }
  select(name: string, options?: mbox.SelectOptions) {
    return mbox.select(this, name, options);
  }
  examine(name: string, options?: mbox.SelectOptions) {
    return mbox.examine(this, name, options);
  }
  create(name: string) {
    return mbox.create(this, name);
  }
  delete(name: string) {
    return mbox.deleteMailbox(this, name);
  }
  rename(from: string, to: string) {
    return mbox.rename(this, from, to);
  }
  subscribe(name: string) {
    return mbox.subscribe(this, name);
  }
  unsubscribe(name: string) {
    return mbox.unsubscribe(this, name);
  }
  list(reference = '', pattern = '*') {
    return mbox.list(this, reference, pattern);
  }
  lsub(reference = '', pattern = '*') {
    return mbox.lsub(this, reference, pattern);
  }
  status(name: string, items?: readonly string[]) {
    return mbox.status(this, name, items);
  }
  check() {
    return mbox.check(this);
  }
  /** CLOSE: expunges \Deleted messages and leaves the mailbox (socket stays open; see close() for that). */
  closeMailbox() {
    return mbox.close(this);
  }
  unselect() {
    return mbox.unselect(this);
  }
  expunge() {
    return mbox.expunge(this);
  }
  uidExpunge(uids: SequenceSet) {
    return mbox.uidExpunge(this, uids);
  }
  search(query: SearchKey, options?: msg.SearchOptions) {
    return msg.search(this, query, options);
  }
  store(set: SequenceSet, mode: 'set' | 'add' | 'remove', flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, mode, flags, options);
  }
  setFlags(set: SequenceSet, flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, 'set', flags, options);
  }
  addFlags(set: SequenceSet, flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, 'add', flags, options);
  }
  removeFlags(set: SequenceSet, flags: readonly string[], options?: msg.StoreOptions) {
    return msg.store(this, set, 'remove', flags, options);
  }
  copy(set: SequenceSet, destination: string, options?: { uid?: boolean }) {
    return msg.copy(this, set, destination, options);
  }
  move(set: SequenceSet, destination: string, options?: { uid?: boolean }) {
    return msg.move(this, set, destination, options);
  }
  append(destination: string, message: msg.AppendSource, options?: msg.AppendOptions) {
    return msg.append(this, destination, message, options);
  }
  appendMany(destination: string, messages: readonly msg.AppendMessage[]) {
    return msg.appendMany(this, destination, messages);
  }
  fetch(set: SequenceSet, items: string | readonly string[], options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetch(this, set, items, options);
  }
  fetchUid(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchUid(this, set, options);
  }
  fetchFlags(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchFlags(this, set, options);
  }
  fetchInternalDate(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchInternalDate(this, set, options);
  }
  fetchEnvelope(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchEnvelope(this, set, options);
  }
  fetchBodyStructure(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchBodyStructure(this, set, options);
  }
  fetchSimplifiedBody(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchSimplifiedBody(this, set, options);
  }
  fetchMessage(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchMessage(this, set, options);
  }
  fetchHeaders(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchHeaders(this, set, options);
  }
  fetchBody(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchBody(this, set, options);
  }
  fetchSize(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchSize(this, set, options);
  }
  fetchFull(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchFull(this, set, options);
  }
  fetchAll(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchAll(this, set, options);
  }
  fetchFast(set: SequenceSet, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchFast(this, set, options);
  }
  fetchSpecific(set: SequenceSet, spec: fetchCmd.SectionSpec, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchSpecific(this, set, spec, options);
  }
  fetchStream(set: SequenceSet, spec?: fetchCmd.SectionSpec, options?: fetchCmd.FetchOptions) {
    return fetchCmd.fetchStream(this, set, spec, options);
  }
  fetchStreamPaced(set: SequenceSet, spec?: fetchCmd.SectionSpec, options?: fetchCmd.PacedFetchOptions) {
    return fetchCmd.fetchStreamPaced(this, set, spec, options);
  }
  fetchStreamThrough<R>(set: SequenceSet, spec: fetchCmd.SectionSpec, consume: (chunk: fetchCmd.BodyChunk) => ObservableInput<R>, options?: fetchCmd.PacedFetchOptions) {
    return fetchCmd.fetchStreamThrough(this, set, spec, consume, options);
  }
}
