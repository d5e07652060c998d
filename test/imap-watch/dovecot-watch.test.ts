/**
 * watchMailbox against the real Dovecot of the jest global setup: events in
 * order for a second connection's APPEND / STORE / EXPUNGE, every message
 * exactly once across server-side kills, wrong password fatal.
 */
import { execFileSync } from 'node:child_process';
import { isRight } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { filter, firstValueFrom, lastValueFrom, ReplaySubject, take, timeout, toArray, type Observable, type Subscription } from 'rxjs';
import { AuthenticationFailedError } from '../../src/core';
import type { ImapClient } from '../../src/imap/client';
import { ImapEventData, mailboxWatch, watchMailbox, type ImapEvent } from '../../src/imap/watch';
import { ca, host, loggedIn, message, port, uniqueName, users } from '../imap/helpers';

const USER = 'bench';
const fast = { backoff: { initialDelay: 100, maxDelay: 400, jitter: 'none' as const } };

function connection(password = users()[USER]) {
  return { host, port, tlsOptions: { ca: ca() }, commandTimeout: 20_000, auth: { user: USER, password } };
}

/** Kills the Dovecot processes of USER that are in IDLE (the watcher), not the appender. */
function killIdleSessions(): number {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  let n = 0;
  for (const line of out.split('\n')) {
    if (!line.includes(`-${port}/imap [${USER} `) || !/IDLE\]/.test(line)) continue;
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (pid > 0) {
      process.kill(pid, 'SIGKILL');
      n++;
    }
  }
  return n;
}

function until<T extends ImapEvent['type']>(events: Observable<ImapEvent>, type: T, n = 1): Promise<ImapEvent[]> {
  return firstValueFrom(
    events.pipe(
      filter((e) => e.type === type),
      take(n),
      toArray(),
      timeout(15_000),
    ),
  );
}

function subjects(events: readonly ImapEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'NewMessages' ? e.data.messages.map((m) => m.envelope?.subject ?? '?') : []));
}

describe('watchMailbox against Dovecot', () => {
  let appender: ImapClient;
  let box: string;
  let sub: Subscription | undefined;

  beforeEach(async () => {
    appender = await loggedIn(USER);
    box = uniqueName('watch');
    await lastValueFrom(appender.create(box));
  });
  afterEach(async () => {
    sub?.unsubscribe();
    sub = undefined;
    await lastValueFrom(appender.logout()).catch(() => undefined);
  });

  it('a second connection appends 3, sets a flag, expunges one: NewMessages, FlagsChanged, Expunged in order', async () => {
    const events = new ReplaySubject<ImapEvent>();
    sub = watchMailbox(connection(), box, fast).subscribe(events);
    await until(events, 'IdleStarted');

    for (const s of ['first', 'second', 'third']) await lastValueFrom(appender.append(box, message(s)));
    await firstValueFrom(
      events.pipe(
        filter((e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === 'third')),
        timeout(15_000),
      ),
    );
    await lastValueFrom(appender.select(box));
    const uids = (await lastValueFrom(appender.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid ?? 0);
    expect(uids).toHaveLength(3);
    await lastValueFrom(appender.addFlags(uids[0], ['\\Seen'], { uid: true }).pipe(toArray()));
    await firstValueFrom(events.pipe(filter((e) => e.type === 'FlagsChanged' && e.data.uid === uids[0] && e.data.flags.includes('\\Seen')), timeout(15_000)));
    await lastValueFrom(appender.addFlags(uids[1], ['\\Deleted'], { uid: true, silent: true }).pipe(toArray()));
    await lastValueFrom(appender.uidExpunge(uids[1]));
    await firstValueFrom(events.pipe(filter((e) => e.type === 'Expunged'), timeout(15_000)));
    sub.unsubscribe();
    events.complete();

    const seen = await lastValueFrom(events.pipe(toArray()));
    expect(seen.slice(0, 4).map((e) => e.type)).toEqual(['Connecting', 'Connected', 'MailboxSelected', 'IdleStarted']);
    expect(subjects(seen)).toEqual(['first', 'second', 'third']);
    const data = seen.filter((e) => ['NewMessages', 'FlagsChanged', 'Expunged'].includes(e.type));
    const lastNew = data.map((e) => e.type).lastIndexOf('NewMessages');
    const seenFlag = data.findIndex((e) => e.type === 'FlagsChanged' && e.data.uid === uids[0]);
    const expunged = data.findIndex((e) => e.type === 'Expunged');
    expect(lastNew).toBeLessThan(seenFlag);
    expect(seenFlag).toBeLessThan(expunged);
    const ex = data[expunged];
    expect(ex.type === 'Expunged' && ex.data.uids).toEqual([uids[1]]);
    const newMsgs = seen.flatMap((e) => (e.type === 'NewMessages' ? e.data.messages : []));
    expect(newMsgs.map((m) => m.uid)).toEqual(uids);
    // every event's data is what its codec says (envelopes from the real parser included)
    for (const e of seen) {
      if (e.type === 'Unknown' || e.type === 'DecodeError') continue;
      const codec: t.Decoder<unknown, unknown> = ImapEventData[e.type];
      expect([e.type, isRight(codec.decode(e.data))]).toEqual([e.type, true]);
    }
  });

  it('server-side kills while messages keep arriving: every message reported exactly once', async () => {
    const events = new ReplaySubject<ImapEvent>();
    sub = watchMailbox(connection(), box, fast).subscribe(events);
    await until(events, 'IdleStarted');
    const sent: string[] = [];
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) {
        const s = `r${round}-m${i}`;
        await lastValueFrom(appender.append(box, message(s)));
        sent.push(s);
      }
      // the watcher is IDLE again after the previous kill before we kill it once more
      await until(events, 'IdleStarted', round + 1);
      kills += killIdleSessions();
      for (let i = 3; i < 5; i++) {
        const s = `r${round}-m${i}`;
        await lastValueFrom(appender.append(box, message(s)));
        sent.push(s);
      }
    }
    await firstValueFrom(
      events.pipe(
        filter((e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === sent[sent.length - 1])),
        timeout(20_000),
      ),
    );
    sub.unsubscribe();
    events.complete();
    const seen = await lastValueFrom(events.pipe(toArray()));
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(seen.filter((e) => e.type === 'Reconnecting').length).toBeGreaterThanOrEqual(3);
    expect(subjects(seen)).toEqual(sent);
    // the catch-up's UID diff found nothing expunged (nothing was)
    expect(seen.filter((e) => e.type === 'Expunged')).toEqual([]);
  });

  it('wrong password: the stream errors AuthenticationFailed without retrying, the password is nowhere', async () => {
    const events: ImapEvent[] = [];
    const error = await new Promise<unknown>((resolve) => {
      sub = watchMailbox(connection('not-the-password-xyz'), box, fast).subscribe({ next: (e) => events.push(e), error: resolve, complete: () => resolve(null) });
    });
    expect(error).toBeInstanceOf(AuthenticationFailedError);
    expect(String((error as Error).message)).not.toContain('not-the-password-xyz');
    expect(events.map((e) => e.type)).toEqual(['Connecting', 'Disconnected', 'Closed']);
    expect(events[1]).toMatchObject({ data: { willReconnect: false } });
    expect(JSON.stringify(events)).not.toContain('not-the-password-xyz');
  });

  it('a user command runs on the watching connection between DONE and the next IDLE', async () => {
    const watch = mailboxWatch(connection(), box, fast);
    const events = new ReplaySubject<ImapEvent>();
    sub = watch.events$.subscribe(events);
    await until(events, 'IdleStarted');
    await lastValueFrom(appender.append(box, message('for-the-user')));
    await until(events, 'NewMessages');
    const found = await lastValueFrom(watch.run((c) => c.fetchEnvelope('1:*').pipe(toArray())).pipe(timeout(15_000)));
    expect(found.map((m) => m.envelope?.subject)).toEqual(['for-the-user']);
    // the watch goes on: a new message after the command is still reported
    await lastValueFrom(appender.append(box, message('after-the-command')));
    await firstValueFrom(events.pipe(filter((e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === 'after-the-command')), timeout(15_000)));
  });
});
