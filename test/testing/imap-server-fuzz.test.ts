/**
 * Structure-aware fuzzing of the in-process IMAP server: near-valid commands
 * (real verbs, mutated arguments, deep nesting, literal length bombs,
 * prototype-key atoms) through the live server — it must answer every one
 * (tagged BAD/NO/OK, or BYE for framing it refuses) and keep serving; and the
 * pure parsers (arguments, MIME) must never throw anything but their own error.
 */
import * as net from 'node:net';
import { Rng } from '../../fuzz/harness';
import { ArgumentSyntaxError, parseArgs } from '../../src/testing/imap/args';
import { bodyStructure, envelope, parseEntity } from '../../src/testing/imap/mime';
import { startImapServer, type ImapTestServer } from '../../src/testing/imap';

const VERBS = ['NOOP', 'CAPABILITY', 'SELECT', 'EXAMINE', 'FETCH', 'UID FETCH', 'STORE', 'UID STORE', 'SEARCH', 'UID SEARCH', 'COPY', 'MOVE', 'UID MOVE', 'LIST', 'STATUS', 'APPEND', 'CREATE', 'RENAME', 'ENABLE', 'EXPUNGE', 'UID EXPUNGE', 'CLOSE', 'UNSELECT', 'CHECK', 'ID', 'NAMESPACE', 'AUTHENTICATE'];
const PIECES = ['1', '1:*', '*', '0', '4294967296', '1,2:3', 'INBOX', '"INBOX"', '(FLAGS UID)', 'BODY[]', 'BODY.PEEK[HEADER.FIELDS (SUBJECT)]<0.5>', 'BODY[1.2.MIME]', '(\\Seen $x)', '+FLAGS', '-FLAGS.SILENT', 'RETURN (MIN)', 'CHARSET UTF-8', 'OR SEEN', 'NOT', '(CHANGEDSINCE 1 VANISHED)', '(QRESYNC (1 1))', '(UNCHANGEDSINCE 0)', 'MODSEQ 1', '__proto__', 'constructor', '""', '"\\"', '{3}', '{5+}\r\nab', '(((((', ')))', '[', ']', 'HEADER', 'X'];

function command(rng: Rng, tag: string): string {
  const parts = [tag, rng.pick(VERBS)];
  for (let i = rng.int(5); i > 0; i--) parts.push(rng.chance(0.8) ? rng.pick(PIECES) : rng.string(12, 'abcXYZ019()[]<>{}"\\*%:., +-'));
  if (rng.chance(0.05)) parts.push('('.repeat(200));
  return parts.join(' ').replace(/\r?\n/g, ' ');
}

let server: ImapTestServer;
beforeAll(async () => {
  server = await startImapServer({ maxLineLength: 2048, maxLiteralSize: 4096 });
  server.deliver('alice', 'INBOX', 'Subject: a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b--\r\n');
  server.deliver('alice', 'INBOX', 'Subject: b\r\n\r\ntwo\r\n');
});
afterAll(() => server.close());

test('300 near-valid commands each get a tagged answer and the session keeps serving', async () => {
  const rng = new Rng(0x5eed);
  const socket = net.connect(server.port, server.host);
  let buf = '';
  socket.on('data', (d: Buffer) => (buf += d.toString('latin1')));
  const waitFor = async (re: RegExp): Promise<void> => {
    const end = Date.now() + 5000;
    while (!re.test(buf)) {
      if (Date.now() > end) throw new Error(`no ${re} after:\n${buf.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  await waitFor(/^\* OK/m);
  socket.write('L LOGIN alice alicepw\r\nS SELECT INBOX\r\n');
  await waitFor(/^S OK/m);
  for (let i = 0; i < 300; i++) {
    const tag = `f${i}`;
    const line = command(rng, tag);
    // literals: the server asks for them (+) or refuses them (NO [TOOBIG]); never send the announced bytes
    socket.write(line.replace(/\{\d+\+\}/g, '{0}') + '\r\n');
    await waitFor(new RegExp(`^(${tag} (OK|NO|BAD)|\\+ |\\* BAD)`, 'm'));
    if (/^\+ /m.test(buf)) {
      // an AUTHENTICATE or literal continuation: cancel / finish it
      socket.write('*\r\n\r\n');
    }
    socket.write(`n${i} NOOP\r\n`);
    await waitFor(new RegExp(`^n${i} (OK|BAD)`, 'm'));
    buf = '';
  }
  socket.destroy();
});

test('the argument and MIME parsers only ever throw their own syntax error', () => {
  const rng = new Rng(42);
  for (let i = 0; i < 3000; i++) {
    const text = rng.chance(0.5) ? command(rng, 'a').slice(2) : rng.string(60);
    try {
      parseArgs(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ArgumentSyntaxError);
    }
    const raw = `Content-Type: ${rng.pick(['multipart/mixed; boundary=x', 'message/rfc822', 'text/plain', rng.string(20)])}\r\nFrom: ${rng.string(30)}\r\n\r\n${rng.pick(['--x\r\n', '--x--\r\n', ''])}${rng.string(40)}`;
    const e = parseEntity(raw);
    expect(typeof bodyStructure(e, true)).toBe('string');
    expect(typeof envelope(e)).toBe('string');
  }
});
