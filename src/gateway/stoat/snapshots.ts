/**
 * Before/after selectors: the cached object an event is about, as it was
 * before the event and as it is after (stoat.py's `before`/`after`). For a
 * canceled event both are the same; for an object the cache did not hold,
 * `before` is undefined.
 */
import { getMember, getMessage, getReadState, getRole, getUserVoiceState, type StoatCache } from './cache';
import type { Channel, ChannelUnread, ChannelVoiceState, Emoji, Member, Message, Role, Server, User, UserSettings, UserVoiceState } from './codecs/models';
import type { StoatEvent } from './events';

/** Which cached object each event type is about. */
/** Which cached object each event type is about (what `beforeOf`/`afterOf` return). */
export interface StoatEntityOf {
  MessageCreate: Message;
  MessageUpdate: Message;
  MessageAppend: Message;
  MessageDelete: Message;
  MessageReact: Message;
  MessageUnreact: Message;
  MessageClearReaction: Message;
  /** The deleted messages the cache held (in the order of `ids`). */
  MessageDeleteBulk: readonly Message[];
  /** The own read state of the channel. */
  MessageAck: ChannelUnread;
  /** The own user settings. */
  UserSettingsUpdate: UserSettings;
  ServerCreate: Server;
  ServerUpdate: Server;
  ServerDelete: Server;
  ServerMemberJoin: Member;
  ServerMemberUpdate: Member;
  ServerMemberRemove: Member;
  RawServerRoleUpdate: Role;
  ServerRoleDelete: Role;
  ServerEmojiCreate: Emoji;
  ServerEmojiUpdate: Emoji;
  ServerEmojiDelete: Emoji;
  ChannelCreate: Channel;
  ChannelUpdate: Channel;
  ChannelDelete: Channel;
  GroupRecipientAdd: Channel;
  GroupRecipientRemove: Channel;
  UserUpdate: User;
  UserRelationshipUpdate: User;
  UserPlatformWipe: User;
  VoiceChannelJoin: ChannelVoiceState;
  VoiceChannelLeave: ChannelVoiceState;
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

interface WithStates {
  readonly before: StoatCache;
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
