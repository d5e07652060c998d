/**
 * The mail store shared by every session of one in-process IMAP server:
 * users → mailboxes → messages, with UIDs, flags and CONDSTORE mod-sequences
 * (RFC 7162), expunge tombstones for QRESYNC, and a change signal that sessions
 * subscribe to so that each one sees the others' changes.
 */

/** One stored message. */
export interface StoredMessage {
  readonly uid: number;
  flags: Set<string>;
  modseq: number;
  readonly internalDate: Date;
  /** The message as latin1 (one char per byte). */
  readonly raw: string;
}

/** One mailbox. */
export class StoredMailbox {
  messages: StoredMessage[] = [];
  uidNext = 1;
  highestModseq = 1;
  /** Expunged UIDs with the mod-sequence of their expunge (QRESYNC VANISHED). */
  readonly tombstones: Array<{ uid: number; modseq: number }> = [];
  readonly listeners = new Set<() => void>();
  subscribed = false;
  /** UIDs that are \Recent for the first session to select the mailbox. */
  recent = new Set<number>();

  constructor(
    public name: string,
    public readonly uidValidity: number,
  ) {}

  /** Appends a message; returns it. */
  append(raw: string, flags: Iterable<string>, internalDate: Date): StoredMessage {
    const m: StoredMessage = { uid: this.uidNext++, flags: new Set(flags), modseq: ++this.highestModseq, internalDate, raw };
    this.messages.push(m);
    this.recent.add(m.uid);
    this.changed();
    return m;
  }

  /** Changes flags; returns whether they changed (and bumps the modseq then). */
  setFlags(m: StoredMessage, flags: Set<string>): boolean {
    const same = flags.size === m.flags.size && [...flags].every((f) => m.flags.has(f));
    if (same) return false;
    m.flags = flags;
    m.modseq = ++this.highestModseq;
    this.changed();
    return true;
  }

  /** Removes messages by UID. */
  expunge(uids: ReadonlySet<number>): void {
    if (uids.size === 0) return;
    const modseq = ++this.highestModseq;
    this.messages = this.messages.filter((m) => {
      if (!uids.has(m.uid)) return true;
      this.tombstones.push({ uid: m.uid, modseq });
      return false;
    });
    this.changed();
  }

  byUid(uid: number): StoredMessage | undefined {
    // messages are sorted by uid
    let lo = 0;
    let hi = this.messages.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.messages[mid].uid;
      if (u === uid) return this.messages[mid];
      if (u < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

let validityCounter = Math.floor(Date.now() / 1000) % 1_000_000_000;

/** A user's account. */
export class StoredAccount {
  readonly mailboxes = new Map<string, StoredMailbox>();
  constructor(public readonly user: string, public password: string) {
    this.create('INBOX');
  }

  /** Finds a mailbox (INBOX case-insensitively). */
  get(name: string): StoredMailbox | undefined {
    return this.mailboxes.get(normalize(name));
  }

  create(name: string): StoredMailbox {
    const n = normalize(name);
    const box = new StoredMailbox(n, ++validityCounter);
    this.mailboxes.set(n, box);
    return box;
  }
}

/** INBOX is case-insensitive (RFC 3501 §5.1). */
export function normalize(name: string): string {
  if (name.toUpperCase() === 'INBOX') return 'INBOX';
  if (name.toUpperCase().startsWith('INBOX/')) return 'INBOX' + name.slice(5);
  return name;
}

/** All accounts of a server. */
export class MailStore {
  readonly accounts = new Map<string, StoredAccount>();
  account(user: string): StoredAccount | undefined {
    return this.accounts.get(user);
  }
  addUser(user: string, password: string): StoredAccount {
    const a = new StoredAccount(user, password);
    this.accounts.set(user, a);
    return a;
  }
}
