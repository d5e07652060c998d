import fc from 'fast-check';
import { emptyStoatCache, getMember, getMessage, PersistentMap, reduceStoatCache, type StoatEvent } from '../../src/gateway/stoat';
import { StoatIds, stoatMessageFixture, stoatReadyFixture } from '../../src/testing/stoat';

describe('PersistentMap', () => {
  it('behaves like a Map under random operations and never changes an old version', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 60 }), (ops) => {
        let p = PersistentMap.empty<number>();
        const m = new Map<string, number>();
        const versions: Array<[PersistentMap<number>, Map<string, number>]> = [];
        for (const [del, k, v] of ops) {
          if (del) {
            p = p.delete(k);
            m.delete(k);
          } else {
            p = p.set(k, v);
            m.set(k, v);
          }
          versions.push([p, new Map(m)]);
        }
        for (const [pv, mv] of versions) {
          expect(pv.size).toBe(mv.size);
          for (const [k, v] of mv) expect(pv.get(k)).toBe(v);
          expect(new Map(pv.entries())).toEqual(mv);
        }
      }),
    );
  });
});

const ev = (e: Record<string, unknown> & { type: string }): StoatEvent => ({ source: 'stoat', ...e }) as StoatEvent;

describe('stoat cache reducer', () => {
  const ready = reduceStoatCache(emptyStoatCache(), { source: 'stoat', type: 'Ready', data: stoatReadyFixture(), reconnect: false });

  it('builds every collection from Ready', () => {
    expect(ready.users.size).toBe(2);
    expect(ready.servers.size).toBe(1);
    expect(ready.channels.size).toBe(4);
    expect(ready.members.size).toBe(2);
    expect(ready.emojis.size).toBe(1);
    expect(ready.voiceStates.get(StoatIds.voice)?.participants).toHaveLength(1);
    expect(ready.generation).toBe(1);
  });

  it('applies message events without touching the previous state', () => {
    const m = stoatMessageFixture('hi');
    const s1 = reduceStoatCache(ready, ev({ type: 'MessageCreate', data: m }));
    const s2 = reduceStoatCache(s1, ev({ type: 'MessageReact', data: { id: m._id, channel_id: m.channel, user_id: 'u1', emoji_id: 'E' } }));
    const s3 = reduceStoatCache(s2, ev({ type: 'MessageUnreact', data: { id: m._id, channel_id: m.channel, user_id: 'u1', emoji_id: 'E' } }));
    const s4 = reduceStoatCache(s3, ev({ type: 'MessageDelete', data: { id: m._id, channel: m.channel } }));
    expect(getMessage(s1, m._id)?.content).toBe('hi');
    expect(getMessage(s2, m._id)?.reactions).toEqual({ E: ['u1'] });
    expect(getMessage(s3, m._id)?.reactions).toEqual({});
    expect(getMessage(s4, m._id)).toBeUndefined();
    expect(getMessage(ready, m._id)).toBeUndefined();
    expect(s1.channels.get(StoatIds.general)).toMatchObject({ last_message_id: m._id });
  });

  it('members, roles and voice states follow their events', () => {
    let s = reduceStoatCache(ready, ev({ type: 'ServerMemberUpdate', data: { id: { server: StoatIds.server, user: StoatIds.alice }, data: { nickname: 'al' }, clear: ['Roles'] } }));
    expect(getMember(s, StoatIds.server, StoatIds.alice)).toMatchObject({ nickname: 'al' });
    expect(getMember(s, StoatIds.server, StoatIds.alice)?.roles).toBeUndefined();
    s = reduceStoatCache(s, ev({ type: 'RawServerRoleUpdate', data: { id: StoatIds.server, role_id: 'R2', data: { name: 'New', permissions: { a: 1, d: 0 } } } }));
    expect(s.servers.get(StoatIds.server)?.roles?.R2).toMatchObject({ name: 'New' });
    s = reduceStoatCache(s, ev({ type: 'ServerMemberRemove', data: { id: StoatIds.server, user: StoatIds.alice, reason: 'Leave' } }));
    expect(getMember(s, StoatIds.server, StoatIds.alice)).toBeUndefined();
    s = reduceStoatCache(s, ev({ type: 'VoiceChannelMove', data: { user: StoatIds.alice, from: StoatIds.voice, to: 'other', state: { id: StoatIds.alice } } }));
    expect(s.voiceStates.get(StoatIds.voice)?.participants).toEqual([]);
    expect(s.voiceStates.get('other')?.participants).toEqual([{ id: StoatIds.alice }]);
    s = reduceStoatCache(s, ev({ type: 'ServerDelete', data: { id: StoatIds.server } }));
    expect(s.servers.size).toBe(0);
    expect(s.members.size).toBe(0);
    expect(s.channels.get(StoatIds.general)).toBeUndefined();
    expect(s.emojis.size).toBe(0);
  });
});
