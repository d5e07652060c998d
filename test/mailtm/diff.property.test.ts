import fc from 'fast-check';
import { EMPTY_MAILBOX, diffMailbox, planPaging, mailboxPage, type MailboxOutput, type MailboxPage, type MailboxSnapshot, type MailboxState } from '../../src/mailtm';
import { MailtmFakeMailbox } from '../../src/testing/mailtm';

/** A mailbox change: deliver n messages, or delete the message at a position (newest first). */
type Change = { kind: 'deliver'; n: number } | { kind: 'delete'; at: number };
/** A step of the script: a change, or a poll with changes slipped in after some pages. */
type Step = { kind: 'change'; change: Change } | { kind: 'poll'; during: Array<{ afterPage: number; change: Change }> };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('deliver' as const), n: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat({ max: 40 }) }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), change }),
  fc.record({
    kind: fc.constant('poll' as const),
    during: fc.array(fc.record({ afterPage: fc.integer({ min: 1, max: 4 }), change }), { maxLength: 2 }),
  }),
);

function apply(box: MailtmFakeMailbox, c: Change, delivered: string[]): void {
  if (c.kind === 'deliver') for (let i = 0; i < c.n; i++) delivered.push(box.deliver().id);
  else {
    const ids = box.messages.map((m) => m.id).reverse();
    if (ids.length > 0) box.remove(ids[c.at % ids.length]);
  }
}

/** One poll as the engine does it (planPaging, restarts), with changes slipped in between pages. */
function poll(box: MailtmFakeMailbox, state: MailboxState, during: Array<{ afterPage: number; change: Change }>, delivered: string[]): MailboxSnapshot | undefined {
  const known = state.primed ? state.known : undefined;
  let pages: MailboxPage[] = [];
  let restarts = 0;
  let served = 0;
  for (;;) {
    const page = mailboxPage(box.page(pages.length + 1));
    served++;
    for (const d of during) if (d.afterPage === served) apply(box, d.change, delivered);
    pages = [...pages, page];
    const decision = planPaging(known, pages);
    if (decision.next === 'done') return decision.snapshot;
    if (decision.next === 'restart') {
      if (restarts++ >= 3) return undefined;
      pages = [];
    }
  }
}

describe('poll diffing under random interleavings (fast-check)', () => {
  it('reports every message still present exactly once, in delivery order, and every deletion of a known message once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 20 }), fc.array(step, { maxLength: 25 }), (pageSize, existing, steps) => {
        const box = new MailtmFakeMailbox('p@x.test', pageSize);
        const delivered: string[] = [];
        for (let i = 0; i < existing; i++) box.deliver();
        let state: MailboxState = EMPTY_MAILBOX;
        const out: MailboxOutput[] = [];
        const run = (during: Array<{ afterPage: number; change: Change }>): void => {
          const snapshot = poll(box, state, during, delivered);
          if (snapshot === undefined) return;
          const [next, events] = diffMailbox(state, snapshot);
          state = next;
          out.push(...events);
        };
        run([]); // the baseline
        const baseline = new Set(state.known.keys());
        for (const s of steps) {
          if (s.kind === 'change') apply(box, s.change, delivered);
          else run(s.during);
        }
        run([]); // a final quiet poll
        const present = new Set(box.messages.map((m) => m.id));
        const news = out.filter((e) => e.type === 'NewMessage').map((e) => e.data.id);
        const dels = out.filter((e) => e.type === 'MessageDelete').map((e) => e.data.id);
        // Exactly once, never for the baseline, in delivery order.
        expect(new Set(news).size).toBe(news.length);
        for (const id of news) expect(baseline.has(id)).toBe(false);
        const order = news.map((id) => delivered.indexOf(id));
        expect(order.every((v, i) => v >= 0 && (i === 0 || order[i - 1] < v))).toBe(true);
        // Every message delivered after the baseline and still there was reported.
        for (const id of delivered) if (present.has(id)) expect(news).toContain(id);
        // Deletions: once each, only of known messages, and only of messages really gone.
        expect(new Set(dels).size).toBe(dels.length);
        for (const id of dels) {
          expect(present.has(id)).toBe(false);
          expect(baseline.has(id) || news.includes(id)).toBe(true);
        }
        // After the quiet poll the state is exactly the mailbox.
        expect([...state.known.keys()].sort()).toEqual([...present].sort());
      }),
      { numRuns: 400 },
    );
  });
});
