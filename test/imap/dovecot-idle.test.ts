/** client.idle() against Dovecot: updates from another session while idling, DONE on unsubscribe, the connection usable after. */
import { filter, firstValueFrom, lastValueFrom, ReplaySubject, take, timeout, toArray } from 'rxjs';
import type { UntaggedResponse } from '../../src/imap';
import { loggedIn, message, uniqueName } from './helpers';

describe('IMAP against Dovecot: idle() as a client command', () => {
  it('emits the EXISTS and FETCH updates pushed while idling; unsubscribing sends DONE and later commands run', async () => {
    const a = await loggedIn('alice');
    const name = uniqueName('Idle');
    await lastValueFrom(a.create(name));
    await lastValueFrom(a.append(name, message('first')));
    const b = await loggedIn('alice');
    await lastValueFrom(a.select(name));
    await lastValueFrom(b.select(name));
    // changes made before the IDLE: Dovecot reports them once IDLE runs
    await lastValueFrom(b.addFlags(1, ['\\Flagged']));
    await lastValueFrom(b.append(name, message('second')));
    const updates = new ReplaySubject<UntaggedResponse>();
    const sub = a.idle().subscribe(updates);
    const first = await firstValueFrom(updates.pipe(filter((r) => r.kind === 'exists' || r.kind === 'fetch'), take(2), toArray(), timeout(15_000)));
    expect(first.map((r) => r.kind).sort()).toEqual(['exists', 'fetch']);
    // now IDLE is surely running: a change made now is pushed while idling
    await lastValueFrom(b.append(name, message('third')));
    expect(await firstValueFrom(updates.pipe(filter((r) => r.kind === 'exists' && r.count === 3), timeout(15_000)))).toMatchObject({ count: 3 });
    sub.unsubscribe();
    // DONE went out: the IDLE completes and the next command runs
    const env = await lastValueFrom(a.fetchEnvelope('2:3').pipe(toArray()));
    expect(env.map((m) => m.envelope?.subject)).toEqual(['second', 'third']);
    expect(a.state).toMatchObject({ status: 'selected', mailbox: name, readOnly: false, exists: 3 });
    await lastValueFrom(b.logout());
    await lastValueFrom(a.logout());
    expect(a.state.status).toBe('logout');
  });

  it('the connection state follows login, SELECT, EXAMINE, a failed SELECT and UNSELECT', async () => {
    const { client } = await import('./helpers');
    const { users } = await import('./helpers');
    const c = client();
    expect(c.state.status).toBe('not connected');
    await lastValueFrom(c.connect());
    expect(c.state.status).toBe('not authenticated');
    await lastValueFrom(c.login('alice', users().alice));
    expect(c.state).toEqual({ status: 'authenticated', mailbox: null, readOnly: null, exists: null });
    await lastValueFrom(c.examine('INBOX'));
    expect(c.state).toMatchObject({ status: 'selected', mailbox: 'INBOX', readOnly: true });
    await lastValueFrom(c.select('INBOX'));
    expect(c.state).toMatchObject({ status: 'selected', mailbox: 'INBOX', readOnly: false });
    await expect(lastValueFrom(c.select(uniqueName('missing')))).rejects.toThrow();
    expect(c.state.status).toBe('authenticated');
    await lastValueFrom(c.select('INBOX'));
    await lastValueFrom(c.unselect());
    expect(c.state.status).toBe('authenticated');
    await lastValueFrom(c.logout());
  });
});
