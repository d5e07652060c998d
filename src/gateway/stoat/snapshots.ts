/**
 * Before/after selectors: the cached object an event is about, as it was
 * before the event and as it is after (stoat.py's `before`/`after`). For a
 * canceled event both are the same; for an object the cache did not hold,
 * `before` is undefined.
 */
import { getMember, getMessage, getReadState, getRole, getUserVoiceState, type StoatCache } from './cache';
import type { Channel, ChannelUnread, ChannelVoiceState, Emoji, Member, Message, Role, Server, User, UserSettings, UserVoiceState } from './codecs/models';
import type { StoatEvent } from './events';

/** Which cached object each event type is about (what `beforeOf`/`afterOf` return). */
export interface StoatEntityOf {
  /** The message `data._id` (not cached before its MessageCreate, so `beforeOf` is usually undefined). */
  MessageCreate: Message;
  /** The message `data.id`. */
  MessageUpdate: Message;
  /** The message `data.id` (`after` has the appended embeds). */
  MessageAppend: Message;
  /** The message `data.id` (`afterOf` is undefined once it is deleted). */
  MessageDelete: Message;
  /** The message `data.id` (its `reactions`). */
  MessageReact: Message;
  /** The message `data.id` (its `reactions`). */
  MessageUnreact: Message;
  /** The message `data.id` (its `reactions`). */
  MessageClearReaction: Message;
  /** The deleted messages the cache held (in the order of `ids`). */
  MessageDeleteBulk: readonly Message[];
  /** The own read state of the channel. */
  MessageAck: ChannelUnread;
  /** The own user settings. */
  UserSettingsUpdate: UserSettings;
  /** The server `data.id`. */
  ServerCreate: Server;
  /** The server `data.id`. */
  ServerUpdate: Server;
  /** The server `data.id` (`afterOf` is undefined once it is deleted). */
  ServerDelete: Server;
  /** The member `data.user` of server `data.id`. */
  ServerMemberJoin: Member;
  /** The member `data.id` (`{server, user}`). */
  ServerMemberUpdate: Member;
  /** The member `data.user` of server `data.id` (`afterOf` is undefined once removed). */
  ServerMemberRemove: Member;
  /** The role `data.role_id` of server `data.id`. */
  RawServerRoleUpdate: Role;
  /** The role `data.role_id` of server `data.id` (`afterOf` is undefined once deleted). */
  ServerRoleDelete: Role;
  /** The emoji `data._id`. */
  ServerEmojiCreate: Emoji;
  /** The emoji `data.id`. */
  ServerEmojiUpdate: Emoji;
  /** The emoji `data.id` (`afterOf` is undefined once deleted). */
  ServerEmojiDelete: Emoji;
  /** The channel `data._id`. */
  ChannelCreate: Channel;
  /** The channel `data.id`. */
  ChannelUpdate: Channel;
  /** The channel `data.id` (`afterOf` is undefined once deleted). */
  ChannelDelete: Channel;
  /** The group channel `data.id` (its `recipients`). */
  GroupRecipientAdd: Channel;
  /** The group channel `data.id` (its `recipients`). */
  GroupRecipientRemove: Channel;
  /** The user `data.id`. */
  UserUpdate: User;
  /** The user `data.user._id` (its `relationship` to the connected user). */
  UserRelationshipUpdate: User;
  /** The user `data.user_id`. */
  UserPlatformWipe: User;
  /** The voice state of channel `data.id` (its `participants`). */
  VoiceChannelJoin: ChannelVoiceState;
  /** The voice state of channel `data.id` (its `participants`). */
  VoiceChannelLeave: ChannelVoiceState;
  /** The voice state of user `data.id` in channel `data.channel_id`. */
  UserVoiceStateUpdate: UserVoiceState;
}

/** The cached object type an event type `T` is about (undefined for the others). */
export type StoatEntity<T extends string> = T extends keyof StoatEntityOf ? StoatEntityOf[T] : undefined;

/** The cached object `event` is about, looked up in `cache`. */
export function entityOf<E extends StoatEvent>(cache: StoatCache, event: E): StoatEntity<E['type']> | undefined;
export function entityOf(cache: StoatCache, e: StoatEvent): unknown {
  switch (e.type) {
    case 'MessageCreate':
      return getMessage(cache, e.data._id);
    case 'MessageUpdate':
    case 'MessageAppend':
    case 'MessageDelete':
    case 'MessageReact':
    case 'MessageUnreact':
    case 'MessageClearReaction':
      return getMessage(cache, e.data.id);
    case 'MessageDeleteBulk':
      return e.data.ids.flatMap((id) => {
        const m = getMessage(cache, id);
        return m === undefined ? [] : [m];
      });
    case 'MessageAck':
      return getReadState(cache, e.data.id);
    case 'UserSettingsUpdate':
      return cache.settings;
    case 'ServerCreate':
    case 'ServerUpdate':
    case 'ServerDelete':
      return cache.servers.get(e.data.id);
    case 'ServerMemberJoin':
    case 'ServerMemberRemove':
      return getMember(cache, e.data.id, e.data.user);
    case 'ServerMemberUpdate':
      return getMember(cache, e.data.id.server, e.data.id.user);
    case 'RawServerRoleUpdate':
    case 'ServerRoleDelete':
      return getRole(cache, e.data.id, e.data.role_id);
    case 'ServerEmojiCreate':
      return cache.emojis.get(e.data._id);
    case 'ServerEmojiUpdate':
    case 'ServerEmojiDelete':
      return cache.emojis.get(e.data.id);
    case 'ChannelCreate':
      return cache.channels.get(e.data._id);
    case 'ChannelUpdate':
    case 'ChannelDelete':
    case 'GroupRecipientAdd':
    case 'GroupRecipientRemove':
      return cache.channels.get(e.data.id);
    case 'UserUpdate':
      return cache.users.get(e.data.id);
    case 'UserRelationshipUpdate':
      return cache.users.get(e.data.user._id);
    case 'UserPlatformWipe':
      return cache.users.get(e.data.user_id);
    case 'VoiceChannelJoin':
    case 'VoiceChannelLeave':
      return cache.voiceStates.get(e.data.id);
    case 'UserVoiceStateUpdate':
      return getUserVoiceState(cache, e.data.channel_id, e.data.id);
    default:
      return undefined;
  }
}

/** What the selectors need of an event: the cache before it and after it (every `StoatCachedEvent` has both). */
export interface WithStates {
  /** The cache as it was before the event. */
  readonly before: StoatCache;
  /** The cache after the event (the same object as `before` when the event was canceled). */
  readonly after: StoatCache;
}

/** The object the event is about, before the event (e.g. the message before a MessageUpdate). */
export function beforeOf<E extends StoatEvent & WithStates>(event: E): StoatEntity<E['type']> | undefined {
  return entityOf(event.before, event);
}

/** The messages a MessageDeleteBulk deleted, as the cache held them before it (empty when none were cached). */
export function deletedMessagesOf(event: Extract<StoatEvent, { type: 'MessageDeleteBulk' }> & WithStates): readonly Message[] {
  return entityOf(event.before, event) ?? [];
}

/** The object the event is about, after the event was applied (same as `beforeOf` when canceled). */
export function afterOf<E extends StoatEvent & WithStates>(event: E): StoatEntity<E['type']> | undefined {
  return entityOf(event.after, event);
}
