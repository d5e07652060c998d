/**
 * The source contract for IMAP (#11), against the Dovecot of the jest global
 * setup: `imap(options)` with a shared `events$`, connectionState() through a
 * server-side kill and a stop, two subscribers on one connection, a
 * resubscribe reconnecting, actions that wait for Ready and error with
 * ActionDroppedError on a drop, the logger, and redaction of a secret a server echoes.
 */
import { execFileSync } from 'node:child_process';
import * as net from 'node:net';
import { filter, firstValueFrom, lastValueFrom, NEVER, ReplaySubject, Subject, take, timeout, toArray, type Observable } from 'rxjs';
import { ActionDroppedError, connectionState, type ConnectionState } from '../../src/core';
import { imap, type ImapEvent, type ImapOptions } from '../../src/imap';
import { ca, host, loggedIn, message, port, uniqueName, users } from '../imap/helpers';

const USER = 'bob';
const fast = { backoff: { initialDelay: 50, maxDelay: 200, jitter: 'none' as const } };

function options(mailbox: string, extra: Partial<ImapOptions> = {}): ImapOptions {
  return { host, port, tlsOptions: { ca: ca() }, commandTimeout: 20_000, auth: { user: USER, password: users()[USER] }, mailbox, ...fast, ...extra };
}

/** Dovecot imap processes of USER in IDLE (the watch connections). */
function idleSessions(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  const pids: number[] = [];
  for (const line of out.split('\n')) {
    if (!line.includes(`-${port}/imap [${USER} `) || !/IDLE\]/.test(line)) continue;
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (pid > 0) pids.push(pid);
  }
  return pids;
}

function next<T extends ImapEvent['type']>(events: Observable<ImapEvent>, type: T): Promise<Extract<ImapEvent, { type: T }>> {
  return firstValueFrom(
    events.pipe(
      filter((e): e is Extract<ImapEvent, { type: T }> => e.type === type),
      timeout(15_000),
    ),
  );
}

async function newBox(): Promise<string> {
  const c = await loggedIn(USER);
  const box = uniqueName('contract');
  await lastValueFrom(c.create(box));
  await lastValueFrom(c.logout());
  return box;
}

describe('imap(): the source contract against Dovecot', () => {
  it('connectionState: connecting → connected → ready → disconnected → reconnecting → connecting → connected → ready (resumed) → closed', async () => {
    const box = await newBox();
    const stop$ = new Subject<void>();
    const source = imap(options(box, { stop$ }));
    const events = new ReplaySubject<ImapEvent>();
    const states = new ReplaySubject<ConnectionState>();
    source.events$.subscribe(events);
    events.pipe(connectionState()).subscribe(states);
    const connecting = await next(events, 'Connecting');
    expect(connecting.data).toMatchObject({ url: `imap://${host}:${port}`, attempt: 1 });
    expect((await next(events, 'Connected')).data.url).toBe(`imap://${host}:${port}`);
    await next(events, 'Ready');
    const pids = idleSessions();
    expect(pids).toHaveLength(1);
    process.kill(pids[0], 'SIGKILL');
    const disconnected = await next(events, 'Disconnected');
    expect(disconnected.data.willReconnect).toBe(true);
    await next(events, 'Resumed');
    stop$.next();
    const all = await lastValueFrom(events.pipe(timeout(15_000), toArray()));
    expect(all.filter((e) => e.type === 'Closed')).toHaveLength(1);
    expect(all[all.length - 1].type).toBe('ConnectionClosed'); // deprecated, right after Closed
    states.complete();
    const seen = await lastValueFrom(states.pipe(toArray()));
    expect(seen.map((s) => s.status)).toEqual(['connecting', 'connected', 'ready', 'disconnected', 'reconnecting', 'connecting', 'connected', 'ready', 'closed']);
    expect(seen[7].resumed).toBe(true);
  });

  it('two subscribers share one connection; after both leave, a new subscriber connects anew', async () => {
    const box = await newBox();
    const source = imap(options(box));
    const a = new ReplaySubject<ImapEvent>();
    const b = new ReplaySubject<ImapEvent>();
    const subA = source.events$.subscribe(a);
    const subB = source.events$.subscribe(b);
    const readyA = await next(a, 'Ready');
    const readyB = await next(b, 'Ready');
    expect(readyB).toBe(readyA); // the same event object: one connection, shared
    expect(idleSessions()).toHaveLength(1);
    subA.unsubscribe();
    subB.unsubscribe();
    const again = new ReplaySubject<ImapEvent>();
    const subC = source.events$.subscribe(again);
    const connecting = await next(again, 'Connecting');
    expect(connecting.data.attempt).toBe(1);
    expect(await next(again, 'Ready')).not.toBe(readyA);
    subC.unsubscribe();
  });

  it('actions wait for Ready, complete on the tagged OK, and error with ActionDroppedError when the connection drops under them', async () => {
    const box = await newBox();
    const source = imap(options(box));
    const writer = await loggedIn(USER);
    const events = new ReplaySubject<ImapEvent>();
    const sub = source.events$.subscribe(events);
    // issued before the connection is up: waits for Ready
    const marked = firstValueFrom(
      source.events$.pipe(
        filter((e): e is Extract<ImapEvent, { type: 'NewMessages' }> => e.type === 'NewMessages'),
        take(1),
        timeout(15_000),
      ),
    );
    await next(events, 'Ready');
    await lastValueFrom(writer.append(box, message('act')));
    const uid = (await marked).data.messages[0].uid;
    expect(await lastValueFrom(source.markSeen(uid).pipe(toArray()))).toEqual([undefined]);
    const flags = await lastValueFrom(source.run((c) => c.fetchFlags(uid, { uid: true }).pipe(toArray())));
    expect(flags[0].flags).toContain('\\Seen');
    // an action in flight (an IDLE of its own) when the server kills the connection
    const dropped = lastValueFrom(source.run((c) => c.idle()));
    const deadline = Date.now() + 15_000;
    while (idleSessions().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20)); // awaited condition with a deadline
    const pids = idleSessions();
    expect(pids).toHaveLength(1);
    process.kill(pids[0], 'SIGKILL');
    await expect(dropped).rejects.toBeInstanceOf(ActionDroppedError);
    sub.unsubscribe();
    writer.close();
  });

  it('an action with nobody subscribed to events$ brings the connection up, runs, and lets it close', async () => {
    const box = await newBox();
    const source = imap(options(box));
    const status = await lastValueFrom(source.run((c) => c.status(box, ['MESSAGES'])).pipe(timeout(15_000)));
    expect(status).toEqual({ MESSAGES: 0 });
    expect(await lastValueFrom(source.expunge().pipe(timeout(15_000)))).toEqual([]);
  });

  it('logs commands at debug with the LOGIN arguments redacted; the logger never sees the password', async () => {
    const box = await newBox();
    const lines: string[] = [];
    const record = (level: string) => (obj: Readonly<Record<string, unknown>>, msg?: string) => lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
    const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    const source = imap(options(box, { logger }));
    const sub = source.events$.subscribe();
    await next(source.events$, 'Ready');
    sub.unsubscribe();
    expect(lines.some((l) => /^debug A\d+ LOGIN \*\*\*/.test(l))).toBe(true);
    expect(lines.some((l) => /^debug A\d+ SELECT /.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain(users()[USER]);
  });
});

describe('imap(): a server that echoes the secret', () => {
  const SECRET = 'echo-me-secret-42';

  it('keeps it out of Disconnected, the final error and every log line', async () => {
    // accepts LOGIN, then answers the next command with a BYE that repeats the password
    const server = net.createServer((s) => {
      s.write('* OK [CAPABILITY IMAP4rev1 IDLE] echo ready\r\n');
      let buf = '';
      s.on('data', (d) => {
        buf += d.toString('latin1');
        let i: number;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const tag = line.split(' ')[0];
          if (/ LOGIN /i.test(line)) s.write(`${tag} OK logged in\r\n`);
          else {
            s.write(`* BYE your password ${SECRET} is known to us\r\n`);
            s.end();
          }
        }
      });
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port: echoPort } = server.address() as net.AddressInfo;
    const lines: string[] = [];
    const record = (obj: Readonly<Record<string, unknown>>, msg?: string) => lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
    const source = imap({
      host: '127.0.0.1',
      port: echoPort,
      tls: 'none',
      allowCleartextLogin: true,
      auth: { user: 'u', password: SECRET },
      logger: { debug: record, info: record, warn: record, error: record },
      ...fast,
    });
    try {
      const events = await lastValueFrom(source.events$.pipe(take(8), toArray(), timeout(15_000)));
      const disconnected = events.filter((e) => e.type === 'Disconnected');
      expect(disconnected.length).toBeGreaterThan(0);
      expect(JSON.stringify(disconnected)).toContain('***');
      expect(JSON.stringify(events)).not.toContain(SECRET);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(SECRET);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
