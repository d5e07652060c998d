/**
 * Cache parity with stoat.py's `process()` (issue 13): each effect as a marble
 * of events through `withStoatCache`, asserting the cache before and after.
 */
import { map, type Observable } from 'rxjs';
import { cancelWhen, uncancel } from '../../src/core';
import {
  afterOf,
  beforeOf,
  deletedMessagesOf,
  getDirectMessage,
  getMe,
  getMember,
  getMessage,
  getReadState,
  memberKey,
  UNKNOWN_JOINED_AT,
  withStoatCache,
  type StoatCachedEvent,
  type StoatEvent,
  type StoatModels,
} from '../../src/gateway/stoat';
import { StoatIds as ids, stoatChannelsFixture, stoatMemberFixture, stoatMessageFixture, stoatReadyFixture, stoatServerFixture, stoatUserFixture } from '../../src/testing/stoat';
import { testScheduler } from '../helpers';

const S = 'stoat' as const;
const ready = stoatReadyFixture();
const R: StoatEvent = { source: S, type: 'Ready', reconnect: false, data: { ...ready, channel_unreads: [{ _id: { channel: ids.general, user: ids.me }, last_id: '01J0', mentions: ['01J5'] }] } };
const ev = (e: Omit<Extract<StoatEvent, { source: 'stoat' }>, 'source'>): StoatEvent => ({ source: S, ...e }) as StoatEvent;

/** Runs `marble` over `values` through the cache, projecting each cached event with `f`. */
function run(marble: string, values: Record<string, StoatEvent>, expected: string, projected: Record<string, unknown>, f: (e: StoatCachedEvent) => unknown, intercept?: Parameters<typeof withStoatCache>[0]): void {
  testScheduler().run(({ cold, expectObservable }) => {
    const out: Observable<unknown> = cold<StoatEvent>(marble, values).pipe(withStoatCache(intercept), map(f));
    expectObservable(out).toBe(expected, projected);
  });
}

describe('stoat cache parity: read states', () => {
  it('Ready channel_unreads become read states; MessageAck moves last_id and drops older mentions', () => {
    const ack = ev({ type: 'MessageAck', data: { id: ids.general, user: ids.me, message_id: '01J6' } });
    run('r-k', { r: R, k: ack }, 'r-k', { r: { last_id: '01J0', mentions: ['01J5'] }, k: { before: { last_id: '01J0', mentions: ['01J5'] }, after: { last_id: '01J6' } } }, (e) =>
      e.type === 'MessageAck' ? { before: strip(beforeOf(e)), after: strip(afterOf(e)) } : { last_id: getReadState(e.after, ids.general)?.last_id, mentions: getReadState(e.after, ids.general)?.mentions },
    );
  });

  it('a MessageCreate mentioning me is tracked in the channel read state; others are not', () => {
    const mention = stoatMessageFixture('hi @me', { mentions: [ids.me] });
    const plain = stoatMessageFixture('hi all');
    run(
      'r-m-p',
      { r: R, m: ev({ type: 'MessageCreate', data: mention }), p: ev({ type: 'MessageCreate', data: plain }) },
      'r-m-p',
      { r: ['01J5'], m: ['01J5', mention._id], p: ['01J5', mention._id] },
      (e) => getReadState(e.after, ids.general)?.mentions,
    );
  });

  it('ChannelCreate creates an empty read state for the new channel', () => {
    const dm = { channel_type: 'DirectMessage' as const, _id: 'dm-new', active: true, recipients: [ids.me, 'bob'] };
    run('r-c', { r: R, c: ev({ type: 'ChannelCreate', data: dm }) }, 'r-c', { r: undefined, c: { _id: { channel: 'dm-new', user: ids.me } } }, (e) => getReadState(e.after, 'dm-new'));
  });
});

describe('stoat cache parity: user settings', () => {
  it('Ready user_settings, then UserSettingsUpdate with before/after', () => {
    const update = ev({ type: 'UserSettingsUpdate', data: { id: ids.me, update: { theme: [2, '{"dark":true}'] } } });
    run('r-u', { r: R, u: update }, 'r-u', { r: ['notifications', 'ordering'], u: { before: ['notifications', 'ordering'], after: ['notifications', 'ordering', 'theme'], theme: [2, '{"dark":true}'] } }, (e) =>
      e.type === 'UserSettingsUpdate'
        ? { before: Object.keys(beforeOf(e) ?? {}).sort(), after: Object.keys(afterOf(e) ?? {}).sort(), theme: afterOf(e)?.theme }
        : Object.keys(e.after.settings).sort(),
    );
  });
});

describe('stoat cache parity: the connected user', () => {
  it('Ready names me; ServerCreate adds my own member', () => {
    const other = { ...stoatServerFixture(), _id: 'server-2', channels: ['chan-2'] };
    const create = ev({ type: 'ServerCreate', data: { id: 'server-2', server: other, channels: [{ channel_type: 'TextChannel', _id: 'chan-2', server: 'server-2', name: 'x' }], emojis: [], voice_states: [] } });
    run('r-s', { r: R, s: create }, 'r-s', { r: { me: 'me', member: undefined }, s: { me: 'me', member: UNKNOWN_JOINED_AT } }, (e) => ({ me: getMe(e.after)?.username, member: getMember(e.after, 'server-2', ids.me)?.joined_at }));
  });

  it('my own ServerMemberRemove takes the server, its channels, emojis and members out; another member leaving only removes that member', () => {
    const aliceLeaves = ev({ type: 'ServerMemberRemove', data: { id: ids.server, user: ids.alice, reason: 'Leave' } });
    const iAmKicked = ev({ type: 'ServerMemberRemove', data: { id: ids.server, user: ids.me, reason: 'Kick' } });
    const view = (e: StoatCachedEvent) => ({
      server: e.after.servers.has(ids.server),
      channels: [ids.general, ids.voice].filter((c) => e.after.channels.has(c)).length,
      emojis: e.after.emojis.size,
      members: [ids.me, ids.alice].filter((u) => e.after.members.has(memberKey(ids.server, u))).length,
    });
    run('r-a-k', { r: R, a: aliceLeaves, k: iAmKicked }, 'r-a-k', {
      r: { server: true, channels: 2, emojis: 1, members: 2 },
      a: { server: true, channels: 2, emojis: 1, members: 1 },
      k: { server: false, channels: 0, emojis: 0, members: 0 },
    }, view);
  });

  it('UserRelationshipUpdate updates the user and my own relations', () => {
    const bob: StoatModels.User = { ...stoatUserFixture('bob', 'bob'), relationship: 'Incoming' };
    const blocked: StoatModels.User = { ...bob, relationship: 'Blocked' };
    const cleared: StoatModels.User = { ...bob, relationship: 'None' };
    const upd = (u: StoatModels.User) => ev({ type: 'UserRelationshipUpdate', data: { id: ids.me, user: u } });
    run('r-i-b-n', { r: R, i: upd(bob), b: upd(blocked), n: upd(cleared) }, 'r-i-b-n', {
      r: { bob: undefined, relations: [] },
      i: { bob: 'Incoming', relations: [{ _id: 'bob', status: 'Incoming' }] },
      b: { bob: 'Blocked', relations: [{ _id: 'bob', status: 'Blocked' }] },
      n: { bob: 'None', relations: [] },
    }, (e) => ({ bob: e.after.users.get('bob')?.relationship, relations: getMe(e.after)?.relations ?? [] }));
  });
});

describe('stoat cache parity: deletions', () => {
  it("ChannelDelete removes the channel id from its server's channels (and its read state)", () => {
    run('r-d', { r: R, d: ev({ type: 'ChannelDelete', data: { id: ids.general } }) }, 'r-d', {
      r: { server: [ids.general, ids.voice], channel: true, read: true },
      d: { server: [ids.voice], channel: false, read: false },
    }, (e) => ({ server: e.after.servers.get(ids.server)?.channels, channel: e.after.channels.has(ids.general), read: e.after.readStates.has(ids.general) }));
  });

  it("ServerRoleDelete removes the role from the server, its channels' role_permissions and its members' roles", () => {
    const withRole: StoatEvent = {
      ...R,
      type: 'Ready',
      reconnect: false,
      data: {
        ...ready,
        channels: stoatChannelsFixture().map((c) => (c._id === ids.general && c.channel_type === 'TextChannel' ? { ...c, role_permissions: { [ids.role]: { a: 1, d: 0 }, other: { a: 2, d: 0 } } } : c)),
        members: [{ ...stoatMemberFixture(ids.alice), roles: [ids.role, 'other'] }, stoatMemberFixture(ids.me)],
      },
    };
    const view = (e: StoatCachedEvent) => {
      const c = e.after.channels.get(ids.general);
      return {
        role: e.after.servers.get(ids.server)?.roles?.[ids.role] !== undefined,
        perms: c?.channel_type === 'TextChannel' ? Object.keys(c.role_permissions ?? {}) : [],
        roles: getMember(e.after, ids.server, ids.alice)?.roles,
      };
    };
    run('r-d', { r: withRole, d: ev({ type: 'ServerRoleDelete', data: { id: ids.server, role_id: ids.role } }) }, 'r-d', {
      r: { role: true, perms: [ids.role, 'other'], roles: [ids.role, 'other'] },
      d: { role: false, perms: ['other'], roles: ['other'] },
    }, view);
  });

  it("MessageDeleteBulk's deleted messages are selectable from before", () => {
    const a = stoatMessageFixture('a');
    const b = stoatMessageFixture('b');
    const bulk = ev({ type: 'MessageDeleteBulk', data: { channel: ids.general, ids: [a._id, 'never-cached', b._id] } });
    run('r-a-b-x', { r: R, a: ev({ type: 'MessageCreate', data: a }), b: ev({ type: 'MessageCreate', data: b }), x: bulk }, 'r-a-b-x', { r: 0, a: 1, b: 2, x: { deleted: ['a', 'b'], left: 0 } }, (e) =>
      e.type === 'MessageDeleteBulk' ? { deleted: deletedMessagesOf(e).map((m) => m.content), left: e.after.messages.size } : e.after.messages.size,
    );
  });
});

describe('stoat cache parity: DM by recipient', () => {
  it('Ready indexes DMs by the other recipient; ChannelCreate adds, ChannelDelete removes', () => {
    const dm = { channel_type: 'DirectMessage' as const, _id: 'dm-bob', active: true, recipients: [ids.me, 'bob'] };
    run('r-c-d', { r: R, c: ev({ type: 'ChannelCreate', data: dm }), d: ev({ type: 'ChannelDelete', data: { id: 'dm-bob' } }) }, 'r-c-d', {
      r: { alice: ids.dm, bob: undefined, me: undefined },
      c: { alice: ids.dm, bob: 'dm-bob', me: undefined },
      d: { alice: ids.dm, bob: undefined, me: undefined },
    }, (e) => ({ alice: getDirectMessage(e.after, ids.alice)?._id, bob: getDirectMessage(e.after, 'bob')?._id, me: getDirectMessage(e.after, ids.me)?._id }));
  });
});

describe('stoat cache parity: intercept with the cache, and uncancel', () => {
  it('a predicate sees the current cache and the would-be after; uncancel applies a canceled event after all', () => {
    const m = stoatMessageFixture('keep me');
    const del = ev({ type: 'MessageDelete', data: { id: m._id, channel: ids.general } });
    const edit = (content: string) => ev({ type: 'MessageUpdate', data: { id: m._id, channel: ids.general, data: { content }, clear: [] } });
    const seen: string[] = [];
    run(
      'r-m-d-e-f',
      { r: R, m: ev({ type: 'MessageCreate', data: m }), d: del, e: edit('ok'), f: edit('SHOUTING') },
      'r-m-d-e-f',
      { r: 'Ready', m: 'MessageCreate', d: 'MessageDelete canceled keep me', e: 'MessageUpdate canceled->applied ok', f: 'MessageUpdate canceled ok' },
      (e) => (e.type === 'MessageDelete' ? `${e.type} ${e.canceled ? 'canceled' : ''} ${getMessage(e.after, m._id)?.content}` : e.type === 'MessageUpdate' ? `${e.type} ${e.canceled ? 'canceled' : 'canceled->applied'} ${getMessage(e.after, m._id)?.content}` : e.type),
      {
        intercept: [
          // Keep messages that the cache holds from being deleted: decided from the current state and the would-be after.
          cancelWhen((e, { state, after }) => {
            if (e.type !== 'MessageDelete') return false;
            seen.push(`${getMessage(state, e.data.id)?.content}->${String(getMessage(after, e.data.id)?.content)}`);
            return getMessage(state, e.data.id) !== undefined;
          }),
          // Freeze every edit...
          cancelWhen((e) => e.type === 'MessageUpdate'),
          // ...but let through the ones that do not shout, judged by what the message would become.
          uncancel((e, { after }) => e.type === 'MessageUpdate' && getMessage(after, e.data.id)?.content === e.data.data.content && !/^[A-Z]+$/.test(e.data.data.content ?? '')),
        ],
      },
    );
    expect(seen).toEqual(['keep me->undefined']);
  });
});

function strip(r: { last_id?: string; mentions?: readonly string[] } | undefined) {
  if (r === undefined) return undefined;
  return r.mentions === undefined ? { last_id: r.last_id } : { last_id: r.last_id, mentions: r.mentions };
}
