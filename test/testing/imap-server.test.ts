/**
 * The in-process IMAP server at the protocol level (raw lines over a socket):
 * test hooks, cross-session pushes, QRESYNC, ESEARCH, LITERAL+, STARTTLS and
 * robustness against bad or oversized input.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { startImapServer, type ImapTestServer } from '../../src/testing/imap';

/** A raw IMAP connection that collects response lines. */
class Raw {
  lines: string[] = [];
  private buf = '';
  closed = false;
  constructor(public socket: net.Socket) {
    this.listen(socket);
  }
  listen(s: net.Socket): void {
    s.on('data', (d: Buffer) => {
      this.buf += d.toString('latin1');
      let i: number;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 2);
      }
    });
    s.on('close', () => (this.closed = true));
    s.on('error', () => undefined);
  }
  send(text: string): void {
    this.socket.write(Buffer.from(text, 'latin1'));
  }
  /** Waits for a line matching `re` at or after index `from`; the deadline is generous (a loaded CI machine). */
  async waitFor(re: RegExp, ms = 15_000, from = 0): Promise<string> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.lines.slice(from).find((l) => re.test(l));
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`no line matching ${re} in:\n${this.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  async cmd(tag: string, text: string): Promise<string[]> {
    const from = this.lines.length;
    this.send(`${tag} ${text}\r\n`);
    await this.waitFor(new RegExp(`^${tag} (OK|NO|BAD)`), undefined, from);
    return this.lines.slice(from);
  }
  async untilClosed(ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > end) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

let server: ImapTestServer;
const open: Raw[] = [];

async function connect(user?: string): Promise<Raw> {
  const s = net.connect(server.port, server.host);
  const r = new Raw(s);
  open.push(r);
  await r.waitFor(/^\* OK/);
  if (user) await r.cmd('L', `LOGIN ${user} ${user}pw`);
  return r;
}

beforeEach(async () => {
  server = await startImapServer({ maxLineLength: 4096, maxLiteralSize: 10_000 });
});
afterEach(async () => {
  for (const r of open.splice(0)) r.socket.destroy();
  await server.close();
});

const MSG = 'Subject: hi\r\nFrom: a@b.c\r\n\r\nbody\r\n';

test('deliver() is pushed at once to a session in IDLE, then DONE ends it', async () => {
  const r = await connect('alice');
  await r.cmd('a', 'SELECT INBOX');
  r.send('b IDLE\r\n');
  await r.waitFor(/^\+ /);
  expect(server.deliver('alice', 'INBOX', MSG)).toBe(1);
  await r.waitFor(/^\* 1 EXISTS$/);
  r.send('DONE\r\n');
  await r.waitFor(/^b OK/);
});

test('sessions see each other: flags and expunges reach the other session, EXPUNGE only after a command that allows it', async () => {
  server.deliver('alice', 'INBOX', MSG);
  server.deliver('alice', 'INBOX', MSG);
  const a = await connect('alice');
  const b = await connect('alice');
  await a.cmd('a1', 'SELECT INBOX');
  await b.cmd('b1', 'SELECT INBOX');
  await a.cmd('a2', 'STORE 1 +FLAGS (\\Deleted)');
  expect(await b.cmd('b0', 'NOOP')).toContain('* 1 FETCH (FLAGS (\\Deleted))');
  await a.cmd('a3', 'EXPUNGE');
  // a FETCH on b must not renumber: no EXPUNGE during it (RFC 3501 §7.4.1)
  const during = await b.cmd('b2', 'FETCH 2 (FLAGS)');
  expect(during.some((l) => / EXPUNGE$/.test(l))).toBe(false);
  expect(during).toContain('* 2 FETCH (FLAGS ())');
  const after = await b.cmd('b3', 'NOOP');
  expect(after).toContain('* 1 EXPUNGE');
});

test('kick() sends BYE and closes; inject() writes a raw line; delay() holds answers back', async () => {
  const r = await connect('alice');
  const other = await connect('bob');
  await other.cmd('x', 'NOOP');
  expect(server.inject('alice', '* OK [ALERT] injected')).toBe(1);
  await r.waitFor(/^\* OK \[ALERT\] injected$/);
  // delay: alice's NOOP is held back while bob's is answered, and a line injected meanwhile comes first
  server.delay(60_000, 'alice');
  r.send('n NOOP\r\n');
  await other.cmd('b', 'NOOP');
  expect(r.lines.some((l) => l.startsWith('n '))).toBe(false);
  server.inject('alice', '* OK still waiting');
  await r.waitFor(/^\* OK still waiting$/);
  expect(r.lines.some((l) => l.startsWith('n '))).toBe(false);
  expect(server.kick('alice')).toBe(1);
  await r.waitFor(/^\* BYE/);
  await r.untilClosed();
  expect(other.closed).toBe(false);
});

test('QRESYNC: SELECT with a known modseq reports VANISHED (EARLIER) and changed flags', async () => {
  for (let i = 0; i < 3; i++) server.deliver('alice', 'INBOX', MSG);
  const r = await connect('alice');
  await r.cmd('e', 'ENABLE QRESYNC');
  const sel = await r.cmd('s', 'SELECT INBOX');
  const validity = /UIDVALIDITY (\d+)/.exec(sel.join('\n'))?.[1];
  const modseq = Number(/HIGHESTMODSEQ (\d+)/.exec(sel.join('\n'))?.[1]);
  await r.cmd('f', 'UID STORE 2 +FLAGS (\\Deleted)');
  const ex = await r.cmd('x', 'UID EXPUNGE 2');
  expect(ex).toContain('* VANISHED 2');
  await r.cmd('t', 'UID STORE 3 +FLAGS (\\Seen)');
  await r.cmd('u', 'UNSELECT');
  const re = await r.cmd('s2', `SELECT INBOX (QRESYNC (${validity} ${modseq} 1:3))`);
  expect(re).toContain('* VANISHED (EARLIER) 2');
  expect(re.some((l) => /^\* 2 FETCH \(UID 3 FLAGS \(\\Seen\) MODSEQ \(\d+\)\)$/.test(l))).toBe(true);
});

test('ESEARCH, LITERAL+ APPEND with APPENDUID, MOVE with COPYUID', async () => {
  const r = await connect('alice');
  const app = await r.cmd('a', `APPEND INBOX (\\Seen) {${MSG.length}+}\r\n${MSG}`);
  expect(app.at(-1)).toMatch(/^a OK \[APPENDUID \d+ 1\]/);
  await r.cmd('c', 'CREATE Archive');
  await r.cmd('s', 'SELECT INBOX');
  const es = await r.cmd('e', 'UID SEARCH RETURN (MIN COUNT) SEEN');
  expect(es).toContain('* ESEARCH (TAG "e") UID MIN 1 COUNT 1');
  const mv = await r.cmd('m', 'UID MOVE 1 Archive');
  expect(mv.some((l) => /^\* OK \[COPYUID \d+ 1 1\]/.test(l))).toBe(true);
  expect(mv).toContain('* 1 EXPUNGE');
});

test('bad input gets BAD and the session goes on', async () => {
  const r = await connect();
  for (const bad of ['', 'x', 'a FROB', 'a LOGIN', 'b LOGIN "unterminated', 'c FETCH 1 (FLAGS)', 'd LOGIN ((((a', 'e UID', 'f SELECT INBOX']) {
    r.send(bad + '\r\n');
  }
  await r.waitFor(/^f BAD/);
  expect(r.lines.filter((l) => / BAD /.test(l)).length).toBeGreaterThanOrEqual(8);
  await r.cmd('g', 'LOGIN alice alicepw');
  const sel = await r.cmd('h', 'FETCH 1:* (FLAGS)');
  expect(sel.at(-1)).toMatch(/^h BAD/);
  const wrong = await r.cmd('i', 'SELECT INBOX');
  expect(wrong.at(-1)).toMatch(/^i OK/);
  expect((await r.cmd('j', 'FETCH 5 (FLAGS)')).at(-1)).toMatch(/^j BAD/);
  expect((await r.cmd('k', 'FETCH 1 (BODY[HEADER.FIELDS])')).at(-1)).toMatch(/^k BAD/);
});

test('sizes are bounded: a too-big synchronising literal gets NO [TOOBIG], an overlong line gets BYE', async () => {
  const r = await connect('alice');
  const lit = await r.cmd('a', 'APPEND INBOX {20000}');
  expect(lit.at(-1)).toBe('a NO [TOOBIG] Literal too big');
  expect(lit.some((l) => l.startsWith('+'))).toBe(false);
  expect((await r.cmd('b', 'NOOP')).at(-1)).toMatch(/^b OK/);
  r.send('c ' + 'x'.repeat(5000));
  await r.waitFor(/^\* BYE \[TOOBIG\]/);
  await r.untilClosed();
  const r2 = await connect('alice');
  r2.send('a APPEND INBOX {20000+}\r\n');
  await r2.waitFor(/^\* BYE \[TOOBIG\]/);
  await r2.untilClosed();
});

test('STARTTLS with the generated certificate, which the client verifies', async () => {
  const r = await connect();
  const caps = await r.cmd('c', 'CAPABILITY');
  expect(caps[0]).toContain('STARTTLS');
  await r.cmd('t', 'STARTTLS');
  const secure = tls.connect({ socket: r.socket, ca: server.ca, servername: 'localhost' });
  await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
  expect(secure.authorized).toBe(true);
  const s = new Raw(secure as unknown as net.Socket);
  const after = await s.cmd('c2', 'CAPABILITY');
  expect(after[0]).not.toContain('STARTTLS');
  expect((await s.cmd('l', 'LOGIN alice alicepw')).at(-1)).toMatch(/^l OK/);
  secure.destroy();
});

test('allowPlaintextLogin: false advertises LOGINDISABLED and refuses LOGIN before TLS', async () => {
  await server.close();
  server = await startImapServer({ allowPlaintextLogin: false });
  const r = await connect();
  expect((await r.cmd('c', 'CAPABILITY'))[0]).toContain('LOGINDISABLED');
  expect((await r.cmd('l', 'LOGIN alice alicepw')).at(-1)).toMatch(/^l NO \[PRIVACYREQUIRED\]/);
});

test('AUTHENTICATE PLAIN, with SASL-IR and with a continuation; a wrong password is NO [AUTHENTICATIONFAILED]', async () => {
  const plain = (u: string, p: string): string => Buffer.from(`\0${u}\0${p}`).toString('base64');
  const a = await connect();
  expect((await a.cmd('a', `AUTHENTICATE PLAIN ${plain('alice', 'alicepw')}`)).at(-1)).toMatch(/^a OK/);
  const b = await connect();
  b.send('b AUTHENTICATE PLAIN\r\n');
  await b.waitFor(/^\+ ?$/);
  b.send(plain('bob', 'wrong') + '\r\n');
  expect(await b.waitFor(/^b /)).toMatch(/^b NO \[AUTHENTICATIONFAILED\]/);
});

test('CONDSTORE: MODSEQ in FETCH, STORE UNCHANGEDSINCE answers [MODIFIED], UID FETCH CHANGEDSINCE … VANISHED', async () => {
  for (let i = 0; i < 3; i++) server.deliver('alice', 'INBOX', MSG);
  const r = await connect('alice');
  await r.cmd('e', 'ENABLE QRESYNC');
  const sel = await r.cmd('s', 'SELECT INBOX');
  const start = Number(/HIGHESTMODSEQ (\d+)/.exec(sel.join('\n'))?.[1]);
  const f = await r.cmd('f', 'FETCH 2 (MODSEQ)');
  const m2 = Number(/MODSEQ \((\d+)\)/.exec(f.join('\n'))?.[1]);
  expect(m2).toBeGreaterThan(0);
  await r.cmd('a', 'UID STORE 1 +FLAGS (\\Seen)');
  const cond = await r.cmd('c', `UID STORE 1:2 (UNCHANGEDSINCE ${m2}) +FLAGS (\\Flagged)`);
  expect(cond.at(-1)).toMatch(/^c OK \[MODIFIED 1\]/);
  expect(cond.some((l) => /^\* 2 FETCH \(UID 2 FLAGS \(\\Flagged( \\Recent)?\) MODSEQ/.test(l))).toBe(true);
  await r.cmd('d', 'UID STORE 3 +FLAGS (\\Deleted)');
  await r.cmd('x', 'UID EXPUNGE 3');
  const changed = await r.cmd('g', `UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${start} VANISHED)`);
  expect(changed).toContain('* VANISHED (EARLIER) 3');
  expect(changed.filter((l) => / FETCH /.test(l)).map((l) => /UID (\d+)/.exec(l)?.[1])).toEqual(['1', '2']);
});
