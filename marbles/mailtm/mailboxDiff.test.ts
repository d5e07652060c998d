import { TestScheduler } from 'rxjs/testing';
import { concatMap, from, map, scan, type Observable } from 'rxjs';
import { EMPTY_MAILBOX, diffMailbox, type MailboxOutput, type MailboxSnapshot, type MailboxState } from '../../src/mailtm';
import { mailtmSummary } from '../../src/testing/mailtm';
import type { MailtmMessageSummary } from '../../src/mailtm';

const m = (id: string): MailtmMessageSummary => mailtmSummary(id, `subject ${id}`);
const msgs: Record<string, MailtmMessageSummary> = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'x', 'y'].map((id) => [id, m(id)]));
/** A complete snapshot, ids newest first. */
const full = (...ids: string[]): MailboxSnapshot => ({ messages: ids.map((id) => msgs[id]), complete: true });
const label = (e: MailboxOutput): string => (e.type === 'DecodeError' ? `!${String(e.data.tag)}` : `${e.type === 'NewMessage' ? '+' : '-'}${e.data.id}`);

/** Snapshots in → labelled diff events out, each event at its snapshot's frame. */
function diffed(snapshots: Observable<MailboxSnapshot>, backlog = false) {
  return snapshots.pipe(
    scan<MailboxSnapshot, [MailboxState, MailboxOutput[]]>(([state], snap) => diffMailbox(state, snap, backlog), [EMPTY_MAILBOX, []]),
    concatMap(([, events]) => from(events.map(label))),
  );
}

describe('diffMailbox over scripted snapshots (virtual time)', () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('reports nothing for mail that existed at the first snapshot, then every arrival once, oldest first', () => {
    ts.run(({ hot, expectObservable }) => {
      const snaps = hot<MailboxSnapshot>('-p--q--r--s', {
        p: full('b', 'a'),
        q: full('e', 'd', 'c', 'b', 'a'), // three arrivals between two polls
        r: full('e', 'd', 'c', 'b', 'a'), // nothing new: nothing reported again
        s: full('x', 'e', 'd', 'c', 'b', 'a'),
      });
      expectObservable(diffed(snaps)).toBe('----(cde)-x', { c: '+c', d: '+d', e: '+e', x: '+x' });
    });
  });

  it('deleting the newest message is a MessageDelete with the last known copy, never a NewMessage for the older one', () => {
    const [state1] = diffMailbox(EMPTY_MAILBOX, full('b', 'a'));
    const [state2, out2] = diffMailbox(state1, full('c', 'b', 'a'));
    expect(out2.map(label)).toEqual(['+c']);
    const [, out3] = diffMailbox(state2, full('b', 'a'));
    expect(out3.map(label)).toEqual(['-c']);
    expect(out3[0].data).toBe(msgs.c);
    ts.run(({ hot, expectObservable }) => {
      const snaps = hot<MailboxSnapshot>('-p-q-r-s', { p: full('b', 'a'), q: full('c', 'b', 'a'), r: full('b', 'a'), s: full('d', 'a') });
      expectObservable(diffed(snaps)).toBe('---c-r-(bd)', { c: '+c', r: '-c', b: '-b', d: '+d' });
    });
  });

  it('a partial snapshot only adds (it cannot prove a deletion)', () => {
    const [s1] = diffMailbox(EMPTY_MAILBOX, full('c', 'b', 'a'));
    const [, out] = diffMailbox(s1, { messages: [msgs.d, msgs.c], complete: false });
    expect(out.map(label)).toEqual(['+d']);
  });

  it('backlog reports the mail that was already there, oldest first', () => {
    ts.run(({ hot, expectObservable }) => {
      const snaps = hot<MailboxSnapshot>('-p-----q', { p: full('c', 'b', 'a'), q: full('d', 'c', 'b', 'a') });
      expectObservable(diffed(snaps, true)).toBe('-(abc)-d', { a: '+a', b: '+b', c: '+c', d: '+d' });
    });
  });

  it('after a switch (state reset) the new account primes without reporting its old mail', () => {
    ts.run(({ hot, expectObservable }) => {
      // Account A until frame 4, then a switch resets the state and B's mailbox is diffed.
      type Input = { reset: true } | MailboxSnapshot;
      const inputs = hot<Input>('-p-q-s-r-t', {
        p: full('a'),
        q: full('b', 'a'),
        s: { reset: true },
        r: full('y', 'x'), // B's existing mail
        t: full('c', 'y', 'x'),
      });
      const out = inputs.pipe(
        scan<Input, [MailboxState, MailboxOutput[]]>(([state], input) => ('reset' in input ? [EMPTY_MAILBOX, []] : diffMailbox(state, input)), [EMPTY_MAILBOX, []]),
        concatMap(([, events]) => from(events)),
        map(label),
      );
      expectObservable(out).toBe('---b-----c', { b: '+b', c: '+c' });
    });
  });

  it('keeps the latest copy of a known message (a seen flag change is not an event)', () => {
    const [s1] = diffMailbox(EMPTY_MAILBOX, full('a'));
    const seenA = { ...msgs.a, seen: true };
    const [s2, out] = diffMailbox(s1, { messages: [seenA], complete: true });
    expect(out).toEqual([]);
    const [, out2] = diffMailbox(s2, { messages: [], complete: true });
    expect(out2[0].type === 'MessageDelete' && out2[0].data.seen).toBe(true);
  });

  it('an item that does not decode is one DecodeError (raw kept) when it arrives, and counts as known after', () => {
    const bad = { id: 'z', raw: { id: 'z', from: null }, errors: ['hydra:member.0.from: expected object'] };
    const [s1] = diffMailbox(EMPTY_MAILBOX, full('a'));
    const [s2, out] = diffMailbox(s1, { messages: [msgs.b, msgs.a], rejected: [bad], complete: true });
    expect(out.map(label)).toEqual(['!NewMessage', '+b']);
    expect(out[0].type === 'DecodeError' && out[0].data.raw).toBe(bad.raw);
    const [s3, again] = diffMailbox(s2, { messages: [msgs.b, msgs.a], rejected: [bad], complete: true });
    expect(again).toEqual([]);
    const [s4] = diffMailbox(s3, { messages: [msgs.b, msgs.a], complete: true });
    expect(s4.rejected.size).toBe(0);
  });
});
