import { map } from 'rxjs';
import { TimeoutError } from '../../src/core';
import { stoatGateway, type StoatEvent } from '../../src/gateway/stoat';
import { stoatMessageFixture, stoatReadyFixture } from '../../src/testing/stoat';
import { testScheduler } from '../helpers';
import { fakeBonfire } from '../../src/testing';

const message = stoatMessageFixture('hello');
const values = {
  a: { type: 'Authenticated' },
  r: { type: 'Ready', ...stoatReadyFixture() },
  m: { type: 'Message', ...message },
  t: { type: 'ChannelStartTyping', id: message.channel, user: message.author },
};

const label = (e: StoatEvent): string => (e.type === 'Ready' ? `Ready${e.reconnect ? '+reset' : ''}` : e.type);

describe('stoat gateway (marbles)', () => {
  it('runs the lifecycle in order: BeforeConnect, AfterConnect, Authenticated, Ready, then events', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const bonfire = fakeBonfire(ts, ['o 9ms a 9ms r 9ms m 9ms t'], values);
      const events$ = stoatGateway({ url: 'ws://bonfire.test/', token: 'secret-token', transport: bonfire.transport, scheduler: ts }).pipe(map(label));
      expectObservable(events$, '^ 50ms !').toBe('(bc) 6ms a 9ms r 9ms m 9ms t', {
        b: 'BeforeConnect',
        c: 'AfterConnect',
        a: 'Authenticated',
        r: 'Ready',
        m: 'MessageCreate',
        t: 'ChannelStartTyping',
      });
      ts.flush();
      // Authenticate is the first thing sent, at once on open, with the token.
      expect(bonfire.sent[0]).toEqual({ at: 0, connection: 1, message: { type: 'Authenticate', token: 'secret-token' } });
    });
  });

  it('pings every pingInterval after Authenticated and stays up while Pongs come back', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const bonfire = fakeBonfire(ts, ['o 9ms a 9ms r'], values, { pongDelay: 50 });
      const events$ = stoatGateway({ url: 'ws://bonfire.test/', token: 'marble-token-0123', transport: bonfire.transport, scheduler: ts, pingInterval: 10_000, pongTimeout: 5_000 }).pipe(map(label));
      expectObservable(events$, '^ 35s !').toBe('(bc) 6ms a 9ms r', { b: 'BeforeConnect', c: 'AfterConnect', a: 'Authenticated', r: 'Ready' });
      ts.flush();
      const pings = bonfire.sent.filter((s) => s.message.type === 'Ping');
      // Authenticated arrived at 10 ms: pings at 10 010, 20 010, 30 010, each carrying the clock.
      expect(pings.map((p) => p.at)).toEqual([10_010, 20_010, 30_010]);
      expect(pings.map((p) => p.message.data)).toEqual([10_010, 20_010, 30_010]);
    });
  });

  it('declares the connection dead when a Pong does not come within pongTimeout, then reconnects with backoff', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const bonfire = fakeBonfire(ts, ['o 9ms a 9ms r'], values); // never answers Pings
      const events$ = stoatGateway({
        url: 'ws://bonfire.test/',
        token: 'marble-token-0123',
        transport: bonfire.transport,
        scheduler: ts,
        pingInterval: 10_000,
        pongTimeout: 5_000,
        backoff: { initialDelay: 1000, maxDelay: 1000, jitter: 'none' },
      }).pipe(map((e) => (e.type === 'Disconnected' ? `Disconnected:${e.data.reason.includes('Pong') ? 'pong' : e.data.reason}` : label(e))));
      // Ping at 10 010; no Pong by 15 010 → dead; reconnect 1 s later at 16 010 and a fresh Ready (a cache reset).
      expectObservable(events$, '^ 16040ms !').toBe('(bc) 6ms a 9ms r 14989ms (dR) 996ms (bc) 6ms a 9ms F', {
        b: 'BeforeConnect',
        c: 'AfterConnect',
        a: 'Authenticated',
        r: 'Ready',
        R: 'Reconnecting',
        d: 'Disconnected:pong',
        F: 'Ready+reset',
      });
      ts.flush();
      expect(bonfire.connections()).toBe(2);
      // The second connection authenticates again.
      expect(bonfire.sent.filter((s) => s.message.type === 'Authenticate').map((s) => [s.at, s.connection])).toEqual([
        [0, 1],
        [16_010, 2],
      ]);
    });
  });

  it('unsubscribing stops the ping clock: nothing is sent after teardown', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const bonfire = fakeBonfire(ts, ['o 9ms a 9ms r'], values, { pongDelay: 50 });
      const events$ = stoatGateway({ url: 'ws://bonfire.test/', token: 'marble-token-0123', transport: bonfire.transport, scheduler: ts, pingInterval: 10_000 }).pipe(map(label));
      expectObservable(events$, '^ 15s !').toBe('(bc) 6ms a 9ms r', { b: 'BeforeConnect', c: 'AfterConnect', a: 'Authenticated', r: 'Ready' });
      ts.flush();
      expect(bonfire.sent.map((s) => [s.at, s.message.type])).toEqual([
        [0, 'Authenticate'],
        [10_010, 'Ping'],
      ]);
      // No timer is left behind: the flush ended with nothing scheduled (the 20 010 ms ping never existed).
      expect(ts.actions).toHaveLength(0);
    });
  });

  it('treats a Ready that never comes as a dead connection and gives up with the TimeoutError once maxAttempts is spent', () => {
    const ts = testScheduler();
    ts.run(({ expectObservable }) => {
      const bonfire = fakeBonfire(ts, ['o'], values); // opens, never authenticates
      const events$ = stoatGateway({
        url: 'ws://bonfire.test/',
        token: 'marble-token-0123',
        transport: bonfire.transport,
        scheduler: ts,
        readyTimeout: 100,
        backoff: { initialDelay: 10, maxDelay: 10, jitter: 'none', maxAttempts: 1 },
      }).pipe(map(label));
      // The last attempt ends with Disconnected (willReconnect false) and Closed before the error.
      expectObservable(events$).toBe('(bc) 96ms (dR) 6ms (bc) 96ms (dC#)', { b: 'BeforeConnect', c: 'AfterConnect', d: 'Disconnected', R: 'Reconnecting', C: 'Closed' }, new TimeoutError('Stoat Ready', 100));
    });
  });
});
