/**
 * #15: another session's changes must not leak into command results. Two
 * sessions on one mailbox; B changes flags, A's commands emit only what A
 * asked for, the rest reaches A's unsolicited$ (RFC 9051 §7.5.2).
 */
import { firstValueFrom, lastValueFrom, filter, timeout, toArray } from 'rxjs';
import type { ImapClient, UntaggedResponse } from '../../src/imap';
import { loggedIn, message, uniqueName } from './helpers';

async function twoSessions(count: number): Promise<{ a: ImapClient; b: ImapClient; name: string }> {
  const a = await loggedIn('alice');
  const name = uniqueName('Others');
  await lastValueFrom(a.create(name));
  for (let i = 1; i <= count; i++) await lastValueFrom(a.append(name, message(`m${i}`)));
  const b = await loggedIn('alice');
  await lastValueFrom(a.select(name));
  await lastValueFrom(b.select(name));
  return { a, b, name };
}

function collectUnsolicited(c: ImapClient): UntaggedResponse[] {
  const seen: UntaggedResponse[] = [];
  c.unsolicited$.subscribe((r) => seen.push(r));
  return seen;
}

const fetchSeqs = (seen: UntaggedResponse[]) => seen.flatMap((r) => (r.kind === 'fetch' ? [r.seq] : []));

describe('IMAP against Dovecot: two sessions on one mailbox', () => {
  it('fetchEnvelope(1) emits only seq 1 after B flags message 3; the flag change reaches unsolicited$', async () => {
    const { a, b } = await twoSessions(3);
    const seen = collectUnsolicited(a);
    await lastValueFrom(b.addFlags(3, ['\\Flagged']));
    const got = await lastValueFrom(a.fetchEnvelope(1).pipe(toArray()));
    expect(got.map((m) => m.seq)).toEqual([1]);
    expect(got[0].envelope?.subject).toBe('m1');
    // Dovecot reports B's change during A's next command at the latest
    if (fetchSeqs(seen).length === 0) await lastValueFrom(a.noop());
    expect(fetchSeqs(seen)).toEqual([3]);
    await lastValueFrom(b.logout());
    await lastValueFrom(a.logout());
  });

  it('UID fetchEnvelope emits only the asked UID, never a value with uid undefined', async () => {
    const { a, b } = await twoSessions(3);
    const uids = await lastValueFrom(a.fetchUid('1:*').pipe(toArray()));
    const seen = collectUnsolicited(a);
    await lastValueFrom(b.addFlags(3, ['\\Flagged']));
    const got = await lastValueFrom(a.fetchEnvelope(uids[0].uid!, { uid: true }).pipe(toArray()));
    expect(got.map((m) => m.uid)).toEqual([uids[0].uid]);
    expect(got.every((m) => m.envelope !== undefined)).toBe(true);
    if (fetchSeqs(seen).length === 0) await lastValueFrom(a.noop());
    expect(fetchSeqs(seen)).toEqual([3]);
    await lastValueFrom(b.logout());
    await lastValueFrom(a.logout());
  });

  it('addFlags(1) emits only seq 1 (plain and UID STORE); .SILENT emits nothing', async () => {
    const { a, b } = await twoSessions(3);
    const uids = await lastValueFrom(a.fetchUid('1:*').pipe(toArray()));
    const seen = collectUnsolicited(a);
    await lastValueFrom(b.addFlags(3, ['\\Flagged']));
    const stored = await lastValueFrom(a.addFlags(1, ['\\Seen']).pipe(toArray()));
    expect(stored.map((m) => m.seq)).toEqual([1]);
    expect(stored[0].flags).toContain('\\Seen');
    await lastValueFrom(b.addFlags(2, ['\\Flagged']));
    const byUid = await lastValueFrom(a.addFlags(uids[0].uid!, ['\\Answered'], { uid: true }).pipe(toArray()));
    expect(byUid.map((m) => [m.seq, m.uid])).toEqual([[1, uids[0].uid]]);
    await lastValueFrom(b.addFlags(3, ['\\Draft']));
    const silent = await lastValueFrom(a.addFlags(1, ['\\Draft'], { silent: true }).pipe(toArray()));
    expect(silent).toEqual([]);
    await lastValueFrom(a.noop());
    expect(new Set(fetchSeqs(seen))).toEqual(new Set([2, 3]));
    await lastValueFrom(b.logout());
    await lastValueFrom(a.logout());
  });

  it('with QRESYNC enabled, expunge() and uidExpunge() return the UIDs the server reported as VANISHED', async () => {
    const a = await loggedIn('alice');
    const name = uniqueName('Vanish');
    await lastValueFrom(a.create(name));
    for (let i = 1; i <= 4; i++) await lastValueFrom(a.append(name, message(`v${i}`)));
    expect(await lastValueFrom(a.enable('QRESYNC'))).toContain('QRESYNC');
    await lastValueFrom(a.select(name));
    const uids = (await lastValueFrom(a.fetchUid('1:*').pipe(toArray()))).map((m) => m.uid!);
    await lastValueFrom(a.addFlags('1:2', ['\\Deleted']));
    expect(await lastValueFrom(a.expunge())).toEqual([uids[0], uids[1]]);
    expect(a.state.exists).toBe(2);
    await lastValueFrom(a.addFlags('1:2', ['\\Deleted']));
    expect(await lastValueFrom(a.uidExpunge(uids[3]))).toEqual([uids[3]]);
    expect(a.state.exists).toBe(1);
    await lastValueFrom(a.logout());
  });

  it('an EXISTS caused by another session during a fetch reaches unsolicited$ and the result stays exact', async () => {
    const { a, b, name } = await twoSessions(2);
    const exists = firstValueFrom(a.unsolicited$.pipe(filter((r) => r.kind === 'exists'), timeout(10_000)));
    await lastValueFrom(b.append(name, message('late')));
    const got = await lastValueFrom(a.fetchEnvelope('1:2').pipe(toArray()));
    expect(got.map((m) => m.seq)).toEqual([1, 2]);
    await lastValueFrom(a.noop());
    expect(await exists).toMatchObject({ kind: 'exists', count: 3 });
    await lastValueFrom(b.logout());
    await lastValueFrom(a.logout());
  });
});
