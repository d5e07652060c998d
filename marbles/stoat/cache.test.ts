import { map } from 'rxjs';
import { cancelWhen } from '../../src/core';
import { afterOf, beforeOf, getMessage, stoatGateway, withStoatCache, type StoatCachedEvent } from '../../src/gateway/stoat';
import { StoatIds, stoatMessageFixture, stoatReadyFixture } from '../../src/testing/stoat';
import { testScheduler } from '../helpers';
import { fakeBonfire } from '../../src/testing';

const hello = stoatMessageFixture('hello');
const ready = stoatReadyFixture();
const values = {
  a: { type: 'Authenticated' },
  r: { type: 'Ready', ...ready },
  s: { type: 'Ready', ...ready, users: [ready.users[0]] }, // the second connection's Ready: alice is gone
  m: { type: 'Message', ...hello },
  u: { type: 'MessageUpdate', id: hello._id, channel: hello.channel, data: { content: 'edited', edited: '2025-01-01T00:00:01.000Z' }, clear: [] },
  c: { type: 'MessageUpdate', id: hello._id, channel: hello.channel, data: { content: 'censored' }, clear: [] },
  n: { type: 'UserUpdate', id: StoatIds.alice, data: { display_name: 'Alice A.' }, clear: ['Avatar'], event_id: null },
};
const gateway = (ts: ReturnType<typeof testScheduler>, scripts: string[]) =>
  stoatGateway({ url: 'ws://bonfire.test/', token: 'marble-token-0123', transport: fakeBonfire(ts, scripts, values).transport, scheduler: ts, backoff: { initialDelay: 10, maxDelay: 10, jitter: 'none' } });

describe('stoat cache (marbles)', () => {
  it('a Ready after a reconnect resets the cache and says so', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const events$ = gateway(ts, ['o 9ms a 9ms r 9ms m 9ms x', 'o 9ms a 9ms s']).pipe(
        withStoatCache(),
        map((e: StoatCachedEvent) => {
          if (e.type !== 'Ready' && e.type !== 'MessageCreate') return e.type;
          return `${e.type}${e.type === 'Ready' && e.reconnect ? '+reset' : ''} gen ${e.before.generation}->${e.after.generation} users ${e.after.users.size} messages ${e.after.messages.size}`;
        }),
      );
      // x (close 1006) at 40 → Disconnected+Reconnecting; reconnect at 50; its Ready at 70.
      expectObservable(events$, '^ 100ms !').toBe('(bc) 6ms a 9ms r 9ms m 9ms (dR) 6ms (bc) 6ms a 9ms s', {
        b: 'BeforeConnect',
        c: 'AfterConnect',
        a: 'Authenticated',
        r: 'Ready gen 0->1 users 2 messages 0',
        m: 'MessageCreate gen 1->1 users 2 messages 1',
        d: 'Disconnected',
        R: 'Reconnecting',
        s: 'Ready+reset gen 1->2 users 1 messages 0',
      });
    });
  });

  it('cancelWhen in the intercept stage keeps the cache untouched while the event still flows, marked canceled', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const events$ = gateway(ts, ['o 9ms a 9ms r 9ms m 9ms c 9ms u']).pipe(
        withStoatCache({ intercept: [cancelWhen((e) => e.type === 'MessageUpdate' && e.data.data.content === 'censored')] }),
        map((e) => (e.type === 'MessageUpdate' ? `${e.data.data.content} canceled=${e.canceled} same=${e.before === e.after} cached=${getMessage(e.after, hello._id)?.content}` : e.type)),
      );
      expectObservable(events$, '^ 100ms !').toBe('(bc) 6ms a 9ms r 9ms m 9ms k 9ms u', {
        b: 'BeforeConnect',
        c: 'AfterConnect',
        a: 'Authenticated',
        r: 'Ready',
        m: 'MessageCreate',
        // The canceled update reaches the subscriber; the cached message still says hello.
        k: 'censored canceled=true same=true cached=hello',
        u: 'edited canceled=false same=false cached=edited',
      });
    });
  });

  it('update events expose the object before and after them', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const events$ = gateway(ts, ['o 9ms a 9ms r 9ms m 9ms u 9ms n']).pipe(
        withStoatCache(),
        map((e) => {
          if (e.type === 'MessageUpdate') return `message ${beforeOf(e)?.content} -> ${afterOf(e)?.content} (edited ${afterOf(e)?.edited})`;
          if (e.type === 'UserUpdate') return `user ${beforeOf(e)?.display_name}/${beforeOf(e)?.avatar?._id ?? '-'} -> ${afterOf(e)?.display_name}/${afterOf(e)?.avatar?._id ?? '-'}`;
          if (e.type === 'MessageCreate') return `created ${beforeOf(e)?.content ?? 'nothing'} -> ${afterOf(e)?.content}`;
          return e.type;
        }),
      );
      expectObservable(events$, '^ 100ms !').toBe('(bc) 6ms a 9ms r 9ms m 9ms u 9ms n', {
        b: 'BeforeConnect',
        c: 'AfterConnect',
        a: 'Authenticated',
        r: 'Ready',
        m: 'created nothing -> hello',
        u: 'message hello -> edited (edited 2025-01-01T00:00:01.000Z)',
        n: `user Alice/${StoatIds.alice}av -> Alice A./-`,
      });
    });
  });
});
