/**
 * The Stoat cache as an immutable value and its reducer. Built from Ready
 * (which replaces the whole cache: Bonfire has no resume, so a Ready after a
 * reconnect is a cache reset) and updated by data events, following what
 * stoat.py's events do in `process()`. Collections are persistent maps, so
 * the state before an event stays valid next to the state after it.
 *
 * Messages are bounded: two generations of at most `messageLimit / 2`
 * entries each; when the newer one fills up, the older one is dropped.
 */
import type { ChannelUnread, ChannelVoiceState, Emoji, Member, Message, Server, User, UserSettings, UserVoiceState, Channel, Role } from './codecs/models';
import type { StoatEvent } from './events';
import { PersistentMap } from './persistentMap';

/** The cache: every collection an immutable map, so `before` stays valid next to `after`. */
export interface StoatCache {
  /** The connected user's id (the Ready user whose relationship is `User`), once known. */
  readonly me: string | undefined;
  /** Users by id (Ready `users`, message authors, relationship changes). */
  readonly users: PersistentMap<User>;
  /** Servers by id, each with its `roles`. */
  readonly servers: PersistentMap<Server>;
  /** Channels of every type by id. */
  readonly channels: PersistentMap<Channel>;
  /** Keyed by `memberKey(server, user)`. */
  readonly members: PersistentMap<Member>;
  /** Emojis by id. */
  readonly emojis: PersistentMap<Emoji>;
  /** Voice states by channel id. */
  readonly voiceStates: PersistentMap<ChannelVoiceState>;
  /** The newer message generation. Use `getMessage` to look messages up. */
  readonly messages: PersistentMap<Message>;
  /** The older message generation. */
  readonly olderMessages: PersistentMap<Message>;
  /** About how many messages are kept (`maxMessages`, default 1000): each generation holds at most half. */
  readonly messageLimit: number;
  /** The own read state of each channel (Ready `channel_unreads`, MessageAck, mentions), by channel id. */
  readonly readStates: PersistentMap<ChannelUnread>;
  /** The own user settings (Ready `user_settings`, UserSettingsUpdate): key → [updated at, JSON text]. */
  readonly settings: UserSettings;
  /** DM channel id by the other recipient's user id. */
  readonly dmByUser: PersistentMap<string>;
  /** How many Readies built this cache (0 before the first; more than 1 after reconnects). */
  readonly generation: number;
}

/** An empty cache keeping about `messageLimit` messages. */
export function emptyStoatCache(messageLimit = 1000): StoatCache {
  const e = PersistentMap.empty<never>();
  return { me: undefined, users: e, servers: e, channels: e, members: e, emojis: e, voiceStates: e, messages: e, olderMessages: e, messageLimit, readStates: e, settings: EMPTY_SETTINGS, dmByUser: e, generation: 0 };
}

const EMPTY_SETTINGS: UserSettings = Object.freeze({});

/** Member map key of `user` in `server`. */
export function memberKey(server: string, user: string): string {
  return `${server}:${user}`;
}

/** A cached message (either generation). */
export function getMessage(cache: StoatCache, id: string): Message | undefined {
  return cache.messages.get(id) ?? cache.olderMessages.get(id);
}

/** A cached member. */
export function getMember(cache: StoatCache, server: string, user: string): Member | undefined {
  return cache.members.get(memberKey(server, user));
}

/** A role of a cached server. */
export function getRole(cache: StoatCache, server: string, role: string): Role | undefined {
  return cache.servers.get(server)?.roles?.[role];
}

/** A user's voice state in a channel. */
export function getUserVoiceState(cache: StoatCache, channel: string, user: string): UserVoiceState | undefined {
  return cache.voiceStates.get(channel)?.participants.find((p) => p.id === user);
}

/** The connected user, once Ready named it. */
export function getMe(cache: StoatCache): User | undefined {
  return cache.me === undefined ? undefined : cache.users.get(cache.me);
}

/** The own read state of a channel. */
export function getReadState(cache: StoatCache, channel: string): ChannelUnread | undefined {
  return cache.readStates.get(channel);
}

/** The DM channel with `user`, if cached. */
export function getDirectMessage(cache: StoatCache, user: string): Channel | undefined {
  const id = cache.dmByUser.get(user);
  return id === undefined ? undefined : cache.channels.get(id);
}

/** A new cache with some collections replaced (one fixed object shape: cheaper than a spread on the hot path). */
function patchCache(c: StoatCache, p: Partial<Omit<StoatCache, 'messageLimit'>>): StoatCache {
  return {
    me: 'me' in p ? p.me : c.me,
    users: p.users ?? c.users,
    servers: p.servers ?? c.servers,
    channels: p.channels ?? c.channels,
    members: p.members ?? c.members,
    emojis: p.emojis ?? c.emojis,
    voiceStates: p.voiceStates ?? c.voiceStates,
    messages: p.messages ?? c.messages,
    olderMessages: p.olderMessages ?? c.olderMessages,
    messageLimit: c.messageLimit,
    readStates: p.readStates ?? c.readStates,
    settings: p.settings ?? c.settings,
    dmByUser: p.dmByUser ?? c.dmByUser,
    generation: p.generation ?? c.generation,
  };
}

function updateMessage(cache: StoatCache, id: string, f: (m: Message) => Message): StoatCache {
  if (cache.messages.has(id)) return patchCache(cache, { messages: cache.messages.update(id, f) });
  if (cache.olderMessages.has(id)) return patchCache(cache, { olderMessages: cache.olderMessages.update(id, f) });
  return cache;
}

function deleteMessage(cache: StoatCache, id: string): StoatCache {
  const messages = cache.messages.delete(id);
  const olderMessages = cache.olderMessages.delete(id);
  return messages === cache.messages && olderMessages === cache.olderMessages ? cache : patchCache(cache, { messages, olderMessages });
}

/** `Avatar` → `avatar`, `DisplayName` → `display_name`: Bonfire's `clear` field names to object keys. */
function fieldKey(field: string): string {
  return field.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Merges a partial update and removes the cleared fields. */
function patch<T>(old: T, data: object, clear: readonly string[] | undefined): T {
  const next: Record<string, unknown> = { ...(old as Record<string, unknown>), ...data };
  for (const f of clear ?? []) {
    if (f === 'StatusText' || f === 'StatusPresence') {
      const status = next.status;
      if (typeof status === 'object' && status !== null) {
        const s: Record<string, unknown> = { ...status };
        delete s[f === 'StatusText' ? 'text' : 'presence'];
        next.status = s;
      }
    } else if (f === 'ProfileContent' || f === 'ProfileBackground') {
      continue; // profiles are not part of the cached user
    } else {
      delete next[fieldKey(f)];
    }
  }
  return next as T;
}

function mapOf<V>(items: readonly V[] | undefined, key: (v: V) => string): PersistentMap<V> {
  return items === undefined ? PersistentMap.empty<V>() : PersistentMap.of(items, key);
}

function fromReady(prev: StoatCache, data: Extract<StoatEvent, { type: 'Ready' }>['data']): StoatCache {
  const me = data.users?.find((u) => u.relationship === 'User')?._id;
  let dmByUser = PersistentMap.empty<string>();
  for (const c of data.channels ?? []) if (c.channel_type === 'DirectMessage') dmByUser = indexDm(dmByUser, c, me);
  return {
    ...emptyStoatCache(prev.messageLimit),
    me,
    readStates: mapOf(data.channel_unreads, (r) => r._id.channel),
    settings: data.user_settings ?? EMPTY_SETTINGS,
    dmByUser,
    users: mapOf(data.users, (u) => u._id),
    servers: mapOf(data.servers, (s) => s._id),
    channels: mapOf(data.channels, (c) => c._id),
    members: mapOf(data.members, (m) => memberKey(m._id.server, m._id.user)),
    emojis: mapOf(data.emojis, (e) => e._id),
    voiceStates: mapOf(data.voice_states, (v) => v.id),
    generation: prev.generation + 1,
  };
}

function indexDm(index: PersistentMap<string>, c: Channel, me: string | undefined): PersistentMap<string> {
  if (c.channel_type !== 'DirectMessage') return index;
  for (const r of c.recipients) if (r !== me) index = index.set(r, c._id);
  return index;
}

function unindexDm(index: PersistentMap<string>, c: Channel | undefined): PersistentMap<string> {
  if (c?.channel_type !== 'DirectMessage') return index;
  for (const r of c.recipients) if (index.get(r) === c._id) index = index.delete(r);
  return index;
}

/** The server, its channels (and their voice states and read states), emojis and members leave the cache. */
function withoutServer(cache: StoatCache, id: string): StoatCache {
  const server = cache.servers.get(id);
  let channels = cache.channels;
  let voiceStates = cache.voiceStates;
  let readStates = cache.readStates;
  const ids = new Set(server?.channels ?? []);
  // Channels of the server the server object does not list (e.g. created since) go too.
  for (const [k, c] of cache.channels.entries()) if (c.channel_type === 'TextChannel' && c.server === id) ids.add(k);
  for (const c of ids) {
    channels = channels.delete(c);
    voiceStates = voiceStates.delete(c);
    readStates = readStates.delete(c);
  }
  let members = cache.members;
  for (const [k, m] of cache.members.entries()) if (m._id.server === id) members = members.delete(k);
  let emojis = cache.emojis;
  for (const [k, e] of cache.emojis.entries()) if (e.parent.type === 'Server' && e.parent.id === id) emojis = emojis.delete(k);
  return patchCache(cache, { servers: cache.servers.delete(id), channels, voiceStates, readStates, members, emojis });
}

/** A message that mentions the connected user adds itself to the channel's read state `mentions`. */
function trackMention(cache: StoatCache, m: Message): PersistentMap<ChannelUnread> {
  const me = cache.me;
  if (me === undefined || m.author === me || m.mentions === undefined || !m.mentions.includes(me)) return cache.readStates;
  const old = cache.readStates.get(m.channel) ?? { _id: { channel: m.channel, user: me } };
  if (old.mentions?.includes(m._id)) return cache.readStates;
  return cache.readStates.set(m.channel, { ...old, mentions: [...(old.mentions ?? []), m._id] });
}

/** The relation of the connected user with `user` (its `relations` list), after a relationship change. */
function setRelation(cache: StoatCache, user: User): PersistentMap<User> {
  const users = cache.users.set(user._id, user);
  if (cache.me === undefined || user._id === cache.me) return users;
  return users.update(cache.me, (me) => {
    const rest = (me.relations ?? []).filter((r) => r._id !== user._id);
    const relations = user.relationship === 'None' ? rest : [...rest, { _id: user._id, status: user.relationship }];
    return { ...me, relations };
  });
}

function withoutRole(cache: StoatCache, serverId: string, role: string): StoatCache {
  const server = cache.servers.get(serverId);
  if (server === undefined) return cache;
  let roles = server.roles;
  if (roles !== undefined && role in roles) {
    const copy = { ...roles };
    delete copy[role];
    roles = copy;
  }
  const servers = roles === server.roles ? cache.servers : cache.servers.set(serverId, { ...server, roles });
  let channels = cache.channels;
  for (const id of server.channels) {
    channels = channels.update(id, (c) => {
      if (c.channel_type !== 'TextChannel' || c.role_permissions === undefined || !(role in c.role_permissions)) return c;
      const role_permissions = { ...c.role_permissions };
      delete role_permissions[role];
      return { ...c, role_permissions };
    });
  }
  let members = cache.members;
  for (const [k, m] of cache.members.entries()) {
    if (m._id.server === serverId && m.roles?.includes(role)) members = members.set(k, { ...m, roles: m.roles.filter((r) => r !== role) });
  }
  return patchCache(cache, { servers, channels, members });
}

/** Joined-at of the own member ServerCreate adds: the event does not say, so the epoch stands for "unknown". */
export const UNKNOWN_JOINED_AT = '1970-01-01T00:00:00.000Z';

function setParticipant(cache: StoatCache, channel: string, state: UserVoiceState): StoatCache {
  const cs = cache.voiceStates.get(channel);
  const participants = (cs?.participants ?? []).filter((p) => p.id !== state.id).concat([state]);
  return patchCache(cache, { voiceStates: cache.voiceStates.set(channel, { id: channel, participants }) });
}

function removeParticipant(cache: StoatCache, channel: string, user: string): StoatCache {
  const cs = cache.voiceStates.get(channel);
  if (!cs) return cache;
  return patchCache(cache, { voiceStates: cache.voiceStates.set(channel, { id: channel, participants: cs.participants.filter((p) => p.id !== user) }) });
}

function setRecipients(cache: StoatCache, id: string, f: (r: readonly string[]) => string[]): StoatCache {
  const c = cache.channels.get(id);
  if (!c || c.channel_type !== 'Group') return cache;
  return patchCache(cache, { channels: cache.channels.set(id, { ...c, recipients: f(c.recipients) }) });
}

function updateServer(cache: StoatCache, id: string, f: (s: Server) => Server): StoatCache {
  const servers = cache.servers.update(id, f);
  return servers === cache.servers ? cache : patchCache(cache, { servers });
}

/** The pure reducer: the cache after one event (stoat.py's `process()` per event). Unknown ids leave the cache as it is. */
export function reduceStoatCache(cache: StoatCache, event: StoatEvent): StoatCache {
  switch (event.type) {
    case 'Ready':
      return fromReady(cache, event.data);
    case 'MessageCreate': {
      // The hot path: one new cache object per message.
      const m = event.data;
      let messages = cache.messages;
      let olderMessages = cache.olderMessages;
      if (messages.size >= Math.max(1, cache.messageLimit >> 1) && messages.get(m._id) === undefined) {
        olderMessages = messages; // rotate: the older generation is dropped
        messages = PersistentMap.empty<Message>();
      } else if (olderMessages.size > 0) {
        olderMessages = olderMessages.delete(m._id);
      }
      messages = messages.set(m._id, m);
      const users = m.user ? cache.users.set(m.user._id, m.user) : cache.users;
      const members = m.member ? cache.members.set(memberKey(m.member._id.server, m.member._id.user), m.member) : cache.members;
      const ch = cache.channels.get(m.channel);
      const channels = ch && ch.channel_type !== 'SavedMessages' && ch.last_message_id !== m._id ? cache.channels.set(m.channel, { ...ch, last_message_id: m._id }) : cache.channels;
      const readStates = m.mentions === undefined ? cache.readStates : trackMention(cache, m);
      return patchCache(cache, { messages, olderMessages, users, members, channels, readStates });
    }
    case 'MessageUpdate':
      return updateMessage(cache, event.data.id, (m) => patch(m, event.data.data, event.data.clear));
    case 'MessageAppend':
      return updateMessage(cache, event.data.id, (m) => ({ ...m, embeds: [...(m.embeds ?? []), ...(event.data.append.embeds ?? [])] }));
    case 'MessageDelete':
      return deleteMessage(cache, event.data.id);
    case 'MessageDeleteBulk':
      return event.data.ids.reduce(deleteMessage, cache);
    case 'MessageReact': {
      const { emoji_id, user_id } = event.data;
      return updateMessage(cache, event.data.id, (m) => {
        const users = m.reactions?.[emoji_id] ?? [];
        return users.includes(user_id) ? m : { ...m, reactions: { ...m.reactions, [emoji_id]: [...users, user_id] } };
      });
    }
    case 'MessageUnreact': {
      const { emoji_id, user_id } = event.data;
      return updateMessage(cache, event.data.id, (m) => {
        const users = m.reactions?.[emoji_id];
        if (!users || !users.includes(user_id)) return m;
        const reactions = { ...m.reactions, [emoji_id]: users.filter((u) => u !== user_id) };
        if (reactions[emoji_id].length === 0) delete reactions[emoji_id];
        return { ...m, reactions };
      });
    }
    case 'MessageClearReaction':
      return updateMessage(cache, event.data.id, (m) => {
        if (!m.reactions || !(event.data.emoji_id in m.reactions)) return m;
        const reactions = { ...m.reactions };
        delete reactions[event.data.emoji_id];
        return { ...m, reactions };
      });
    case 'ServerCreate': {
      const d = event.data;
      let channels = cache.channels;
      for (const c of d.channels) channels = channels.set(c._id, c);
      let emojis = cache.emojis;
      for (const e of d.emojis ?? []) emojis = emojis.set(e._id, e);
      let voiceStates = cache.voiceStates;
      for (const v of d.voice_states ?? []) voiceStates = voiceStates.set(v.id, v);
      let members = cache.members;
      if (cache.me !== undefined && !members.has(memberKey(d.server._id, cache.me))) {
        members = members.set(memberKey(d.server._id, cache.me), { _id: { server: d.server._id, user: cache.me }, joined_at: UNKNOWN_JOINED_AT });
      }
      return patchCache(cache, { servers: cache.servers.set(d.server._id, d.server), channels, emojis, voiceStates, members });
    }
    case 'ServerUpdate':
      return updateServer(cache, event.data.id, (s) => patch(s, event.data.data, event.data.clear));
    case 'ServerDelete':
      return withoutServer(cache, event.data.id);
    case 'ServerMemberJoin': {
      const m = event.data.member;
      return patchCache(cache, { members: cache.members.set(memberKey(m._id.server, m._id.user), m) });
    }
    case 'ServerMemberUpdate': {
      const members = cache.members.update(memberKey(event.data.id.server, event.data.id.user), (m) => patch(m, event.data.data, event.data.clear));
      return members === cache.members ? cache : patchCache(cache, { members });
    }
    case 'ServerMemberRemove':
      // The connected user leaving (or kicked, banned) takes the whole server out of the cache.
      if (event.data.user === cache.me) return withoutServer(cache, event.data.id);
      return patchCache(cache, { members: cache.members.delete(memberKey(event.data.id, event.data.user)) });
    case 'RawServerRoleUpdate': {
      const { id, role_id, data, clear } = event.data;
      return updateServer(cache, id, (s) => {
        const old: Role = s.roles?.[role_id] ?? { _id: role_id, name: '', permissions: { a: 0, d: 0 }, rank: 0 };
        return { ...s, roles: { ...s.roles, [role_id]: patch(old, data, clear) } };
      });
    }
    case 'ServerRoleDelete':
      return withoutRole(cache, event.data.id, event.data.role_id);
    case 'ServerRoleRanksUpdate':
      return updateServer(cache, event.data.id, (s) => {
        const roles = { ...s.roles };
        event.data.ranks.forEach((roleId, rank) => {
          const r = roles[roleId];
          if (r) roles[roleId] = { ...r, rank };
        });
        return { ...s, roles };
      });
    case 'ServerEmojiCreate':
      return patchCache(cache, { emojis: cache.emojis.set(event.data._id, event.data) });
    case 'ServerEmojiUpdate': {
      const emojis = cache.emojis.update(event.data.id, (e) => ({ ...e, ...event.data.data }));
      return emojis === cache.emojis ? cache : patchCache(cache, { emojis });
    }
    case 'ServerEmojiDelete':
      return patchCache(cache, { emojis: cache.emojis.delete(event.data.id) });
    case 'ChannelCreate': {
      const c = event.data;
      const me = cache.me;
      const readStates = me === undefined || cache.readStates.has(c._id) ? cache.readStates : cache.readStates.set(c._id, { _id: { channel: c._id, user: me } });
      let servers = cache.servers;
      if (c.channel_type === 'TextChannel') servers = servers.update(c.server, (s) => (s.channels.includes(c._id) ? s : { ...s, channels: [...s.channels, c._id] }));
      return patchCache(cache, { channels: cache.channels.set(c._id, c), readStates, dmByUser: indexDm(cache.dmByUser, c, me), servers });
    }
    case 'ChannelUpdate': {
      const channels = cache.channels.update(event.data.id, (c) => patch(c, event.data.data, event.data.clear));
      return channels === cache.channels ? cache : patchCache(cache, { channels });
    }
    case 'ChannelDelete': {
      const id = event.data.id;
      const old = cache.channels.get(id);
      const servers = old?.channel_type === 'TextChannel' ? cache.servers.update(old.server, (s) => (s.channels.includes(id) ? { ...s, channels: s.channels.filter((c) => c !== id) } : s)) : cache.servers;
      let next: StoatCache = patchCache(cache, {
        channels: cache.channels.delete(id),
        voiceStates: cache.voiceStates.delete(id),
        readStates: cache.readStates.delete(id),
        dmByUser: unindexDm(cache.dmByUser, old),
        servers,
      });
      next = withoutChannelMessages(next, event.data.id);
      return next;
    }
    case 'GroupRecipientAdd':
      return setRecipients(cache, event.data.id, (r) => (r.includes(event.data.user) ? [...r] : [...r, event.data.user]));
    case 'GroupRecipientRemove':
      return setRecipients(cache, event.data.id, (r) => r.filter((u) => u !== event.data.user));
    case 'UserUpdate': {
      const users = cache.users.update(event.data.id, (u) => patch(u, event.data.data, event.data.clear));
      return users === cache.users ? cache : patchCache(cache, { users });
    }
    case 'UserRelationshipUpdate':
      return patchCache(cache, { users: setRelation(cache, event.data.user) });
    case 'UserSettingsUpdate':
      if (event.data.id !== cache.me && cache.me !== undefined) return cache;
      return patchCache(cache, { settings: { ...cache.settings, ...event.data.update } });
    case 'MessageAck': {
      const { id, user, message_id } = event.data;
      if (cache.me !== undefined && user !== cache.me) return cache;
      const old = cache.readStates.get(id);
      // ULIDs sort by time: mentions after the acknowledged message stay unread.
      const mentions = (old?.mentions ?? []).filter((m) => m > message_id);
      const next: ChannelUnread = mentions.length > 0 ? { _id: { channel: id, user }, last_id: message_id, mentions } : { _id: { channel: id, user }, last_id: message_id };
      return patchCache(cache, { readStates: cache.readStates.set(id, next) });
    }
    case 'UserPlatformWipe': {
      const users = cache.users.update(event.data.user_id, (u) => {
        const wiped: User = { ...u, username: 'Removed User', flags: event.data.flags, relationship: 'None', online: false };
        delete wiped.display_name;
        delete wiped.avatar;
        return wiped;
      });
      return users === cache.users ? cache : patchCache(cache, { users });
    }
    case 'VoiceChannelJoin':
      return setParticipant(cache, event.data.id, event.data.state);
    case 'VoiceChannelLeave':
      return removeParticipant(cache, event.data.id, event.data.user);
    case 'VoiceChannelMove':
      return setParticipant(removeParticipant(cache, event.data.from, event.data.user), event.data.to, event.data.state);
    case 'UserVoiceStateUpdate': {
      const { id, channel_id, data } = event.data;
      const old = getUserVoiceState(cache, channel_id, id);
      return old ? setParticipant(cache, channel_id, { ...old, ...data, id }) : cache;
    }
    default:
      return cache;
  }
}

function withoutChannelMessages(cache: StoatCache, channel: string): StoatCache {
  let messages = cache.messages;
  for (const [k, m] of cache.messages.entries()) if (m.channel === channel) messages = messages.delete(k);
  let olderMessages = cache.olderMessages;
  for (const [k, m] of cache.olderMessages.entries()) if (m.channel === channel) olderMessages = olderMessages.delete(k);
  return patchCache(cache, { messages, olderMessages });
}
