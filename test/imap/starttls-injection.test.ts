/**
 * #19, STARTTLS injection (the CVE-2011-0411 class): a hostile server (or a
 * man in the middle) on loopback sends bytes in cleartext right after
 * `OK Begin TLS`, in the same segment. None of them may be processed after
 * the upgrade: not as complete lines, not glued to the first protected line,
 * not as a literal announcement swallowing protected bytes; CAPABILITY is read
 * again over TLS.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { lastValueFrom } from 'rxjs';
import { ImapClient, type UntaggedResponse } from '../../src/imap';
import { ca } from './helpers';

interface Hostile {
  readonly port: number;
  readonly protectedLines: string[];
  close(): Promise<void>;
}

function lines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let buf = '';
  return (chunk) => {
    buf += chunk.toString('latin1');
    let i: number;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 2);
    }
  };
}

function hostileServer(injected: string): Promise<Hostile> {
  const dir = process.env.RXWIRE_DOVECOT_DIR ?? '';
  const key = fs.readFileSync(path.join(dir, 'tls', 'key.pem'));
  const cert = ca();
  const protectedLines: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.write('* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hostile ready\r\n');
    const onPlain = lines((line) => {
      const [tag, cmd] = line.split(' ');
      if (cmd?.toUpperCase() !== 'STARTTLS') return socket.write(`${tag} BAD only STARTTLS here\r\n`);
      socket.off('data', onPlain);
      // the OK and the injection in one write: they reach the client in one segment
      socket.write(`${tag} OK Begin TLS negotiation now\r\n${injected}`);
      const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
      sockets.add(secure);
      secure.on('error', () => undefined);
      secure.on(
        'data',
        lines((l) => {
          protectedLines.push(l);
          const [t, c] = l.split(' ');
          const verb = c?.toUpperCase();
          if (verb === 'CAPABILITY') secure.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${t} OK capability done\r\n`);
          else if (verb === 'NOOP') secure.write(`${t} OK noop done\r\n`);
          else secure.write(`${t} BAD unexpected\r\n`);
        }),
      );
    });
    socket.on('data', onPlain);
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        port,
        protectedLines,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

const CASES: ReadonlyArray<[string, string]> = [
  ['complete lines', '* OK [ALERT] injected alert\r\n* CAPABILITY IMAP4rev1 INJECTED AUTH=LOGIN\r\n* 1 EXISTS\r\n'],
  ['a partial line (would be glued to the first protected line)', '* OK [ALERT] glued to the real answer: '],
  ['a literal announcement (would swallow protected bytes)', '* 1 FETCH (BODY[] {40}\r\n'],
  ['lines, then a literal, then a partial line', '* OK [ALERT] one\r\n* 2 FETCH (BODY[] {4}\r\nabcd)\r\n* OK [ALERT] part'],
];

describe('STARTTLS injection against a hostile server on loopback', () => {
  it.each(CASES)('discards %s sent in cleartext after OK Begin TLS, and reads CAPABILITY again over TLS', async (_what, injected) => {
    const server = await hostileServer(injected);
    const c = new ImapClient({ host: '127.0.0.1', port: server.port, tls: 'starttls', tlsOptions: { ca: ca() }, commandTimeout: 10_000 });
    const seen: UntaggedResponse[] = [];
    c.untagged$.subscribe((r) => seen.push(r));
    try {
      await lastValueFrom(c.connect());
      await lastValueFrom(c.starttls());
      expect(c.secure).toBe(true);
      expect([...c.capabilities].sort()).toEqual(['AUTH=PLAIN', 'IMAP4REV1']);
      await lastValueFrom(c.noop());
      expect(server.protectedLines.map((l) => l.split(' ').slice(1).join(' '))).toEqual(['CAPABILITY', 'NOOP']);
      expect(seen.map((r) => r.kind)).toEqual(['capability']);
      expect(JSON.stringify(seen)).not.toMatch(/INJECTED|ALERT|glued/);
    } finally {
      c.close();
      await server.close();
    }
  });
});
