import { filter, firstValueFrom, lastValueFrom, Observable, take, timeout, toArray } from 'rxjs';
import { TransportClosedError } from '../../src/core';
import type { ImapClient } from '../../src/imap';
import { killSessions, loggedIn, users } from './helpers';
import { startProxy } from './proxy';

/** A command that stays in flight until the server answers (IDLE), emitting when the server said `+`. */
function hold(c: ImapClient): { started: Promise<void>; result: Promise<unknown> } {
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const result = lastValueFrom(
    new Observable((sub) =>
      c
        .command({
          name: 'IDLE',
          parts: ['IDLE'],
          timeout: 0,
          barrier: true,
          onContinuation: () => {
            started();
            return null;
          },
        })
        .subscribe(sub),
    ),
  ).then(
    (v) => v,
    (e: unknown) => e,
  );
  return { started: startedP, result };
}

describe('IMAP against Dovecot: the server goes away mid-command', () => {
  it('a proxy cut while a command is in flight errors it, closed$ fires, and later commands fail at once', async () => {
    const proxy = await startProxy(Number(process.env.RXWIRE_IMAP_PORT ?? 1143));
    try {
      const c = await loggedIn('alice', { port: proxy.port });
      await lastValueFrom(c.select('INBOX'));
      const closed = firstValueFrom(c.closed$);
      const h = hold(c);
      await h.started;
      proxy.cut();
      const err = await h.result;
      expect(err).toBeInstanceOf(TransportClosedError);
      expect(await closed).toBeInstanceOf(TransportClosedError);
      expect(c.closed).toBe(true);
      await expect(lastValueFrom(c.noop())).rejects.toBeInstanceOf(TransportClosedError);
      await expect(lastValueFrom(c.fetchUid('1:*').pipe(toArray()))).rejects.toBeInstanceOf(TransportClosedError);
    } finally {
      await proxy.close();
    }
  });

  it('killing the session process on the server errors the pending command and every queued one', async () => {
    const c = await loggedIn('carol');
    await lastValueFrom(c.select('INBOX'));
    const h = hold(c);
    await h.started;
    // queued behind IDLE (which holds the line): these must fail too, not hang
    const queued = lastValueFrom(c.noop()).catch((e: unknown) => e);
    expect(killSessions('carol').length).toBeGreaterThan(0);
    expect(await h.result).toBeInstanceOf(TransportClosedError);
    expect(await queued).toBeInstanceOf(TransportClosedError);
    await expect(lastValueFrom(c.noop())).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('unsolicited$ reports EXISTS during IDLE from another connection, then completes when the server drops us', async () => {
    const watcher = await loggedIn('carol');
    await lastValueFrom(watcher.select('INBOX'));
    const events = firstValueFrom(
      watcher.unsolicited$.pipe(
        filter((r) => r.kind === 'exists'),
        take(1),
        timeout(10_000),
      ),
    );
    const h = hold(watcher);
    await h.started;
    const writer = await loggedIn('carol');
    await lastValueFrom(writer.append('INBOX', 'Subject: ping\r\n\r\nping\r\n'));
    expect((await events).kind).toBe('exists');
    await lastValueFrom(writer.logout());
    killSessions('carol');
    expect(await h.result).toBeInstanceOf(TransportClosedError);
    expect(users().carol).toBeDefined();
  });
});
