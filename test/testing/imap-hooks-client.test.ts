/**
 * The in-process IMAP server's hooks as a user's test would use them with
 * rxwire's watchMailbox: deliver() shows up as NewMessages, kick() is a
 * server-side disconnect the watch recovers from, catching up on mail that
 * arrived meanwhile.
 */
import { filter, firstValueFrom, ReplaySubject, take, timeout } from 'rxjs';
import { watchMailbox, type ImapEvent } from '../../src/imap';
import { startImapServer, type ImapTestServer } from '../../src/testing/imap';

let server: ImapTestServer;
beforeAll(async () => {
  server = await startImapServer({ users: { alice: 'alicepw' } });
});
afterAll(() => server.close());

const next = (events$: ReplaySubject<ImapEvent>, pred: (e: ImapEvent) => boolean) => firstValueFrom(events$.pipe(filter(pred), take(1), timeout(10_000)));

test('deliver → NewMessages; kick → Disconnected, reconnect, and the mail delivered while away is reported once', async () => {
  const seen = new ReplaySubject<ImapEvent>();
  const subjects: ImapEvent[] = [];
  seen.subscribe((e) => subjects.push(e));
  const sub = watchMailbox({ host: server.host, port: server.port, tlsOptions: { ca: server.ca }, auth: { user: 'alice', password: 'alicepw' } }, 'INBOX', { backoff: { initialDelay: 20, maxDelay: 50, jitter: 'none' } }).subscribe(seen);
  try {
    await next(seen, (e) => e.type === 'IdleStarted');
    server.deliver('alice', 'INBOX', 'Subject: first\r\n\r\nx\r\n');
    const first = await next(seen, (e) => e.type === 'NewMessages');
    expect(first?.type === 'NewMessages' && first.data.messages.map((m) => m.envelope?.subject)).toEqual(['first']);
    expect(server.kick('alice')).toBe(1);
    await next(seen, (e) => e.type === 'Disconnected');
    server.deliver('alice', 'INBOX', 'Subject: while away\r\n\r\ny\r\n');
    const again = await next(seen, (e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === 'while away'));
    expect(again).toBeDefined();
    // every message exactly once across both connections
    const all = subjects.flatMap((e) => (e.type === 'NewMessages' ? e.data.messages.map((m) => m.envelope?.subject) : []));
    expect(all).toEqual(['first', 'while away']);
    expect(subjects.map((e) => e.type)).toEqual(expect.arrayContaining(['Bye', 'Disconnected', 'Reconnecting']));
  } finally {
    sub.unsubscribe();
  }
});
