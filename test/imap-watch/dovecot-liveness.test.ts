/**
 * Through a loopback proxy in front of Dovecot: unsubscribing sends DONE and
 * LOGOUT and closes the socket; a half-open connection is found by the
 * liveness probe and replaced, and nothing appended meanwhile is lost.
 */
import { filter, firstValueFrom, lastValueFrom, ReplaySubject, Subject, take, timeout, toArray } from 'rxjs';
import type { ImapClient } from '../../src/imap/client';
import { watchMailbox, type ImapEvent } from '../../src/imap/watch';
import { loggedIn, message, uniqueName, users } from '../imap/helpers';
import { recordingProxy, type RecordingProxy } from './proxy';

// Not the user of dovecot-watch.test.ts, which kills that user's IDLE sessions (the files run in parallel).
const USER = 'alice';

describe('watchMailbox through a proxy', () => {
  let proxy: RecordingProxy;
  let appender: ImapClient;
  let box: string;

  beforeEach(async () => {
    proxy = await recordingProxy(Number(process.env.RXWIRE_IMAP_PORT ?? 1143));
    appender = await loggedIn(USER);
    box = uniqueName('watch-proxy');
    await lastValueFrom(appender.create(box));
  });
  afterEach(async () => {
    await lastValueFrom(appender.logout()).catch(() => undefined);
    await proxy.close();
  });

  /** Plaintext through the proxy (so the test can read what was sent); cleartext login allowed on loopback. */
  const connection = () => ({
    host: '127.0.0.1',
    port: proxy.port,
    tls: 'none' as const,
    allowCleartextLogin: true,
    auth: { user: USER, password: users()[USER] },
  });

  async function allClosed(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (proxy.open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  it('unsubscribing ends IDLE with DONE, logs out and closes the socket', async () => {
    const events = new ReplaySubject<ImapEvent>();
    const sub = watchMailbox(connection(), box).subscribe(events);
    await firstValueFrom(events.pipe(filter((e) => e.type === 'IdleStarted'), timeout(15_000)));
    sub.unsubscribe();
    await allClosed();
    expect(proxy.open()).toBe(0);
    const wire = proxy.sent()[0];
    expect(wire).toMatch(/ IDLE\r\nDONE\r\n[A-Z0-9]+ LOGOUT\r\n$/);
  });

  it('without IDLE (idle: false) it polls with NOOP and reports the same events', async () => {
    const events = new ReplaySubject<ImapEvent>();
    const sub = watchMailbox(connection(), box, { idle: false, pollInterval: 200 }).subscribe(events);
    try {
      const started = await firstValueFrom(events.pipe(filter((e) => e.type === 'IdleStarted'), timeout(15_000)));
      expect(started.type === 'IdleStarted' && started.data.method).toBe('NOOP');
      await lastValueFrom(appender.append(box, message('polled')));
      const got = await firstValueFrom(events.pipe(filter((e) => e.type === 'NewMessages'), timeout(15_000)));
      expect(got.type === 'NewMessages' && got.data.messages.map((m) => m.envelope?.subject)).toEqual(['polled']);
    } finally {
      sub.unsubscribe();
    }
    expect(proxy.sent()[0]).toMatch(/NOOP\r\n/);
    expect(proxy.sent()[0]).not.toMatch(/IDLE/);
  });

  it('stop$: ends IDLE, logs out, emits ConnectionClosed and completes', async () => {
    const stop$ = new Subject<void>();
    const events = new ReplaySubject<ImapEvent>();
    let completed = false;
    watchMailbox(connection(), box, { stop$ }).subscribe({ next: (e) => events.next(e), complete: () => (completed = true) });
    await firstValueFrom(events.pipe(filter((e) => e.type === 'IdleStarted'), timeout(15_000)));
    stop$.next();
    const closed = await firstValueFrom(events.pipe(filter((e) => e.type === 'ConnectionClosed'), timeout(15_000)));
    expect(closed.type).toBe('ConnectionClosed');
    expect(completed).toBe(true);
    await allClosed();
    expect(proxy.open()).toBe(0);
    expect(proxy.sent()[0]).toMatch(/ IDLE\r\nDONE\r\n[A-Z0-9]+ LOGOUT\r\n$/);
  });

  it('a half-open connection is probed, declared dead and replaced; a message appended meanwhile is reported once', async () => {
    const events = new ReplaySubject<ImapEvent>();
    const sub = watchMailbox(connection(), box, {
      livenessTimeout: 1500,
      replyTimeout: 1500,
      backoff: { initialDelay: 100, maxDelay: 400, jitter: 'none' },
    }).subscribe(events);
    try {
      await firstValueFrom(events.pipe(filter((e) => e.type === 'IdleStarted'), timeout(15_000)));
      proxy.freeze();
      await lastValueFrom(appender.append(box, message('while-half-open')));
      const [disconnected] = await firstValueFrom(events.pipe(filter((e) => e.type === 'Disconnected'), take(1), toArray(), timeout(15_000)));
      expect(disconnected.type === 'Disconnected' && disconnected.data.reason).toMatch(/liveness probe/);
      await firstValueFrom(
        events.pipe(
          filter((e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === 'while-half-open')),
          timeout(15_000),
        ),
      );
      await lastValueFrom(appender.append(box, message('after-reconnect')));
      await firstValueFrom(
        events.pipe(
          filter((e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === 'after-reconnect')),
          timeout(15_000),
        ),
      );
    } finally {
      sub.unsubscribe();
    }
    events.complete();
    const all = await lastValueFrom(events.pipe(toArray()));
    const subjects = all.flatMap((e) => (e.type === 'NewMessages' ? e.data.messages.map((m) => m.envelope?.subject) : []));
    expect(subjects).toEqual(['while-half-open', 'after-reconnect']);
    // the probe: DONE, then no answer → the socket is closed
    expect(proxy.sent()[0]).toMatch(/ IDLE\r\nDONE\r\n$/);
  });
});
