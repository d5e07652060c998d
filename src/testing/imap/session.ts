/**
 * One IMAP connection of the in-process server: the RFC 3501 state machine
 * (not authenticated → authenticated → selected → logout) with IDLE (RFC 2177),
 * UIDPLUS (RFC 4315), MOVE (RFC 6851), CONDSTORE/QRESYNC (RFC 7162), ENABLE
 * (RFC 5161), LITERAL+ (RFC 7888), ESEARCH (RFC 4731), SASL-IR, UNSELECT,
 * NAMESPACE, ID and STARTTLS.
 *
 * Each session keeps its own view of the selected mailbox (UIDs in sequence
 * order, the flags and modseq it last reported) and brings it up to date with
 * the shared store after each command — EXISTS, RECENT, FETCH FLAGS, and
 * EXPUNGE / VANISHED except while a FETCH, STORE or SEARCH is in progress
 * (RFC 3501 §7.4.1) — and immediately while idling. Bad input gets BAD; a
 * handler error never escapes.
 */
import type { Socket } from 'node:net';
import * as tls from 'node:tls';
import { ArgumentSyntaxError, astring, atomOf, listOf, numberOf, parseArgs, type ImapArg } from './args';
import { bodyStructure, envelope, istring, parseEntity, sectionBytes, type Section } from './mime';
import { CommandReader, type ReaderLimits } from './reader';
import { parseSearch } from './search';
import { formatSet, inRanges, parseSeqSet } from './seqset';
import { normalize, type MailStore, type StoredAccount, type StoredMailbox, type StoredMessage } from './store';

/** What a session needs from its server. */
export interface SessionHost {
  readonly store: MailStore;
  readonly limits: ReaderLimits;
  readonly secureContext?: tls.SecureContext;
  readonly allowPlaintextLogin: boolean;
  /** Milliseconds to wait before handling each command of this session. */
  delayMs(session: ImapServerSession): number;
  onLogin(session: ImapServerSession): void;
  onClose(session: ImapServerSession): void;
}

interface View {
  readonly box: StoredMailbox;
  readonly readOnly: boolean;
  uids: number[];
  known: Map<number, { flags: string; modseq: number }>;
  recent: Set<number>;
  readonly listener: () => void;
}

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

class NoError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** One client connection. */
export class ImapServerSession {
  account?: StoredAccount;
  private socket: Socket;
  private readonly reader: CommandReader;
  private queue: string[] = [];
  private busy = false;
  private closed = false;
  private secure = false;
  private view?: View;
  private idleTag?: string;
  private saslTag?: string;
  private condstore = false;
  private qresync = false;
  private syncPending = false;

  constructor(
    socket: Socket,
    private readonly host: SessionHost,
  ) {
    this.socket = socket;
    this.reader = new CommandReader(host.limits, {
      command: (text) => this.enqueue(text),
      onContinue: () => this.write('+ Ready for literal data'),
      onTooBig: (partial, fatal) => {
        const tag = /^[^\s(){%*"\\\]]+/.exec(partial)?.[0];
        if (fatal) {
          this.write('* BYE [TOOBIG] Line or literal too long');
          this.end();
        } else this.write(`${tag && tag !== '+' ? tag : '*'} NO [TOOBIG] Literal too big`);
      },
    });
    this.attach(socket);
    this.write(`* OK [CAPABILITY ${this.capabilities().join(' ')}] rxwire in-process IMAP ready`);
  }

  private attach(socket: Socket): void {
    socket.on('data', (d: Buffer) => this.reader.push(d));
    socket.on('error', () => this.end());
    socket.on('close', () => this.end());
  }

  /** Capabilities for the current state. */
  capabilities(): string[] {
    const caps = ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE', 'NAMESPACE', 'UNSELECT', 'UIDPLUS', 'MOVE', 'CONDSTORE', 'QRESYNC', 'ESEARCH'];
    if (!this.account) {
      if (this.host.secureContext && !this.secure) caps.push('STARTTLS');
      if (!this.secure && !this.host.allowPlaintextLogin) caps.push('LOGINDISABLED');
      else caps.push('AUTH=PLAIN');
    }
    return caps;
  }

  /** Writes one response line (latin1) followed by CRLF. */
  write(line: string): void {
    if (this.closed) return;
    this.socket.write(Buffer.from(line + '\r\n', 'latin1'));
  }

  /** Sends BYE and closes (the `kick` hook). */
  kick(text = 'Kicked by the test'): void {
    this.write(`* BYE ${text}`);
    this.end();
  }

  /** Closes the connection. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.kill();
    this.deselect();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
    this.host.onClose(this);
  }

  private enqueue(text: string): void {
    this.queue.push(text);
    if (!this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.queue.length && !this.closed) {
      const text = this.queue.shift() as string;
      const delay = this.host.delayMs(this);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay).unref());
      if (this.closed) break;
      try {
        this.handle(text);
      } catch (e) {
        this.write(`* BAD Internal error: ${e instanceof Error ? e.message.replace(/[\r\n]/g, ' ') : 'unknown'}`);
      }
    }
    this.busy = false;
  }

  private handle(text: string): void {
    if (this.idleTag) {
      const tag = this.idleTag;
      this.idleTag = undefined;
      if (text.trim().toUpperCase() === 'DONE') {
        this.sync(true);
        this.write(`${tag} OK Idle completed`);
      } else this.write(`${tag} BAD Expected DONE`);
      return;
    }
    if (this.saslTag) {
      const tag = this.saslTag;
      this.saslTag = undefined;
      if (text === '*') return this.write(`${tag} BAD Authentication cancelled`);
      return this.saslPlain(tag, text);
    }
    const m = /^([^\s(){%*"\\\]+]+) ([A-Za-z]+)(?: (.*))?$/s.exec(text);
    if (!m) {
      const tag = /^([^\s(){%*"\\\]+]+)/.exec(text)?.[1];
      this.write(`${tag ?? '*'} BAD Syntax error`);
      return;
    }
    const [, tag, name, rest] = m;
    const cmd = name.toUpperCase();
    let args: ImapArg[];
    try {
      args = parseArgs(rest ?? '');
    } catch (e) {
      this.write(`${tag} BAD ${e instanceof Error ? e.message : 'Syntax error'}`);
      return;
    }
    try {
      this.dispatch(tag, cmd, args);
    } catch (e) {
      if (e instanceof NoError) this.write(`${tag} NO ${e.code ? `[${e.code}] ` : ''}${e.message}`);
      else if (e instanceof ArgumentSyntaxError) this.write(`${tag} BAD ${e.message}`);
      else throw e;
    }
  }

  private ok(tag: string, text: string, allowExpunge = true): void {
    this.sync(allowExpunge);
    this.write(`${tag} OK ${text}`);
  }

  private needAuth(): StoredAccount {
    if (!this.account) throw new ArgumentSyntaxError('Not authenticated');
    return this.account;
  }

  private needSelected(): View {
    this.needAuth();
    if (!this.view) throw new ArgumentSyntaxError('No mailbox selected');
    return this.view;
  }

  private mailboxArg(a: ImapArg | undefined): string {
    return normalize(astring(a, 'mailbox name'));
  }

  private dispatch(tag: string, cmd: string, args: ImapArg[]): void {
    switch (cmd) {
      case 'CAPABILITY':
        this.write(`* CAPABILITY ${this.capabilities().join(' ')}`);
        return this.ok(tag, 'Capability completed');
      case 'NOOP':
      case 'CHECK':
        if (cmd === 'CHECK') this.needSelected();
        return this.ok(tag, `${cmd === 'NOOP' ? 'NOOP' : 'Check'} completed`);
      case 'LOGOUT':
        this.write('* BYE Logging out');
        this.write(`${tag} OK Logout completed`);
        return this.end();
      case 'ID':
        this.write('* ID ("name" "rxwire-testing")');
        return this.ok(tag, 'ID completed');
      case 'STARTTLS':
        return this.starttls(tag);
      case 'LOGIN':
        return this.login(tag, astring(args[0], 'user'), astring(args[1], 'password'));
      case 'AUTHENTICATE':
        return this.authenticate(tag, args);
      case 'ENABLE':
        return this.enable(tag, args);
      case 'SELECT':
      case 'EXAMINE':
        return this.select(tag, cmd === 'EXAMINE', args);
      case 'CREATE':
        return this.create(tag, args);
      case 'DELETE':
        return this.delete(tag, args);
      case 'RENAME':
        return this.rename(tag, args);
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const box = this.needAuth().get(this.mailboxArg(args[0]));
        if (!box) throw new NoError('Mailbox does not exist', 'NONEXISTENT');
        box.subscribed = cmd === 'SUBSCRIBE';
        return this.ok(tag, `${cmd === 'SUBSCRIBE' ? 'Subscribe' : 'Unsubscribe'} completed`);
      }
      case 'LIST':
      case 'LSUB':
        return this.list(tag, cmd, args);
      case 'NAMESPACE':
        this.needAuth();
        this.write('* NAMESPACE (("" "/")) NIL NIL');
        return this.ok(tag, 'Namespace completed');
      case 'STATUS':
        return this.status(tag, args);
      case 'APPEND':
        return this.append(tag, args);
      case 'IDLE':
        this.needAuth();
        this.idleTag = tag;
        this.write('+ idling');
        this.sync(true);
        return;
      case 'CLOSE':
      case 'UNSELECT': {
        const v = this.needSelected();
        if (cmd === 'CLOSE' && !v.readOnly) v.box.expunge(new Set(v.box.messages.filter((m) => m.flags.has('\\Deleted')).map((m) => m.uid)));
        this.deselect();
        if (this.qresync) this.write('* OK [CLOSED] Previous mailbox closed');
        this.write(`${tag} OK ${cmd === 'CLOSE' ? 'Close' : 'Unselect'} completed`);
        return;
      }
      case 'EXPUNGE':
        return this.expunge(tag, undefined);
      case 'SEARCH':
        return this.search(tag, false, args);
      case 'FETCH':
        return this.fetch(tag, false, args);
      case 'STORE':
        return this.storeCmd(tag, false, args);
      case 'COPY':
      case 'MOVE':
        return this.copy(tag, false, cmd === 'MOVE', args);
      case 'UID': {
        const sub = atomOf(args[0], 'UID command').toUpperCase();
        const rest = args.slice(1);
        if (sub === 'FETCH') return this.fetch(tag, true, rest);
        if (sub === 'STORE') return this.storeCmd(tag, true, rest);
        if (sub === 'SEARCH') return this.search(tag, true, rest);
        if (sub === 'COPY' || sub === 'MOVE') return this.copy(tag, true, sub === 'MOVE', rest);
        if (sub === 'EXPUNGE') return this.expunge(tag, atomOf(rest[0], 'UID set'));
        throw new ArgumentSyntaxError(`Unknown UID command ${sub.slice(0, 20)}`);
      }
      default:
        throw new ArgumentSyntaxError(`Unknown command ${cmd.slice(0, 20)}`);
    }
  }

  // ------------------------------------------------------------ auth

  private starttls(tag: string): void {
    if (this.account) throw new ArgumentSyntaxError('Already authenticated');
    if (!this.host.secureContext || this.secure) throw new ArgumentSyntaxError('STARTTLS not available');
    this.write(`${tag} OK Begin TLS negotiation now`);
    const raw = this.socket;
    raw.removeAllListeners('data');
    this.reader.reset();
    this.queue = [];
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: this.host.secureContext });
    this.socket = secure;
    this.secure = true;
    this.attach(secure);
  }

  private login(tag: string, user: string, password: string): void {
    if (this.account) throw new ArgumentSyntaxError('Already authenticated');
    if (!this.secure && !this.host.allowPlaintextLogin) throw new NoError('Plaintext authentication disallowed on non-secure connections', 'PRIVACYREQUIRED');
    const a = this.host.store.account(user);
    if (!a || a.password !== password) throw new NoError('Authentication failed.', 'AUTHENTICATIONFAILED');
    this.account = a;
    this.host.onLogin(this);
    this.write(`${tag} OK [CAPABILITY ${this.capabilities().join(' ')}] Logged in`);
  }

  private authenticate(tag: string, args: ImapArg[]): void {
    if (this.account) throw new ArgumentSyntaxError('Already authenticated');
    const mech = atomOf(args[0], 'mechanism').toUpperCase();
    if (mech !== 'PLAIN') throw new NoError('Unsupported authentication mechanism');
    if (!this.secure && !this.host.allowPlaintextLogin) throw new NoError('Plaintext authentication disallowed on non-secure connections', 'PRIVACYREQUIRED');
    if (args[1] !== undefined) return this.saslPlain(tag, astring(args[1], 'initial response'));
    this.saslTag = tag;
    this.write('+ ');
  }

  private saslPlain(tag: string, b64: string): void {
    const decoded = Buffer.from(b64 === '=' ? '' : b64, 'base64').toString('utf8');
    const [, user, password] = decoded.split('\0');
    if (user === undefined || password === undefined) return this.write(`${tag} BAD Invalid PLAIN response`);
    try {
      this.login(tag, user, password);
    } catch (e) {
      if (e instanceof NoError) this.write(`${tag} NO ${e.code ? `[${e.code}] ` : ''}${e.message}`);
      else this.write(`${tag} BAD ${e instanceof Error ? e.message : 'error'}`);
    }
  }

  private enable(tag: string, args: ImapArg[]): void {
    this.needAuth();
    const enabled: string[] = [];
    for (const a of args) {
      const c = atomOf(a, 'capability').toUpperCase();
      if (c === 'CONDSTORE' && !this.condstore) {
        this.condstore = true;
        enabled.push('CONDSTORE');
      } else if (c === 'QRESYNC' && !this.qresync) {
        this.qresync = true;
        this.condstore = true;
        enabled.push('QRESYNC');
      }
    }
    this.write(`* ENABLED${enabled.map((e) => ' ' + e).join('')}`);
    this.ok(tag, 'Enabled');
  }

  // ------------------------------------------------------------ mailboxes

  private deselect(): void {
    if (!this.view) return;
    this.view.box.listeners.delete(this.view.listener);
    this.view = undefined;
  }

  private select(tag: string, readOnly: boolean, args: ImapArg[]): void {
    const account = this.needAuth();
    const name = this.mailboxArg(args[0]);
    let qresync: ImapArg[] | undefined;
    if (args[1] !== undefined) {
      const params = listOf(args[1], 'select parameters');
      for (let i = 0; i < params.length; i++) {
        const p = atomOf(params[i], 'select parameter').toUpperCase();
        if (p === 'CONDSTORE') this.condstore = true;
        else if (p === 'QRESYNC') {
          if (!this.qresync) throw new ArgumentSyntaxError('QRESYNC not enabled');
          qresync = listOf(params[++i], 'QRESYNC parameters');
        } else throw new ArgumentSyntaxError(`Unknown select parameter ${p.slice(0, 20)}`);
      }
    }
    const hadView = this.view !== undefined;
    this.deselect();
    if (hadView && this.qresync) this.write('* OK [CLOSED] Previous mailbox closed');
    const box = account.get(name);
    if (!box) throw new NoError('Mailbox does not exist', 'NONEXISTENT');
    const view: View = { box, readOnly, uids: [], known: new Map(), recent: new Set(), listener: () => this.changed() };
    for (const m of box.messages) {
      view.uids.push(m.uid);
      view.known.set(m.uid, { flags: this.flagsText(m, view), modseq: m.modseq });
      if (box.recent.delete(m.uid)) view.recent.add(m.uid);
    }
    for (const m of box.messages) view.known.set(m.uid, { flags: this.flagsText(m, view), modseq: m.modseq });
    box.listeners.add(view.listener);
    this.view = view;
    const userFlags = new Set<string>();
    for (const m of box.messages) for (const f of m.flags) if (!f.startsWith('\\')) userFlags.add(f);
    const flags = [...SYSTEM_FLAGS, ...userFlags].join(' ');
    this.write(`* FLAGS (${flags})`);
    this.write(`* OK [PERMANENTFLAGS (${readOnly ? '' : `${flags} \\*`})] ${readOnly ? 'Read-only mailbox' : 'Flags permitted'}`);
    this.write(`* ${view.uids.length} EXISTS`);
    this.write(`* ${view.recent.size} RECENT`);
    const firstUnseen = box.messages.findIndex((m) => !m.flags.has('\\Seen'));
    if (firstUnseen >= 0) this.write(`* OK [UNSEEN ${firstUnseen + 1}] First unseen`);
    this.write(`* OK [UIDVALIDITY ${box.uidValidity}] UIDs valid`);
    this.write(`* OK [UIDNEXT ${box.uidNext}] Predicted next UID`);
    this.write(`* OK [HIGHESTMODSEQ ${box.highestModseq}] Highest`);
    if (qresync) this.qresyncSelect(view, qresync);
    this.write(`${tag} OK [${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${readOnly ? 'Examine' : 'Select'} completed`);
  }

  private qresyncSelect(view: View, params: ImapArg[]): void {
    const validity = numberOf(params[0], 'UIDVALIDITY');
    const modseq = numberOf(params[1], 'mod-sequence');
    if (validity !== view.box.uidValidity) return;
    const known = params[2] !== undefined && !Array.isArray(params[2]) ? parseSeqSet(atomOf(params[2], 'known UIDs'), view.box.uidNext - 1) : undefined;
    const vanished = view.box.tombstones.filter((t) => t.modseq > modseq && (!known || inRanges(known, t.uid))).map((t) => t.uid);
    if (vanished.length) this.write(`* VANISHED (EARLIER) ${formatSet(vanished)}`);
    view.uids.forEach((uid, i) => {
      const m = view.box.byUid(uid);
      if (m && m.modseq > modseq) this.write(`* ${i + 1} FETCH (UID ${uid} FLAGS (${this.flagsText(m, view)}) MODSEQ (${m.modseq}))`);
    });
  }

  private create(tag: string, args: ImapArg[]): void {
    const account = this.needAuth();
    const name = this.mailboxArg(args[0]).replace(/\/$/, '');
    if (!name || account.get(name)) throw new NoError('Mailbox already exists', 'ALREADYEXISTS');
    // create missing parents (RFC 3501 §6.3.3)
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (!account.get(parent)) account.create(parent);
    }
    account.create(name);
    this.ok(tag, 'Create completed');
  }

  private delete(tag: string, args: ImapArg[]): void {
    const account = this.needAuth();
    const name = this.mailboxArg(args[0]);
    if (name === 'INBOX') throw new NoError('INBOX cannot be deleted');
    const box = account.get(name);
    if (!box) throw new NoError('Mailbox does not exist', 'NONEXISTENT');
    if (this.view?.box === box) this.deselect();
    account.mailboxes.delete(name);
    this.ok(tag, 'Delete completed');
  }

  private rename(tag: string, args: ImapArg[]): void {
    const account = this.needAuth();
    const from = this.mailboxArg(args[0]);
    const to = this.mailboxArg(args[1]);
    const box = account.get(from);
    if (!box) throw new NoError('Mailbox does not exist', 'NONEXISTENT');
    if (account.get(to)) throw new NoError('Mailbox already exists', 'ALREADYEXISTS');
    if (from === 'INBOX') {
      const moved = account.create(to);
      for (const m of box.messages) moved.append(m.raw, m.flags, m.internalDate);
      box.expunge(new Set(box.messages.map((m) => m.uid)));
      return this.ok(tag, 'Rename completed');
    }
    for (const [n, b] of [...account.mailboxes]) {
      if (n === from || n.startsWith(from + '/')) {
        account.mailboxes.delete(n);
        b.name = to + n.slice(from.length);
        account.mailboxes.set(b.name, b);
      }
    }
    this.ok(tag, 'Rename completed');
  }

  private list(tag: string, cmd: string, args: ImapArg[]): void {
    const account = this.needAuth();
    const ref = astring(args[0], 'reference');
    const pattern = astring(args[1], 'mailbox pattern');
    if (pattern === '') {
      this.write(`* ${cmd} (\\Noselect) "/" ""`);
      return this.ok(tag, `${cmd === 'LIST' ? 'List' : 'Lsub'} completed`);
    }
    const full = ref + pattern;
    const re = new RegExp(
      '^' +
        full
          .split('')
          .map((c) => (c === '*' ? '.*' : c === '%' ? '[^/]*' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
          .join('') +
        '$',
      /^inbox$/i.test(full) ? 'i' : '',
    );
    const names = [...account.mailboxes.keys()].sort((a, b) => (a === 'INBOX' ? -1 : b === 'INBOX' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    for (const n of names) {
      const box = account.mailboxes.get(n) as StoredMailbox;
      if (!re.test(n)) continue;
      if (cmd === 'LSUB' && !box.subscribed) continue;
      const children = names.some((o) => o.startsWith(n + '/'));
      const attrs = [children ? '\\HasChildren' : '\\HasNoChildren'];
      this.write(`* ${cmd} (${attrs.join(' ')}) "/" ${istring(n)}`);
    }
    this.ok(tag, `${cmd === 'LIST' ? 'List' : 'Lsub'} completed`);
  }

  private status(tag: string, args: ImapArg[]): void {
    const account = this.needAuth();
    const name = this.mailboxArg(args[0]);
    const items = listOf(args[1], 'status items').map((a) => atomOf(a, 'status item').toUpperCase());
    const box = account.get(name);
    if (!box) throw new NoError('Mailbox does not exist', 'NONEXISTENT');
    const out: string[] = [];
    for (const it of items) {
      if (it === 'MESSAGES') out.push(`MESSAGES ${box.messages.length}`);
      else if (it === 'RECENT') out.push(`RECENT ${box.recent.size}`);
      else if (it === 'UIDNEXT') out.push(`UIDNEXT ${box.uidNext}`);
      else if (it === 'UIDVALIDITY') out.push(`UIDVALIDITY ${box.uidValidity}`);
      else if (it === 'UNSEEN') out.push(`UNSEEN ${box.messages.filter((m) => !m.flags.has('\\Seen')).length}`);
      else if (it === 'HIGHESTMODSEQ') out.push(`HIGHESTMODSEQ ${box.highestModseq}`);
      else throw new ArgumentSyntaxError(`Unknown status item ${it.slice(0, 20)}`);
    }
    this.write(`* STATUS ${istring(box.name)} (${out.join(' ')})`);
    this.ok(tag, 'Status completed');
  }

  private append(tag: string, args: ImapArg[]): void {
    const account = this.needAuth();
    const name = this.mailboxArg(args[0]);
    let i = 1;
    let flags: string[] = [];
    let date = new Date();
    if (Array.isArray(args[i])) flags = listOf(args[i++], 'flags').map((f) => atomOf(f, 'flag'));
    const maybeDate = args[i];
    if (maybeDate && !Array.isArray(maybeDate) && maybeDate.kind === 'string' && !maybeDate.literal) {
      date = parseDateTime(maybeDate.value);
      i++;
    }
    const msg = args[i];
    if (!msg || Array.isArray(msg) || msg.kind !== 'string') throw new ArgumentSyntaxError('message literal expected');
    const box = account.get(name);
    if (!box) throw new NoError('Mailbox does not exist', 'TRYCREATE');
    const m = box.append(msg.value, flags.filter((f) => f !== '\\Recent'), date);
    this.ok(tag, `[APPENDUID ${box.uidValidity} ${m.uid}] Append completed`);
  }

  // ------------------------------------------------------------ selected

  private flagsText(m: StoredMessage, view: View): string {
    const f = [...m.flags];
    if (view.recent.has(m.uid)) f.push('\\Recent');
    return f.join(' ');
  }

  /** Messages of the view addressed by a set: [seq, message]. */
  private addressed(view: View, setText: string, uid: boolean): Array<[number, StoredMessage]> {
    const out: Array<[number, StoredMessage]> = [];
    if (uid) {
      const max = view.uids.length ? view.uids[view.uids.length - 1] : 0;
      const ranges = parseSeqSet(setText, max);
      view.uids.forEach((u, i) => {
        if (!inRanges(ranges, u)) return;
        const m = view.box.byUid(u);
        if (m) out.push([i + 1, m]);
      });
      return out;
    }
    const ranges = parseSeqSet(setText, view.uids.length);
    for (const [a, b] of ranges) if (b > view.uids.length || a < 1) throw new ArgumentSyntaxError('Invalid messageset');
    view.uids.forEach((u, i) => {
      if (!inRanges(ranges, i + 1)) return;
      const m = view.box.byUid(u);
      if (m) out.push([i + 1, m]);
    });
    return out;
  }

  private changed(): void {
    if (this.idleTag) this.sync(true);
    else this.syncPending = true;
  }

  /** Brings the view up to date, reporting what changed. */
  private sync(allowExpunge: boolean): void {
    const view = this.view;
    if (!view) return;
    this.syncPending = false;
    const box = view.box;
    if (allowExpunge) {
      const present = new Set(box.messages.map((m) => m.uid));
      const gone = view.uids.filter((u) => !present.has(u));
      if (gone.length) {
        if (this.qresync) {
          view.uids = view.uids.filter((u) => present.has(u));
          this.write(`* VANISHED ${formatSet(gone)}`);
        } else {
          for (let i = view.uids.length - 1; i >= 0; i--) {
            if (!present.has(view.uids[i])) {
              this.write(`* ${i + 1} EXPUNGE`);
              view.uids.splice(i, 1);
            }
          }
        }
        for (const u of gone) {
          view.known.delete(u);
          view.recent.delete(u);
        }
      }
    }
    const last = view.uids.length ? view.uids[view.uids.length - 1] : 0;
    const fresh = box.messages.filter((m) => m.uid > last);
    if (fresh.length) {
      for (const m of fresh) {
        view.uids.push(m.uid);
        if (box.recent.delete(m.uid)) view.recent.add(m.uid);
        view.known.set(m.uid, { flags: this.flagsText(m, view), modseq: m.modseq });
      }
      this.write(`* ${view.uids.length} EXISTS`);
      this.write(`* ${view.recent.size} RECENT`);
    }
    view.uids.forEach((u, i) => {
      const m = box.byUid(u);
      const k = view.known.get(u);
      if (!m || !k) return;
      const flags = this.flagsText(m, view);
      if (k.flags === flags && k.modseq === m.modseq) return;
      const flagChanged = k.flags !== flags;
      view.known.set(u, { flags, modseq: m.modseq });
      // UID is required once QRESYNC is enabled (RFC 7162 §3.2.4); Dovecot omits it otherwise
      if (flagChanged || this.condstore) this.write(`* ${i + 1} FETCH (${this.qresync ? `UID ${u} ` : ''}FLAGS (${flags})${this.condstore ? ` MODSEQ (${m.modseq})` : ''})`);
    });
  }

  private expunge(tag: string, uidSet: string | undefined): void {
    const view = this.needSelected();
    if (view.readOnly) throw new NoError('Mailbox is read-only');
    const targets = uidSet === undefined ? view.box.messages : this.addressed(view, uidSet, true).map(([, m]) => m);
    view.box.expunge(new Set(targets.filter((m) => m.flags.has('\\Deleted')).map((m) => m.uid)));
    this.ok(tag, 'Expunge completed');
  }

  private search(tag: string, uid: boolean, args: ImapArg[]): void {
    const view = this.needSelected();
    let i = 0;
    let ret: string[] | undefined;
    const first = args[0];
    if (first && !Array.isArray(first) && first.kind === 'atom' && first.value.toUpperCase() === 'RETURN') {
      ret = listOf(args[1], 'return options').map((a) => atomOf(a, 'return option').toUpperCase());
      if (ret.length === 0) ret = ['ALL'];
      i = 2;
    }
    const c = args[i];
    if (c && !Array.isArray(c) && c.kind === 'atom' && c.value.toUpperCase() === 'CHARSET') {
      const cs = astring(args[i + 1], 'charset').toUpperCase();
      if (cs !== 'UTF-8' && cs !== 'US-ASCII') throw new NoError('Unsupported charset', 'BADCHARSET (UTF-8 US-ASCII)');
      i += 2;
    }
    const maxUid = view.uids.length ? view.uids[view.uids.length - 1] : 0;
    const { pred, usesModseq } = parseSearch(args.slice(i), { maxSeq: view.uids.length, maxUid });
    if (usesModseq) this.condstore = true;
    const hits: Array<{ n: number; modseq: number }> = [];
    view.uids.forEach((u, idx) => {
      const m = view.box.byUid(u);
      if (m && pred({ seq: idx + 1, message: m, recent: view.recent.has(u) })) hits.push({ n: uid ? u : idx + 1, modseq: m.modseq });
    });
    const top = hits.reduce((a, h) => Math.max(a, h.modseq), 0);
    if (ret) {
      const parts: string[] = [];
      const nums = hits.map((h) => h.n);
      for (const r of ret) {
        if (r === 'MIN' && nums.length) parts.push(`MIN ${Math.min(...nums)}`);
        else if (r === 'MAX' && nums.length) parts.push(`MAX ${Math.max(...nums)}`);
        else if (r === 'COUNT') parts.push(`COUNT ${nums.length}`);
        else if (r === 'ALL' && nums.length) parts.push(`ALL ${formatSet(nums)}`);
        else if (!['MIN', 'MAX', 'COUNT', 'ALL'].includes(r)) throw new ArgumentSyntaxError(`Unknown return option ${r.slice(0, 20)}`);
      }
      if (usesModseq && hits.length) parts.push(`MODSEQ ${top}`);
      this.write(`* ESEARCH (TAG ${istring(tag)})${uid ? ' UID' : ''}${parts.map((p) => ' ' + p).join('')}`);
    } else {
      this.write(`* SEARCH${hits.map((h) => ' ' + h.n).join('')}${usesModseq && hits.length ? ` (MODSEQ ${top})` : ''}`);
    }
    this.ok(tag, 'Search completed', uid);
  }

  private fetch(tag: string, uid: boolean, args: ImapArg[]): void {
    const view = this.needSelected();
    const setText = atomOf(args[0], 'sequence set');
    const spec = args[1];
    let items: string[];
    if (Array.isArray(spec)) items = spec.map((a) => atomOf(a, 'fetch attribute'));
    else items = [atomOf(spec, 'fetch attribute')];
    const macro = items.length === 1 ? items[0].toUpperCase() : '';
    if (macro === 'ALL') items = ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'];
    else if (macro === 'FAST') items = ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'];
    else if (macro === 'FULL') items = ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'];
    let changedSince: number | undefined;
    let vanished = false;
    if (args[2] !== undefined) {
      const mods = listOf(args[2], 'fetch modifiers');
      for (let i = 0; i < mods.length; i++) {
        const k = atomOf(mods[i], 'fetch modifier').toUpperCase();
        if (k === 'CHANGEDSINCE') changedSince = numberOf(mods[++i], 'mod-sequence');
        else if (k === 'VANISHED') vanished = true;
        else throw new ArgumentSyntaxError(`Unknown fetch modifier ${k.slice(0, 20)}`);
      }
      if (vanished && (!uid || !this.qresync || changedSince === undefined)) throw new ArgumentSyntaxError('VANISHED needs UID FETCH, QRESYNC and CHANGEDSINCE');
    }
    const parsed = items.map(parseFetchItem);
    if (changedSince !== undefined || parsed.some((p) => p.name === 'MODSEQ')) this.condstore = true;
    if (uid && !parsed.some((p) => p.name === 'UID')) parsed.unshift({ name: 'UID', peek: true });
    if (changedSince !== undefined && !parsed.some((p) => p.name === 'MODSEQ')) parsed.push({ name: 'MODSEQ', peek: true });
    const targets = this.addressed(view, setText, uid);
    if (vanished && changedSince !== undefined) {
      const cs = changedSince;
      const maxUid = view.box.uidNext - 1;
      const ranges = parseSeqSet(setText, maxUid);
      const gone = view.box.tombstones.filter((t) => t.modseq > cs && inRanges(ranges, t.uid)).map((t) => t.uid);
      if (gone.length) this.write(`* VANISHED (EARLIER) ${formatSet(gone)}`);
    }
    for (const [seq, m] of targets) {
      if (changedSince !== undefined && m.modseq <= changedSince) continue;
      const setsSeen = !view.readOnly && parsed.some((p) => !p.peek && (p.name === 'BODY[]' || p.name === 'RFC822' || p.name === 'RFC822.TEXT'));
      let flagsChanged = false;
      if (setsSeen && !m.flags.has('\\Seen')) flagsChanged = view.box.setFlags(m, new Set([...m.flags, '\\Seen']));
      const out: string[] = [];
      const entity = parsed.some((p) => ['ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'BODY[]', 'RFC822.HEADER', 'RFC822.TEXT'].includes(p.name)) ? parseEntity(m.raw) : undefined;
      for (const p of parsed) out.push(this.fetchItem(p, m, view, entity));
      if (flagsChanged && !parsed.some((p) => p.name === 'FLAGS')) out.push(`FLAGS (${this.flagsText(m, view)})`);
      if (flagsChanged) view.known.set(m.uid, { flags: this.flagsText(m, view), modseq: m.modseq });
      this.write(`* ${seq} FETCH (${out.join(' ')})`);
    }
    this.ok(tag, 'Fetch completed', uid);
  }

  private fetchItem(p: FetchItem, m: StoredMessage, view: View, entity: ReturnType<typeof parseEntity> | undefined): string {
    switch (p.name) {
      case 'UID':
        return `UID ${m.uid}`;
      case 'FLAGS':
        return `FLAGS (${this.flagsText(m, view)})`;
      case 'INTERNALDATE':
        return `INTERNALDATE "${formatDateTime(m.internalDate)}"`;
      case 'RFC822.SIZE':
        return `RFC822.SIZE ${m.raw.length}`;
      case 'MODSEQ':
        return `MODSEQ (${m.modseq})`;
      case 'ENVELOPE':
        return `ENVELOPE ${envelope(entity as NonNullable<typeof entity>)}`;
      case 'BODYSTRUCTURE':
        return `BODYSTRUCTURE ${bodyStructure(entity as NonNullable<typeof entity>, true)}`;
      case 'BODY':
        return `BODY ${bodyStructure(entity as NonNullable<typeof entity>, false)}`;
      case 'RFC822':
        return `RFC822 ${literal(m.raw)}`;
      case 'RFC822.HEADER':
        return `RFC822.HEADER ${literal(sectionBytes(m.raw, entity as NonNullable<typeof entity>, { path: [], text: 'HEADER', fields: [] }))}`;
      case 'RFC822.TEXT':
        return `RFC822.TEXT ${literal(sectionBytes(m.raw, entity as NonNullable<typeof entity>, { path: [], text: 'TEXT', fields: [] }))}`;
      default: {
        // BODY[section]<partial>
        const section = p.section as Section;
        let bytes = sectionBytes(m.raw, entity as NonNullable<typeof entity>, section);
        let label = `BODY[${p.sectionText ?? ''}]`;
        if (p.partial) {
          bytes = bytes.slice(p.partial[0], p.partial[0] + p.partial[1]);
          label += `<${p.partial[0]}>`;
        }
        return `${label} ${literal(bytes)}`;
      }
    }
  }

  private storeCmd(tag: string, uid: boolean, args: ImapArg[]): void {
    const view = this.needSelected();
    if (view.readOnly) throw new NoError('Mailbox is read-only');
    const setText = atomOf(args[0], 'sequence set');
    let i = 1;
    let unchangedSince: number | undefined;
    if (Array.isArray(args[1])) {
      const mods = args[1];
      for (let j = 0; j < mods.length; j++) {
        const k = atomOf(mods[j], 'store modifier').toUpperCase();
        if (k === 'UNCHANGEDSINCE') unchangedSince = numberOf(mods[++j], 'mod-sequence');
        else throw new ArgumentSyntaxError(`Unknown store modifier ${k.slice(0, 20)}`);
      }
      this.condstore = true;
      i = 2;
    }
    const item = atomOf(args[i], 'store item').toUpperCase();
    const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(item);
    if (!m) throw new ArgumentSyntaxError('Invalid STORE item');
    const rest = args.slice(i + 1);
    const flagArgs = rest.length === 1 && Array.isArray(rest[0]) ? rest[0] : rest;
    const flags = flagArgs.map((f) => atomOf(f, 'flag')).filter((f) => f !== '\\Recent');
    for (const f of flags) if (f.startsWith('\\') && !SYSTEM_FLAGS.some((s) => s.toLowerCase() === f.toLowerCase())) throw new ArgumentSyntaxError(`Invalid system flag ${f.slice(0, 20)}`);
    const canon = flags.map((f) => SYSTEM_FLAGS.find((s) => s.toLowerCase() === f.toLowerCase()) ?? f);
    const silent = m[2] !== undefined;
    const targets = this.addressed(view, setText, uid);
    const modified: number[] = [];
    for (const [seq, msg] of targets) {
      if (unchangedSince !== undefined && msg.modseq > unchangedSince) {
        modified.push(uid ? msg.uid : seq);
        continue;
      }
      const next = new Set(m[1] === '' ? canon : msg.flags);
      if (m[1] === '+') for (const f of canon) next.add(f);
      if (m[1] === '-') for (const f of canon) next.delete(f);
      view.box.setFlags(msg, next);
      const text = this.flagsText(msg, view);
      view.known.set(msg.uid, { flags: text, modseq: msg.modseq });
      if (!silent || unchangedSince !== undefined) this.write(`* ${seq} FETCH (${uid || this.qresync ? `UID ${msg.uid} ` : ''}FLAGS (${text})${this.condstore ? ` MODSEQ (${msg.modseq})` : ''})`);
    }
    this.syncPending = false;
    this.ok(tag, `${modified.length ? `[MODIFIED ${formatSet(modified)}] Conditional store failed` : 'Store completed'}`, uid);
  }

  private copy(tag: string, uid: boolean, move: boolean, args: ImapArg[]): void {
    const view = this.needSelected();
    if (move && view.readOnly) throw new NoError('Mailbox is read-only');
    const targets = this.addressed(view, atomOf(args[0], 'sequence set'), uid);
    const dest = this.needAuth().get(this.mailboxArg(args[1]));
    if (!dest) throw new NoError('Mailbox does not exist', 'TRYCREATE');
    if (targets.length === 0) return this.ok(tag, `${move ? 'Move' : 'Copy'} completed`);
    const src: number[] = [];
    const dst: number[] = [];
    for (const [, m] of targets) {
      src.push(m.uid);
      dst.push(dest.append(m.raw, m.flags, m.internalDate).uid);
    }
    const code = `COPYUID ${dest.uidValidity} ${formatSet(src)} ${formatSet(dst)}`;
    if (!move) return this.ok(tag, `[${code}] Copy completed`);
    this.write(`* OK [${code}] Moved`);
    view.box.expunge(new Set(src));
    this.ok(tag, 'Move completed');
  }
}

interface FetchItem {
  name: string;
  peek: boolean;
  section?: Section;
  sectionText?: string;
  partial?: [number, number];
}

function parseFetchItem(raw: string): FetchItem {
  const up = raw.toUpperCase();
  if (['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT', 'MODSEQ'].includes(up)) {
    return { name: up, peek: up === 'RFC822.HEADER' || up === 'RFC822.SIZE' || !['RFC822', 'RFC822.TEXT'].includes(up) };
  }
  const m = /^BODY(\.PEEK)?\[([^\]]*)\](?:<(\d{1,10})\.(\d{1,10})>)?$/i.exec(raw);
  if (!m) throw new ArgumentSyntaxError(`Unknown fetch attribute ${raw.slice(0, 40)}`);
  const inner = m[2];
  const sm = /^((?:\d+\.)*\d+)?\.?(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)?(?: \(([^)]*)\))?$/i.exec(inner);
  if (!sm) throw new ArgumentSyntaxError(`Bad section ${inner.slice(0, 40)}`);
  const path = sm[1] ? sm[1].split('.').map(Number) : [];
  const text = (sm[2]?.toUpperCase() ?? '') as Section['text'];
  if ((text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') !== (sm[3] !== undefined)) throw new ArgumentSyntaxError('Bad section');
  if (text === 'MIME' && path.length === 0) throw new ArgumentSyntaxError('MIME needs a part number');
  const fields = sm[3] ? sm[3].trim().split(/\s+/).map((f) => f.replace(/^"|"$/g, '')) : [];
  const sectionText = text.startsWith('HEADER.FIELDS') ? `${sm[1] ? sm[1] + '.' : ''}${text} (${fields.map((f) => f.toUpperCase()).join(' ')})` : inner.toUpperCase();
  return {
    name: 'BODY[]',
    peek: m[1] !== undefined,
    section: { path, text, fields },
    sectionText,
    partial: m[3] !== undefined ? [Number(m[3]), Number(m[4])] : undefined,
  };
}

function literal(s: string): string {
  return `{${s.length}}\r\n${s}`;
}

/** `17-Jul-1996 02:44:25 -0700` (RFC 3501 date-time), in UTC. */
export function formatDateTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function parseDateTime(s: string): Date {
  const m = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s);
  const mon = m ? MONTHS.findIndex((x) => x.toLowerCase() === m[2].toLowerCase()) : -1;
  if (!m || mon < 0) throw new ArgumentSyntaxError('Invalid date-time');
  const off = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '+' ? 1 : -1);
  return new Date(Date.UTC(Number(m[3]), mon, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - off * 60_000);
}
