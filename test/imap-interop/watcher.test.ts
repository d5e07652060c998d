/**
 * watchMailbox on both real servers: a second session's APPEND / STORE /
 * EXPUNGE arrive as NewMessages, FlagsChanged, Expunged in order (over IDLE),
 * and server-side kicks of the watching session lose no message and report
 * none twice.
 */
import { isRight } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { filter, firstValueFrom, lastValueFrom, ReplaySubject, take, timeout, toArray, type Observable, type Subscription } from 'rxjs';
import { ImapEventData, watchMailbox, type ImapClient, type ImapEvent } from '../../src/imap';
import { loggedIn, logout, message, servers, sessionOptions, uniqueName, type Server } from './servers';

const USER = 'watcher';
const fast = { backoff: { initialDelay: 100, maxDelay: 400, jitter: 'none' as const } };

function until(events: Observable<ImapEvent>, type: ImapEvent['type'], n = 1): Promise<ImapEvent[]> {
  return firstValueFrom(events.pipe(filter((e) => e.type === type), take(n), toArray(), timeout(15_000)));
}

function reported(events: Observable<ImapEvent>, subject: string): Promise<ImapEvent> {
  return firstValueFrom(events.pipe(filter((e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === subject)), timeout(15_000)));
}

/** Kicks the watching session once it is there to kick (IDLE on Dovecot, mailbox selected on Cyrus). */
async function kick(server: Server, mailbox: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const n = server.killWatchers(USER, mailbox);
    if (n > 0 || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function subjects(events: readonly ImapEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'NewMessages' ? e.data.messages.map((m) => m.envelope?.subject ?? '?') : []));
}

describe.each(servers)('watchMailbox on %s', (_name, server) => {
  let appender: ImapClient;
  let box: string;
  let sub: Subscription | undefined;

  beforeEach(async () => {
    appender = await loggedIn(server, USER);
    box = uniqueName('watch');
    await lastValueFrom(appender.create(box));
  });
  afterEach(async () => {
    sub?.unsubscribe();
    sub = undefined;
    await logout(appender);
  });

  it('another session appends 3, sets \\Seen, expunges one: NewMessages, FlagsChanged, Expunged in order', async () => {
    const events = new ReplaySubject<ImapEvent>();
    sub = watchMailbox(sessionOptions(server, USER), box, fast).subscribe(events);
    await until(events, 'IdleStarted');

    for (const s of ['first', 'second', 'third']) await lastValueFrom(appender.append(box, message(s)));
    await reported(events, 'third');
    await lastValueFrom(appender.select(box));
    const uids = (await lastValueFrom(appender.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid ?? 0);
    expect(uids).toHaveLength(3);
    await lastValueFrom(appender.addFlags(uids[0], ['\\Seen'], { uid: true }).pipe(toArray()));
    await firstValueFrom(events.pipe(filter((e) => e.type === 'FlagsChanged' && e.data.uid === uids[0] && e.data.flags.includes('\\Seen')), timeout(15_000)));
    await lastValueFrom(appender.addFlags(uids[1], ['\\Deleted'], { uid: true, silent: true }).pipe(toArray()));
    await lastValueFrom(appender.uidExpunge(uids[1]));
    await until(events, 'Expunged');
    sub.unsubscribe();
    events.complete();

    const seen = await lastValueFrom(events.pipe(toArray()));
    expect(seen.slice(0, 4).map((e) => e.type)).toEqual(['Connecting', 'Connected', 'MailboxSelected', 'IdleStarted']);
    const idle = seen[3];
    expect(idle.type === 'IdleStarted' && idle.data.method).toBe('IDLE');
    expect(subjects(seen)).toEqual(['first', 'second', 'third']);
    expect(seen.flatMap((e) => (e.type === 'NewMessages' ? e.data.messages.map((m) => m.uid) : []))).toEqual(uids);
    const data = seen.filter((e) => ['NewMessages', 'FlagsChanged', 'Expunged'].includes(e.type));
    const lastNew = data.map((e) => e.type).lastIndexOf('NewMessages');
    const seenFlag = data.findIndex((e) => e.type === 'FlagsChanged' && e.data.uid === uids[0]);
    const expunged = data.findIndex((e) => e.type === 'Expunged');
    expect(lastNew).toBeLessThan(seenFlag);
    expect(seenFlag).toBeLessThan(expunged);
    const ex = data[expunged];
    expect(ex.type === 'Expunged' && [ex.data.uids, ex.data.earlier]).toEqual([[uids[1]], false]);
    // a FlagsChanged is only ever about a message of this mailbox, with its UID
    for (const e of data) if (e.type === 'FlagsChanged') expect(uids).toContain(e.data.uid);
    for (const e of seen) {
      if (e.type === 'Unknown' || e.type === 'DecodeError') continue;
      const codec: t.Decoder<unknown, unknown> = ImapEventData[e.type];
      expect([e.type, isRight(codec.decode(e.data))]).toEqual([e.type, true]);
    }
  });

  it('server-side kicks while messages keep arriving: every message reported exactly once, in order', async () => {
    const events = new ReplaySubject<ImapEvent>();
    sub = watchMailbox(sessionOptions(server, USER), box, fast).subscribe(events);
    await until(events, 'IdleStarted');
    const sent: string[] = [];
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) {
        const s = `r${round}-m${i}`;
        await lastValueFrom(appender.append(box, message(s)));
        sent.push(s);
      }
      // idle again after the previous kick (and caught up) before the next one
      await until(events, 'IdleStarted', round + 1);
      await reported(events, sent[sent.length - 1]);
      kills += await kick(server, box);
      for (let i = 2; i < 4; i++) {
        const s = `r${round}-m${i}`;
        await lastValueFrom(appender.append(box, message(s)));
        sent.push(s);
      }
    }
    await reported(events, sent[sent.length - 1]);
    sub.unsubscribe();
    events.complete();
    const seen = await lastValueFrom(events.pipe(toArray()));
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(seen.filter((e) => e.type === 'Reconnecting').length).toBeGreaterThanOrEqual(3);
    expect(subjects(seen)).toEqual(sent);
    expect(seen.filter((e) => e.type === 'Expunged')).toEqual([]);
  });
});
