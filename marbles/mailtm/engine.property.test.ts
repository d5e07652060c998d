import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { defer, of, throwError, timer } from 'rxjs';
import { TransportClosedError } from '../../src/core';
import { mailtmEngine, type MailtmAccountRef, type MailtmEvent } from '../../src/mailtm';
import { MailtmFakeMailbox } from '../../src/testing/mailtm';

type Action = { at: number; kind: 'deliver'; n: number } | { at: number; kind: 'delete'; pick: number } | { at: number; kind: 'outage'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ at: fc.integer({ min: 1, max: 9000 }), kind: fc.constant('deliver' as const), n: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ at: fc.integer({ min: 1, max: 9000 }), kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ at: fc.integer({ min: 1, max: 9000 }), kind: fc.constant('outage' as const), ms: fc.integer({ min: 50, max: 3000 }) }),
);

describe('mailtmEngine under random arrivals, deletions and outages (fast-check, virtual time)', () => {
  it('reports every message still present exactly once, in delivery order; deletions once; the stream never errors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 100, max: 1500 }), fc.array(action, { maxLength: 30 }), (pageSize, pollInterval, actions) => {
        const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
        const box = new MailtmFakeMailbox('p@x.test', pageSize);
        for (let i = 0; i < 3; i++) box.deliver();
        const delivered: string[] = [];
        const outages: Array<[number, number]> = [];
        const events: MailtmEvent[] = [];
        let errored = false;
        const account: MailtmAccountRef = { address: 'p@x.test', accountId: 'P' };
        ts.run(() => {
          for (const a of actions)
            ts.schedule(() => {
              if (a.kind === 'deliver') for (let i = 0; i < a.n; i++) delivered.push(box.deliver().id);
              else if (a.kind === 'delete') {
                const ids = box.messages.map((m) => m.id);
                if (ids.length > 0) box.remove(ids[a.pick % ids.length]);
              } else outages.push([a.at, a.at + a.ms]);
            }, a.at);
          mailtmEngine<MailtmAccountRef>(
            {
              messages: (_acc, page) =>
                defer(() => {
                  const now = ts.now();
                  return outages.some(([from, to]) => now >= from && now < to) ? throwError(() => new TransportClosedError('HTTP 503')) : of(box.page(page));
                }),
              domains: () => of([]),
            },
            { baseUrl: 'x', initial: account, pollInterval, scheduler: ts, backoff: { initialDelay: 50, maxDelay: 800 }, until: timer(20_000, ts) },
          ).subscribe({ next: (e) => events.push(e), error: () => (errored = true) });
        });
        expect(errored).toBe(false);
        const present = new Set(box.messages.map((m) => m.id));
        const news = events.flatMap((e) => (e.type === 'NewMessage' ? [e.data.id] : []));
        const dels = events.flatMap((e) => (e.type === 'MessageDelete' ? [e.data.id] : []));
        expect(new Set(news).size).toBe(news.length);
        const order = news.map((id) => delivered.indexOf(id));
        expect(order.every((v, i) => v >= 0 && (i === 0 || order[i - 1] < v))).toBe(true);
        for (const id of delivered) if (present.has(id)) expect(news).toContain(id);
        expect(new Set(dels).size).toBe(dels.length);
        for (const id of dels) expect(present.has(id)).toBe(false);
        expect(events[0].type).toBe('ServerStarted');
        expect(events[events.length - 1].type).toBe('ServerCalledOff');
        // Every Disconnected is followed by a Resumed before the next Disconnected.
        let down = false;
        for (const e of events) {
          if (e.type === 'Disconnected') {
            expect(down).toBe(false);
            down = true;
          } else if (e.type === 'Resumed') {
            expect(down).toBe(true);
            down = false;
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});
