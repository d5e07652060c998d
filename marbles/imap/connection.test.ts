import { lastValueFrom, map, Subject, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { AuthenticationFailedError, CommandFailedError, ProtocolViolationError, TimeoutError, TransportClosedError } from '../../src/core';
import { ImapClient, type PacedChunk, type UntaggedResponse } from '../../src/imap';
import { ScriptedImapServer as ScriptedServer, waitUntil as until } from '../../src/testing';

const GREETING = '* OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE] ready\r\n';

async function connected(server: ScriptedServer, options: Partial<ConstructorParameters<typeof ImapClient>[0]> = {}, greeting = GREETING) {
  const c = new ImapClient({ host: 'scripted', port: 143, tls: 'none', allowCleartextLogin: true, transport: server.factory, ...options });
  const g = lastValueFrom(c.connect());
  await until(() => server.handlers !== undefined, 'transport opened');
  server.send(greeting);
  await g;
  return c;
}

const assertDeepEqual = (a: unknown, b: unknown) => expect(a).toEqual(b);

describe('ImapConnection in virtual time (scripted server)', () => {
  it('times a command out after commandTimeout ms of server silence; bytes arriving push the deadline back', async () => {
    const scheduler = new TestScheduler(assertDeepEqual);
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
    const server = new ScriptedServer();
    const c = await connected(server, { scheduler, commandTimeout: 1000 });
    let error: unknown;
    let erroredAt = -1;
    c.noop().subscribe({ error: (e) => ((error = e), (erroredAt = scheduler.now())) });
    await until(() => server.wire.includes('A1 NOOP\r\n'), 'NOOP written');
    scheduler.schedule(() => server.send('* 3 EXI'), 800); // a partial line is still a sign of life
    scheduler.flush();
    expect(error).toBeInstanceOf(TimeoutError);
    expect(String((error as Error).message)).not.toMatch(/reopen|reconnects with/); // a plain client does not reconnect
    expect(erroredAt).toBe(1800);
    expect(c.closed).toBe(true);
    await expect(lastValueFrom(c.noop())).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('no timeout while the server keeps answering, and timeout 0 disables it (IDLE-style commands)', async () => {
    const scheduler = new TestScheduler(assertDeepEqual);
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
    const server = new ScriptedServer();
    const c = await connected(server, { scheduler, commandTimeout: 1000 });
    const events: string[] = [];
    c.command({ name: 'IDLE', parts: ['IDLE'], timeout: 0, onContinuation: () => null }).subscribe({ error: (e) => events.push(`error ${String(e)}`) });
    await until(() => server.wire.includes('A1 IDLE'), 'IDLE written');
    scheduler.schedule(() => server.send('+ idling\r\n'), 10);
    scheduler.flush();
    expect(scheduler.now()).toBe(10);
    expect(events).toEqual([]);
    expect(c.closed).toBe(false);
  });

  it('every untagged EXISTS/EXPUNGE/FETCH/FLAGS/VANISHED/condition no command claimed reaches unsolicited$ while a command is in flight', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const seen: UntaggedResponse[] = [];
    c.unsolicited$.subscribe((r) => seen.push(r));
    const fetched = lastValueFrom(c.fetchFlags('1:2').pipe(toArray()));
    await until(() => server.wire.includes('A1 FETCH 1:2 (FLAGS)\r\n'), 'FETCH written');
    server.send('* 1 FETCH (FLAGS (\\Seen))\r\n* 9 EXISTS\r\n* 3 EXPUNGE\r\n* OK [ALERT] disk full\r\n* VANISHED 5\r\n* FLAGS (\\Seen x)\r\n* OK [READ-ONLY] now\r\n* 7 FETCH (FLAGS (\\Flagged))\r\n* 2 FETCH (FLAGS ())\r\nA1 OK done\r\n');
    const msgs = await fetched;
    expect(msgs.map((m) => m.seq)).toEqual([1, 2]);
    expect(seen.map((r) => (r.kind === 'fetch' ? `fetch ${r.seq}` : r.kind))).toEqual(['exists', 'expunge', 'condition', 'vanished', 'flags', 'condition', 'fetch 7']);
  });

  it('a FETCH or STORE claims only the messages it named and the items it asked for; .SILENT answered anyway emits nothing', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const seen: string[] = [];
    c.unsolicited$.subscribe((r) => seen.push(r.kind === 'fetch' ? `${r.seq}:${Object.keys(r.attributes).join('+')}` : r.kind));
    const env = lastValueFrom(c.fetchEnvelope('1,4:5').pipe(toArray()));
    const byUid = lastValueFrom(c.fetchEnvelope(20, { uid: true }).pipe(toArray()));
    const silent = lastValueFrom(c.addFlags(1, ['\\Seen'], { silent: true }).pipe(toArray()));
    await until(() => server.wire.includes('A3 STORE'), 'three commands written');
    server.send(
      [
        '* 1 FETCH (ENVELOPE (NIL "s1" NIL NIL NIL NIL NIL NIL NIL NIL))',
        '* 3 FETCH (FLAGS (\\Flagged))', // another session, not in the set
        '* 4 FETCH (FLAGS (\\Seen))', // in the set but not what was asked
        '* 5 FETCH (ENVELOPE (NIL "s5" NIL NIL NIL NIL NIL NIL NIL NIL))',
        '* 6 FETCH (FLAGS ())', // no UID: cannot answer a UID FETCH
        '* 7 FETCH (UID 20 ENVELOPE (NIL "u20" NIL NIL NIL NIL NIL NIL NIL NIL))',
        '* 8 FETCH (UID 21 FLAGS ())',
        '* 1 FETCH (FLAGS (\\Seen))', // what Cyrus sends for a .SILENT store
        'A1 OK a',
        'A2 OK b',
        'A3 OK c',
        '',
      ].join('\r\n'),
    );
    expect((await env).map((m) => [m.seq, m.envelope?.subject])).toEqual([[1, 's1'], [5, 's5']]);
    expect((await byUid).map((m) => [m.seq, m.uid, m.envelope?.subject])).toEqual([[7, 20, 'u20']]);
    expect(await silent).toEqual([]);
    expect(seen).toEqual(['3:flags', '4:flags', '6:flags', '8:uid+flags', '1:flags']);
  });

  it('`*` in a sequence set is the last message the server reported; a UID range n:* matches UIDs from n', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    server.send('* 4 EXISTS\r\n');
    const last = lastValueFrom(c.fetchFlags('*').pipe(toArray()));
    const from = lastValueFrom(c.fetchFlags('10:*', { uid: true }).pipe(toArray()));
    await until(() => server.wire.includes('A2 UID FETCH'), 'both written');
    server.send('* 3 FETCH (FLAGS ())\r\n* 4 FETCH (FLAGS ())\r\n* 1 FETCH (UID 9 FLAGS ())\r\n* 2 FETCH (UID 12 FLAGS ())\r\nA1 OK\r\nA2 OK\r\n');
    expect((await last).map((m) => m.seq)).toEqual([4]);
    expect((await from).map((m) => m.uid)).toEqual([12]);
  });

  it('idle(): emits updates while idling, DONE on unsubscribe (after the "+" when unsubscribed before it), later commands wait for the IDLE to end', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const got: string[] = [];
    const sub = c.idle().subscribe((r) => got.push(r.kind));
    await until(() => server.wire.includes('A1 IDLE\r\n'), 'IDLE written');
    const noop = lastValueFrom(c.noop());
    server.send('* 4 EXISTS\r\n');
    sub.unsubscribe(); // before the "+": DONE must wait for it
    expect(server.wire).toBe('A1 IDLE\r\n');
    server.send('+ idling\r\n* 5 EXISTS\r\n');
    await until(() => server.wire.includes('DONE\r\n'), 'DONE after the +');
    expect(server.wire).toBe('A1 IDLE\r\nDONE\r\n');
    server.send('A1 OK idle done\r\n');
    await until(() => server.wire.includes('A2 NOOP'), 'NOOP after the IDLE ended');
    server.send('A2 OK\r\n');
    await noop;
    expect(got).toEqual(['exists']);
  });

  it('appendMany: one APPEND with MULTIAPPEND (literal8 for binary), one APPEND per message without it', async () => {
    const multi = new ScriptedServer();
    const c = await connected(multi, {}, '* OK [CAPABILITY IMAP4rev1 LITERAL+ MULTIAPPEND BINARY] ready\r\n');
    const res = lastValueFrom(c.appendMany('Box', [{ message: 'a' }, { message: Buffer.from([1, 0, 2]), flags: ['\\Seen'] }]));
    await until(() => multi.wire.endsWith('\r\n') && multi.wire.includes('~{3+}'), 'APPEND written');
    expect(multi.wire).toBe('A1 APPEND Box {1+}\r\na (\\Seen) ~{3+}\r\n\x01\x00\x02\r\n');
    multi.send('A1 OK [APPENDUID 7 4:5] done\r\n');
    expect(await res).toEqual({ uidValidity: 7, uids: '4:5' });

    const single = new ScriptedServer();
    const d = await connected(single);
    const res2 = lastValueFrom(d.appendMany('Box', [{ message: 'a' }, { message: 'b' }]));
    await until(() => single.wire.includes('A1 APPEND'), 'first APPEND');
    single.send('A1 OK [APPENDUID 7 4] done\r\n');
    await until(() => single.wire.includes('A2 APPEND'), 'second APPEND');
    single.send('A2 OK [APPENDUID 7 5] done\r\n');
    expect(await res2).toEqual({ uidValidity: 7, uids: '4,5' });
    await expect(lastValueFrom(d.append('Box', 'x', { binary: true }))).rejects.toThrow(/BINARY/);
  });

  it('fetchStreamPaced: the socket pauses at highWaterMark unacknowledged bytes, resumes below half, and no command times out while paused', async () => {
    const scheduler = new TestScheduler(assertDeepEqual);
    scheduler.maxFrames = Number.POSITIVE_INFINITY;
    const server = new ScriptedServer();
    const c = await connected(server, { scheduler, commandTimeout: 1000, limits: { streamMinSize: 100 } });
    const chunks: PacedChunk[] = [];
    let done = false;
    c.fetchStreamPaced(1, {}, { highWaterMark: 1000 }).subscribe({ next: (ch) => chunks.push(ch), complete: () => (done = true) });
    await until(() => server.wire.includes('A1 FETCH 1 (BODY[])'), 'FETCH written');
    server.send('* 1 FETCH (BODY[] {2000}\r\n');
    for (let i = 0; i < 3; i++) server.send('x'.repeat(400));
    expect(chunks.map((ch) => ch.data.length)).toEqual([400, 400, 400]);
    expect(server.flow).toEqual(['pause']); // 1200 bytes outstanding ≥ 1000
    scheduler.schedule(() => undefined, 5000);
    scheduler.flush(); // 5 s of silence while paused: our doing, not a timeout
    expect(c.closed).toBe(false);
    chunks[0].ack();
    chunks[0].ack(); // idempotent
    expect(server.flow).toEqual(['pause']); // 800 outstanding: still above half
    chunks[1].ack();
    expect(server.flow).toEqual(['pause', 'resume']); // 400 < 500
    server.send('x'.repeat(800) + ')\r\nA1 OK done\r\n');
    for (const ch of chunks.slice(2)) ch.ack();
    expect(chunks.reduce((n, ch) => n + ch.data.length, 0)).toBe(2000);
    expect(done).toBe(true);
    expect(server.paused).toBe(false);
  });

  it('fetchStreamThrough: a slow consumer holds the socket paused until its inner completes', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, { limits: { streamMinSize: 100 } });
    const gates: Subject<void>[] = [];
    const seen: number[] = [];
    let done = false;
    c.fetchStreamThrough(1, {}, (ch) => {
      const gate = new Subject<void>();
      gates.push(gate);
      return gate.pipe(take(1), map(() => ch.data.length));
    }, { highWaterMark: 500 }).subscribe({ next: (n) => seen.push(n), complete: () => (done = true) });
    await until(() => server.wire.includes('A1 FETCH'), 'FETCH written');
    server.send('* 1 FETCH (BODY[] {1000}\r\n');
    server.send('y'.repeat(300));
    server.send('y'.repeat(300));
    expect(server.flow).toEqual(['pause']);
    expect(gates).toHaveLength(1); // one chunk at a time
    gates[0].next();
    expect(server.flow).toEqual(['pause']); // 300 outstanding: not yet below half of 500
    expect(gates).toHaveLength(2);
    gates[1].next();
    expect(server.flow).toEqual(['pause', 'resume']);
    server.send('y'.repeat(400) + ')\r\nA1 OK\r\n');
    expect(gates).toHaveLength(3);
    gates[2].next();
    expect(seen).toEqual([300, 300, 400]);
    expect(done).toBe(true);
  });

  it('pipelines: tags are matched even when the server answers out of order', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const a = lastValueFrom(c.status('A', ['MESSAGES']));
    const b = lastValueFrom(c.status('B', ['MESSAGES']));
    const n = lastValueFrom(c.noop());
    await until(() => server.wire.includes('A3 NOOP'), 'three commands written before any reply');
    server.send('A3 OK noop\r\n* STATUS B (MESSAGES 2)\r\nA2 OK b\r\n* STATUS A (MESSAGES 1)\r\nA1 OK a\r\n');
    expect(await b).toEqual({ MESSAGES: 2 });
    expect(await a).toEqual({ MESSAGES: 1 });
    expect(await n).toBeUndefined();
  });

  it('without LITERAL+ a literal waits for the server\'s "+" and later commands wait behind it', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, {}, '* OK [CAPABILITY IMAP4rev1] ready\r\n');
    const appended = lastValueFrom(c.append('Box', 'Subject: x\r\n\r\nbody'));
    const noop = lastValueFrom(c.noop());
    await until(() => server.wire.includes('{18}\r\n'), 'literal announced');
    expect(server.wire).toBe('A1 APPEND Box {18}\r\n');
    server.send('+ go ahead\r\n');
    await until(() => server.wire.includes('A2 NOOP'), 'rest written');
    expect(server.wire).toBe('A1 APPEND Box {18}\r\nSubject: x\r\n\r\nbody\r\nA2 NOOP\r\n');
    server.send('A1 OK [APPENDUID 5 9] ok\r\nA2 OK ok\r\n');
    expect(await appended).toEqual({ uidValidity: 5, uids: '9' });
    await noop;
  });

  it('a NO instead of "+" cancels the literal; the connection stays usable', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, {}, '* OK [CAPABILITY IMAP4rev1] ready\r\n');
    const appended = lastValueFrom(c.append('Box', 'x'.repeat(10)));
    await until(() => server.wire.includes('{10}\r\n'), 'literal announced');
    server.send('A1 NO [OVERQUOTA] too big\r\n');
    await expect(appended).rejects.toBeInstanceOf(CommandFailedError);
    const n = lastValueFrom(c.noop());
    await until(() => server.wire.includes('A2 NOOP'), 'next command');
    expect(server.wire).not.toContain('xxxxxxxxxx');
    server.send('A2 OK\r\n');
    await n;
  });

  it('with LITERAL+ the literal goes at once as {N+}', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const appended = lastValueFrom(c.append('Box', 'abc', { flags: ['\\Seen'] }));
    await until(() => server.wire.endsWith('\r\n') && server.wire.includes('abc'), 'whole command');
    expect(server.wire).toBe('A1 APPEND Box (\\Seen) {3+}\r\nabc\r\n');
    server.send('A1 OK done\r\n');
    expect(await appended).toBeNull();
  });

  it('LOGINDISABLED: login goes through AUTHENTICATE PLAIN (SASL-IR) instead; NO → AuthenticationFailedError without the password', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, {}, '* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN SASL-IR] ready\r\n');
    const login = lastValueFrom(c.login('user', 'sekrit-pw'));
    await until(() => server.wire.includes('AUTHENTICATE'), 'AUTHENTICATE written');
    expect(server.wire).not.toContain('LOGIN user');
    expect(server.wire).toBe(`A1 AUTHENTICATE PLAIN ${Buffer.from('\0user\0sekrit-pw').toString('base64')}\r\n`);
    server.send('A1 NO [AUTHENTICATIONFAILED] Invalid credentials sekrit-pw\r\n');
    const err: unknown = await login.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationFailedError);
    expect((err as Error).message).not.toContain('sekrit-pw');
  });

  it('AUTHENTICATE without SASL-IR answers the empty challenge with the initial response', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, {}, '* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
    const { saslPlain } = await import('../../src/imap');
    const auth = lastValueFrom(c.authenticate(saslPlain('u', 'p')));
    await until(() => server.wire.includes('A1 AUTHENTICATE PLAIN\r\n'), 'command');
    server.send('+ \r\n');
    await until(() => server.writes.length >= 2, 'response');
    expect(server.writes[1]).toBe(`${Buffer.from('\0u\0p').toString('base64')}\r\n`);
    server.send('A1 OK [CAPABILITY IMAP4rev1 MOVE] done\r\n');
    await auth;
    expect(c.hasCapability('MOVE')).toBe(true);
  });

  it('a drop errors every in-flight and queued command, and later commands fail at once without writing', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const a = lastValueFrom(c.noop()).catch((e: unknown) => e);
    const b = lastValueFrom(c.fetchUid('1:*').pipe(toArray())).catch((e: unknown) => e);
    await until(() => server.wire.includes('A2'), 'both written');
    server.send('* BYE server shutting down\r\n');
    server.drop();
    expect(await a).toBeInstanceOf(TransportClosedError);
    const eb = await b;
    expect(eb).toBeInstanceOf(TransportClosedError);
    expect((eb as Error).message).toContain('server shutting down');
    const before = server.writes.length;
    await expect(lastValueFrom(c.select('INBOX'))).rejects.toBeInstanceOf(TransportClosedError);
    expect(server.writes.length).toBe(before);
  });

  it('a streamed fetch does not block a command issued while it streams', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, { limits: { streamMinSize: 10 } });
    const chunks: string[] = [];
    const streamed = lastValueFrom(c.fetchStream(1, {}).pipe(toArray()));
    await until(() => server.wire.includes('A1 FETCH 1 (BODY[])'), 'fetch written');
    server.send('* 1 FETCH (BODY[] {20}\r\n0123456789');
    const noop = lastValueFrom(c.noop());
    await until(() => server.wire.includes('A2 NOOP'), 'noop written mid-stream');
    server.send('abcdefghij)\r\nA1 OK fetched\r\nA2 OK noop\r\n');
    await noop;
    for (const ch of await streamed) chunks.push(ch.data.toString());
    expect(chunks.join('')).toBe('0123456789abcdefghij');
    expect(chunks.length).toBe(2);
  });

  it('SEARCH asks for ESEARCH RETURN (ALL) when offered and expands the compact set', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, {}, '* OK [CAPABILITY IMAP4rev1 LITERAL+ ESEARCH] ready\r\n');
    const { Search } = await import('../../src/imap');
    const found = lastValueFrom(c.search(Search.unseen(), { uid: true }));
    await until(() => server.wire.includes('\r\n'), 'command');
    expect(server.wire).toBe('A1 UID SEARCH RETURN (ALL) UNSEEN\r\n');
    server.send('* ESEARCH (TAG "A1") UID ALL 3:5000,7000\r\nA1 OK done\r\n');
    const ids = await found;
    expect(ids).toHaveLength(4999);
    expect(ids[0]).toBe(3);
    expect(ids[ids.length - 1]).toBe(7000);
  });

  it('XOAUTH2: initial response inline, an error challenge answered with an empty line, then AuthenticationFailed without the token', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, {}, '* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready\r\n');
    const { saslXoauth2 } = await import('../../src/imap');
    const auth = lastValueFrom(c.authenticate(saslXoauth2('me@example.com', 'ya29.token-value'))).catch((e: unknown) => e);
    await until(() => server.writes.length === 1, 'command');
    expect(server.writes[0]).toBe(`A1 AUTHENTICATE XOAUTH2 ${Buffer.from('user=me@example.com\x01auth=Bearer ya29.token-value\x01\x01').toString('base64')}\r\n`);
    server.send(`+ ${Buffer.from('{"status":"401","schemes":"bearer"}').toString('base64')}\r\n`);
    await until(() => server.writes.length === 2, 'empty answer');
    expect(server.writes[1]).toBe('\r\n');
    server.send('A1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure) ya29.token-value\r\n');
    const err = await auth;
    expect(err).toBeInstanceOf(AuthenticationFailedError);
    expect((err as Error).message).not.toContain('ya29.token-value');
  });

  it('a response over the line limit closes the connection with ProtocolViolationError; pending commands fail, nothing hangs', async () => {
    const server = new ScriptedServer();
    const c = await connected(server, { limits: { maxLineLength: 1000 } });
    const closed = lastValueFrom(c.closed$);
    const n = lastValueFrom(c.noop()).catch((e: unknown) => e);
    await until(() => server.wire.includes('A1 NOOP'), 'noop');
    server.send(`* OK ${'x'.repeat(2000)}`);
    expect(await closed).toBeInstanceOf(ProtocolViolationError);
    expect(await n).toBeInstanceOf(TransportClosedError);
    expect(server.closed).toBe(true);
  });

  it('unknown and unparsable untagged responses reach untagged$ as kind "unknown" and end nothing', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const kinds: string[] = [];
    c.untagged$.subscribe((r) => kinds.push(r.kind === 'unknown' ? `unknown:${r.error ? 'error' : 'new'}` : r.kind));
    const n = lastValueFrom(c.noop());
    await until(() => server.wire.includes('A1 NOOP'), 'noop');
    server.send('* XFOO bar\r\n* 1 FETCH (UID zz)\r\n* 4 EXISTS\r\nA1 OK\r\n');
    await n;
    expect(kinds).toEqual(['unknown:new', 'unknown:error', 'exists']);
    expect(c.closed).toBe(false);
  });

  it('raw command text with CR/LF is refused before anything is written', async () => {
    const server = new ScriptedServer();
    const c = await connected(server);
    const { ImapArgumentError, saslPlain } = await import('../../src/imap');
    await expect(lastValueFrom(c.command({ name: 'X', parts: ['NOOP\r\nA9 DELETE INBOX'] }))).rejects.toBeInstanceOf(ImapArgumentError);
    await expect(lastValueFrom(c.authenticate({ ...saslPlain('u', 'p'), name: 'PLAIN\r\nA9 LOGOUT' }))).rejects.toBeInstanceOf(ImapArgumentError);
    expect(server.writes).toEqual([]);
    expect(c.closed).toBe(false);
  });

  it('a greeting BYE errors connect()', async () => {
    const server = new ScriptedServer();
    const c = new ImapClient({ host: 'scripted', port: 143, tls: 'none', transport: server.factory });
    const g = lastValueFrom(c.connect()).catch((e: unknown) => e);
    await until(() => server.handlers !== undefined, 'opened');
    server.send('* BYE too many connections\r\n');
    const e = await g;
    expect(e).toBeInstanceOf(TransportClosedError);
    expect((e as Error).message).toContain('too many connections');
  });
});
