/**
 * The IMAP command suite that certifies rxwire/testing's in-process server:
 * one sequence of steps, driven through a small `SuiteClient` interface that
 * has one adapter per real client (imapflow, rxwire's ImapClient +
 * watchMailbox). `runSuite` returns normalised results (mailbox prefix,
 * UIDVALIDITY, mod-sequences, \Recent and internal dates scrubbed), which
 * imap-suite.test.ts compares between the in-process server and Dovecot.
 */
import { ImapFlow } from 'imapflow';
import { lastValueFrom, Subscription, toArray } from 'rxjs';
import { ImapClient, Search, watchMailbox, type FetchMessage, type ImapEvent } from '../../src/imap';

/** Where to connect. */
export interface SuiteTarget {
  readonly host: string;
  readonly port: number;
  readonly ca: string | Buffer;
  readonly users: Readonly<Record<string, string>>;
}

/** A normalised message summary. */
export interface Summary {
  uid: number;
  seq: number;
  flags: string[];
  size: number;
  subject: string | null;
  from: string[];
  to: string[];
  messageId: string | null;
  bodyStructure: unknown;
}

/** A change another session made, as the watching client saw it. */
export type Pushed = { kind: 'exists'; count: number } | { kind: 'flags'; uid: number | null; flags: string[] } | { kind: 'expunge'; seq: number | null; uids: number[] };

/** What the suite needs from a client. */
export interface SuiteClient {
  create(name: string): Promise<void>;
  list(): Promise<string[]>;
  append(box: string, raw: string, flags: string[], date: Date): Promise<number>;
  select(box: string): Promise<{ exists: number; uidNext: number | undefined; readWrite: boolean; flags: string[] }>;
  fetchSummaries(uids: string): Promise<Summary[]>;
  fetchSource(uid: number): Promise<string>;
  fetchHeaderFields(uid: number, fields: string[]): Promise<string>;
  addFlags(uids: string, flags: string[]): Promise<void>;
  removeFlags(uids: string, flags: string[]): Promise<void>;
  searchFlagged(): Promise<number[]>;
  searchUnseen(): Promise<number[]>;
  searchSubject(s: string): Promise<number[]>;
  searchNotFrom(s: string): Promise<number[]>;
  copy(uids: string, dest: string): Promise<string>;
  move(uids: string, dest: string): Promise<string>;
  deleteAndExpunge(uids: string): Promise<void>;
  /** SELECT (CONDSTORE), add `flag` to `uid`, then FETCH 1:* (FLAGS) (CHANGEDSINCE <highestmodseq before>): the UIDs reported. */
  changedSince(box: string, uid: number, flag: string): Promise<{ uids: number[]; modseqGrew: boolean }>;
  status(box: string): Promise<{ messages: number; uidNext: number; unseen: number }>;
  /** Starts watching `box`; `pushed` fills as changes arrive. */
  watch(box: string): Promise<{ pushed: Pushed[]; stop(): Promise<void> }>;
  close(): Promise<void>;
}

/** Opens a logged-in client. */
export type ClientFactory = (target: SuiteTarget, user: string) => Promise<SuiteClient>;

const DATE = new Date('2026-11-23T12:00:00Z');

function textMessage(subject: string, id: string, body = 'hello\r\nworld\r\n'): string {
  return `From: Alice Example <alice@example.org>\r\nTo: Bob <bob@example.org>, carol@example.org\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.org>\r\nDate: Mon, 23 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}`;
}

function multipartMessage(id: string): string {
  return [
    'From: "Carol, C." <carol@example.org>',
    'To: alice@example.org',
    'Subject: report attached',
    `Message-ID: <${id}@example.org>`,
    'Date: Tue, 24 Nov 2026 08:30:00 +0100',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="XYZ"',
    '',
    'preamble',
    '--XYZ',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'see the attachment',
    '--XYZ',
    'Content-Type: application/octet-stream; name="r.bin"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="r.bin"',
    '',
    'AAECAwQFBgc=',
    '--XYZ--',
    '',
  ].join('\r\n');
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs the suite with one client kind against one server; returns normalised results. */
export async function runSuite(factory: ClientFactory, target: SuiteTarget, prefix: string): Promise<Record<string, unknown>> {
  const [alice, other] = Object.keys(target.users);
  void other;
  const a = await factory(target, alice);
  const b = await factory(target, alice);
  const results: Record<string, unknown> = {};
  const box = `${prefix}-box`;
  const dest = `${prefix}-dest`;
  const scrub = (s: string): string => s.split(prefix).join('<P>');
  try {
    await a.create(box);
    await a.create(dest);
    await a.create(`${box}/child`);
    results.list = (await a.list()).filter((n) => n.includes(prefix)).map(scrub).sort();
    results.appendUids = [
      await a.append(box, textMessage('first', `${prefix}-1`), ['\\Seen'], DATE),
      await a.append(box, multipartMessage(`${prefix}-2`), [], DATE),
      await a.append(box, textMessage('third one', `${prefix}-3`, 'x'.repeat(3000) + '\r\n'), ['\\Flagged', '$Label'], DATE),
    ];
    results.select = await a.select(box);
    results.summaries = await a.fetchSummaries('1:*');
    results.source2 = await a.fetchSource(2);
    results.headerFields = await a.fetchHeaderFields(1, ['Subject', 'To']);
    await a.addFlags('1:2', ['\\Answered', '$Work']);
    await a.removeFlags('3', ['$Label']);
    results.flagsAfterStore = (await a.fetchSummaries('1:*')).map((m) => ({ uid: m.uid, flags: m.flags }));
    results.searchFlagged = await a.searchFlagged();
    results.searchUnseen = await a.searchUnseen();
    results.searchSubject = await a.searchSubject('THIRD');
    results.searchNotFrom = await a.searchNotFrom('carol');
    results.copy = await a.copy('1,3', dest);
    results.statusDest = await a.status(dest);

    // (marked before watching: whether a server reports a flag change that an expunge
    // soon overtakes depends on its timing, so the pushes below stay deterministic)
    await a.addFlags('2', ['\\Deleted']);
    // another session changes the mailbox while b watches it
    const watch = await b.watch(box);
    await a.append(box, textMessage('fourth', `${prefix}-4`), [], DATE);
    await until('the new message to be pushed', () => watch.pushed.some((p) => p.kind === 'exists' && p.count === 4));
    await a.addFlags('4', ['\\Flagged']);
    await until('the flag change to be pushed', () => watch.pushed.some((p) => p.kind === 'flags'));
    await a.deleteAndExpunge('2');
    await until('the expunge to be pushed', () => watch.pushed.some((p) => p.kind === 'expunge'));
    results.pushed = watch.pushed.map((p) => (p.kind === 'flags' ? { ...p, flags: [...p.flags].sort() } : p));
    await watch.stop();

    results.move = await a.move('4', dest);
    results.afterMove = (await a.fetchSummaries('1:*')).map((m) => ({ seq: m.seq, uid: m.uid }));
    results.changedSince = await a.changedSince(box, 3, '$Again');
    results.statusBox = await a.status(box);
    results.statusDestAfterMove = await a.status(dest);
  } finally {
    await a.close();
    await b.close();
  }
  return JSON.parse(JSON.stringify(results, (_k, v: unknown) => (typeof v === 'string' ? scrub(v) : v)));
}

const cleanFlags = (flags: Iterable<string>): string[] => [...flags].filter((f) => f !== '\\Recent').sort();

// ---------------------------------------------------------------- imapflow

/** The suite through imapflow. */
export const imapflowClient: ClientFactory = async (target, user) => {
  const c = new ImapFlow({ host: target.host, port: target.port, secure: false, doSTARTTLS: true, auth: { user, pass: target.users[user] }, logger: false, tls: { ca: [target.ca] } as never, verifyOnly: false });
  await c.connect();
  const addr = (list: Array<{ name?: string; address?: string }> | undefined): string[] => (list ?? []).map((x) => `${x.name ?? ''} <${x.address ?? ''}>`);
  return {
    create: async (name) => void (await c.mailboxCreate(name)),
    list: async () => (await c.list()).map((m) => m.path),
    append: async (box, raw, flags, date) => {
      const r = await c.append(box, raw, flags, date);
      return r && typeof r === 'object' ? Number(r.uid) : -1;
    },
    select: async (box) => {
      const m = await c.mailboxOpen(box);
      return { exists: m.exists, uidNext: m.uidNext, readWrite: !m.readOnly, flags: [...m.flags].sort() };
    },
    fetchSummaries: async (uids) => {
      const out: Summary[] = [];
      for await (const m of c.fetch(uids, { uid: true, flags: true, size: true, envelope: true, bodyStructure: true }, { uid: true })) {
        out.push({
          uid: m.uid,
          seq: m.seq,
          flags: cleanFlags(m.flags ?? []),
          size: m.size ?? -1,
          subject: m.envelope?.subject ?? null,
          from: addr(m.envelope?.from),
          to: addr(m.envelope?.to),
          messageId: m.envelope?.messageId ?? null,
          bodyStructure: m.bodyStructure,
        });
      }
      return out.sort((x, y) => x.uid - y.uid);
    },
    fetchSource: async (uid) => {
      const m = await c.fetchOne(String(uid), { source: true }, { uid: true });
      return m && m.source ? m.source.toString('latin1') : '';
    },
    fetchHeaderFields: async (uid, fields) => {
      const m = await c.fetchOne(String(uid), { headers: fields }, { uid: true });
      return m && m.headers ? m.headers.toString('latin1') : '';
    },
    addFlags: async (uids, flags) => void (await c.messageFlagsAdd(uids, flags, { uid: true })),
    removeFlags: async (uids, flags) => void (await c.messageFlagsRemove(uids, flags, { uid: true })),
    searchFlagged: async () => ((await c.search({ flagged: true }, { uid: true })) || []).sort(),
    searchUnseen: async () => ((await c.search({ seen: false }, { uid: true })) || []).sort(),
    searchSubject: async (s) => ((await c.search({ subject: s }, { uid: true })) || []).sort(),
    searchNotFrom: async (s) => ((await c.search({ not: { from: s } }, { uid: true })) || []).sort(),
    copy: async (uids, dest) => {
      const r = await c.messageCopy(uids, dest, { uid: true });
      return r ? [...(r.uidMap ?? new Map<number, number>())].map(([k, v]) => `${k}->${v}`).join(',') : 'none';
    },
    move: async (uids, dest) => {
      const r = await c.messageMove(uids, dest, { uid: true });
      return r ? [...(r.uidMap ?? new Map<number, number>())].map(([k, v]) => `${k}->${v}`).join(',') : 'none';
    },
    deleteAndExpunge: async (uids) => void (await c.messageDelete(uids, { uid: true })),
    changedSince: async (box, uid, flag) => {
      const m = await c.mailboxOpen(box);
      const before = BigInt(m.highestModseq ?? 0);
      await c.messageFlagsAdd(String(uid), [flag], { uid: true });
      const uids: number[] = [];
      for await (const f of c.fetch('1:*', { uid: true, flags: true }, { uid: true, changedSince: before })) uids.push(f.uid);
      const after = await c.status(box, { highestModseq: true });
      return { uids, modseqGrew: after !== false && BigInt(after.highestModseq ?? 0) > before };
    },
    status: async (box) => {
      const s = await c.status(box, { messages: true, uidNext: true, unseen: true });
      if (!s) return { messages: -1, uidNext: -1, unseen: -1 };
      return { messages: s.messages ?? -1, uidNext: s.uidNext ?? -1, unseen: s.unseen ?? -1 };
    },
    watch: async (box) => {
      await c.mailboxOpen(box);
      const pushed: Pushed[] = [];
      const onExists = (e: { count: number }): void => void pushed.push({ kind: 'exists', count: e.count });
      const onFlags = (e: { uid?: number; flags: Set<string> }): void => void pushed.push({ kind: 'flags', uid: e.uid ?? null, flags: cleanFlags(e.flags) });
      const onExpunge = (e: { seq?: number; uid?: number }): void => void pushed.push({ kind: 'expunge', seq: e.seq ?? null, uids: e.uid ? [e.uid] : [] });
      c.on('exists', onExists);
      c.on('flags', onFlags);
      c.on('expunge', onExpunge);
      void c.idle();
      return {
        pushed,
        stop: async () => {
          c.off('exists', onExists);
          c.off('flags', onFlags);
          c.off('expunge', onExpunge);
        },
      };
    },
    close: async () => {
      await c.logout().catch(() => undefined);
    },
  };
};

// ---------------------------------------------------------------- rxwire

function summary(m: FetchMessage): Summary {
  const addr = (list: ReadonlyArray<{ name: string | null; mailbox: string | null; host: string | null }> | null | undefined): string[] => (list ?? []).map((x) => `${x.name ?? ''} <${x.mailbox ?? ''}@${x.host ?? ''}>`);
  return {
    uid: m.uid ?? -1,
    seq: m.seq,
    flags: cleanFlags(m.flags ?? []),
    size: m.size ?? -1,
    subject: m.envelope?.subject ?? null,
    from: addr(m.envelope?.from),
    to: addr(m.envelope?.to),
    messageId: m.envelope?.messageId ?? null,
    bodyStructure: m.bodyStructure,
  };
}

/** The suite through rxwire's ImapClient (and watchMailbox for pushes). */
export const rxwireClient: ClientFactory = async (target, user) => {
  const options = { host: target.host, port: target.port, tlsOptions: { ca: target.ca }, commandTimeout: 15_000 };
  const c = new ImapClient(options);
  await lastValueFrom(c.connect());
  await lastValueFrom(c.login(user, target.users[user]));
  const uids = (s: string): string => s;
  return {
    create: (name) => lastValueFrom(c.create(name)),
    list: async () => (await lastValueFrom(c.list('', '*'))).map((l) => l.name),
    append: async (box, raw, flags, date) => {
      const r = await lastValueFrom(c.append(box, raw, { flags, date }));
      return r ? Number(r.uids) : -1;
    },
    select: async (box) => {
      const m = await lastValueFrom(c.select(box));
      return { exists: m.exists, uidNext: m.uidNext, readWrite: m.readWrite, flags: [...m.flags].sort() };
    },
    fetchSummaries: async (set) => (await lastValueFrom(c.fetch(uids(set), ['UID', 'FLAGS', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE'], { uid: true }).pipe(toArray()))).map(summary).sort((x, y) => x.uid - y.uid),
    fetchSource: async (uid) => {
      const [m] = await lastValueFrom(c.fetchSpecific(uid, { peek: true }, { uid: true }).pipe(toArray()));
      return m?.body ? m.body.toString('latin1') : '';
    },
    fetchHeaderFields: async (uid, fields) => {
      const [m] = await lastValueFrom(c.fetchSpecific(uid, { text: 'HEADER.FIELDS', fields, peek: true }, { uid: true }).pipe(toArray()));
      return m?.body ? m.body.toString('latin1') : '';
    },
    addFlags: async (set, flags) => void (await lastValueFrom(c.addFlags(set, flags, { uid: true }).pipe(toArray()))),
    removeFlags: async (set, flags) => void (await lastValueFrom(c.removeFlags(set, flags, { uid: true }).pipe(toArray()))),
    searchFlagged: () => lastValueFrom(c.search(Search.flagged(), { uid: true })),
    searchUnseen: () => lastValueFrom(c.search(Search.unseen(), { uid: true })),
    searchSubject: (s) => lastValueFrom(c.search(Search.subject(s), { uid: true })),
    searchNotFrom: (s) => lastValueFrom(c.search(Search.not(Search.from(s)), { uid: true })),
    copy: async (set, dest) => {
      const r = await lastValueFrom(c.copy(set, dest, { uid: true }));
      return r ? `${r.source}->${r.destination}` : 'none';
    },
    move: async (set, dest) => {
      const r = await lastValueFrom(c.move(set, dest, { uid: true }));
      return r ? `${r.source}->${r.destination}` : 'none';
    },
    deleteAndExpunge: async (set) => {
      await lastValueFrom(c.addFlags(set, ['\\Deleted'], { uid: true }).pipe(toArray()));
      await lastValueFrom(c.uidExpunge(set));
    },
    changedSince: async (box, uid, flag) => {
      const m = await lastValueFrom(c.select(box, { condstore: true }));
      const before = m.highestModseq ?? 0;
      await lastValueFrom(c.addFlags(uid, [flag], { uid: true }).pipe(toArray()));
      const changed = await lastValueFrom(c.fetch('1:*', ['UID', 'FLAGS'], { uid: true, changedSince: before }).pipe(toArray()));
      const after = await lastValueFrom(c.status(box, ['HIGHESTMODSEQ']));
      return { uids: changed.map((f) => f.uid ?? -1), modseqGrew: (after.HIGHESTMODSEQ ?? 0) > before };
    },
    status: async (box) => {
      const s = await lastValueFrom(c.status(box, ['MESSAGES', 'UIDNEXT', 'UNSEEN']));
      return { messages: s.MESSAGES ?? s.messages ?? -1, uidNext: s.UIDNEXT ?? s.uidNext ?? -1, unseen: s.UNSEEN ?? s.unseen ?? -1 };
    },
    watch: async (box) => {
      const pushed: Pushed[] = [];
      let idling = false;
      const sub: Subscription = watchMailbox({ ...options, auth: { user, password: target.users[user] } }, box).subscribe((e: ImapEvent) => {
        if (e.type === 'IdleStarted') idling = true;
        if (e.type === 'NewMessages') pushed.push({ kind: 'exists', count: e.data.count });
        if (e.type === 'FlagsChanged') pushed.push({ kind: 'flags', uid: e.data.uid, flags: cleanFlags(e.data.flags) });
        if (e.type === 'Expunged') pushed.push({ kind: 'expunge', seq: e.data.seq, uids: e.data.uids });
      });
      await until('IDLE to start', () => idling);
      return { pushed, stop: async () => sub.unsubscribe() };
    },
    close: async () => {
      await lastValueFrom(c.logout()).catch(() => undefined);
      c.close();
    },
  };
};
