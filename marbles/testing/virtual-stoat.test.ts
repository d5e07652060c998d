/**
 * A user's marble test against rxwire/testing's fakeBonfire: typed Bonfire
 * events on a marble script per connection, a reconnect after a drop.
 */
import { filter, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { stoatGateway } from '../../src/gateway/stoat';
import { fakeBonfire, stoatAuthenticatedEvent, stoatMessageEvent, stoatMessageFixture, stoatReadyEvent } from '../../src/testing';

const values = {
  a: stoatAuthenticatedEvent(),
  r: stoatReadyEvent(),
  m: stoatMessageEvent(stoatMessageFixture('first')),
  n: stoatMessageEvent(stoatMessageFixture('after the drop')),
};

test('messages of both connections reach the app; the client authenticates on each', () => {
  const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
  ts.run(({ expectObservable, flush }) => {
    const bonfire = fakeBonfire(ts, ['o 9ms a 9ms r 9ms m 9ms x', 'o 9ms a 9ms r 9ms n'], values);
    const events$ = stoatGateway({ url: 'ws://bonfire.test/', token: 'user-token', transport: bonfire.transport, scheduler: ts, backoff: { initialDelay: 10, maxDelay: 10, jitter: 'none' } });
    const contents = events$.pipe(
      filter((e) => e.type === 'MessageCreate'),
      map((e) => (e.type === 'MessageCreate' ? e.data.content : '')),
    );
    // the drop at 40 ms, a reconnect 10 ms later, its message 30 ms after that
    expectObservable(contents, '^ 200ms !').toBe('30ms a 49ms b', { a: 'first', b: 'after the drop' });
    flush();
    expect(bonfire.connections()).toBe(2);
    expect(bonfire.sent.filter((s) => s.message.type === 'Authenticate').map((s) => [s.at, s.connection])).toEqual([
      [0, 1],
      [50, 2],
    ]);
  });
});
