/**
 * io-ts codecs of the Mezon realtime payloads, in the wire's own (proto)
 * field names, following the official schema (mezonai/mezon-protocol rtapi/realtime.proto
 * and api/api.proto; rxwire's copy: schema.generated.ts). Every scalar is a proto3 field with its default, so binary
 * frames (all fields present) take the fast `is` path and JSON frames
 * (defaults omitted) decode to equal values.
 */
import * as t from 'io-ts';
import { Bool, Bytes, I64, Int64String, Num, Rep, Str } from './protoCodecs';

const UnknownObject = t.UnknownRecord;

// ---- api messages carried inside channel_message (decoded from its bytes fields) ----

/** Codec of Mezon's MessageReaction (proto field names, proto3 defaults). */
export const MezonMessageReaction = t.type(
  {
    id: I64,
    emoji_id: I64,
    emoji: Str,
    sender_id: I64,
    sender_name: Str,
    sender_avatar: Str,
    action: Bool,
    count: Num,
    channel_id: I64,
    message_id: I64,
    clan_id: I64,
    mode: Num,
    message_sender_id: I64,
    is_public: Bool,
    topic_id: I64,
    emoji_recent_id: I64,
  },
  'MessageReaction',
);
/** A decoded MessageReaction. */
export type MezonMessageReaction = t.TypeOf<typeof MezonMessageReaction>;

/** Codec of Mezon's MessageMention (proto field names, proto3 defaults). */
export const MezonMessageMention = t.type(
  { id: I64, user_id: I64, username: Str, role_id: I64, rolename: Str, create_time_seconds: Num, s: Num, e: Num },
  'MessageMention',
);
/** A decoded MessageMention. */
export type MezonMessageMention = t.TypeOf<typeof MezonMessageMention>;

/** Codec of Mezon's MessageAttachment (proto field names, proto3 defaults). */
export const MezonMessageAttachment = t.type(
  { filename: Str, size: Num, url: Str, filetype: Str, width: Num, height: Num, thumbnail: Str, duration: Num },
  'MessageAttachment',
);
/** A decoded MessageAttachment. */
export type MezonMessageAttachment = t.TypeOf<typeof MezonMessageAttachment>;

/** Codec of Mezon's MessageRef (proto field names, proto3 defaults). */
export const MezonMessageRef = t.type(
  {
    message_id: I64,
    message_ref_id: I64,
    content: Str,
    has_attachment: Bool,
    ref_type: Num,
    message_sender_id: I64,
    message_sender_username: Str,
    message_sender_avatar: Str,
    message_sender_clan_nick: Str,
    message_sender_display_name: Str,
  },
  'MessageRef',
);
/** A decoded MessageRef. */
export type MezonMessageRef = t.TypeOf<typeof MezonMessageRef>;

/**
 * The parsed `content` JSON of a channel message: `t` is the text; markup
 * (mk), hashtags (hg), emojis (ej), links (lk), embeds and components are kept
 * as the JSON they are.
 */
export const MezonMessageContent = t.intersection(
  [
    t.UnknownRecord,
    t.partial({
      t: t.string,
      mk: t.array(t.unknown),
      hg: t.array(t.unknown),
      ej: t.array(t.unknown),
      lk: t.array(t.unknown),
      vk: t.array(t.unknown),
      embed: t.array(t.unknown),
      components: t.array(t.unknown),
    }),
  ],
  'MessageContent',
);
/** A decoded MessageContent. */
export type MezonMessageContent = t.TypeOf<typeof MezonMessageContent>;

/** channel_message after its content is parsed and its bytes fields decoded (see channelMessage.ts). */
export const MezonChannelMessage = t.type(
  {
    clan_id: I64,
    channel_id: I64,
    message_id: I64,
    code: Num,
    sender_id: I64,
    username: Str,
    avatar: Str,
    content: MezonMessageContent,
    channel_label: Str,
    clan_logo: Str,
    category_name: Str,
    display_name: Str,
    clan_nick: Str,
    clan_avatar: Str,
    reactions: t.array(MezonMessageReaction),
    mentions: t.array(MezonMessageMention),
    attachments: t.array(MezonMessageAttachment),
    references: t.array(MezonMessageRef),
    referenced_message: Bytes,
    create_time_seconds: Num,
    update_time_seconds: Num,
    mode: Num,
    hide_editted: Bool,
    is_public: Bool,
    topic_id: I64,
  },
  'ChannelMessage',
);
/** A decoded ChannelMessage. */
export type MezonChannelMessage = t.TypeOf<typeof MezonChannelMessage>;

// ---- realtime events ----

/** Codec of Mezon's MessageTypingEvent (proto field names, proto3 defaults). */
export const MezonMessageTypingEvent = t.type(
  { clan_id: I64, channel_id: I64, sender_id: I64, mode: Num, is_public: Bool, sender_username: Str, sender_display_name: Str, topic_id: I64 },
  'MessageTypingEvent',
);

/** Codec of Mezon's MessageButtonClicked (proto field names, proto3 defaults). */
export const MezonMessageButtonClicked = t.type(
  { message_id: I64, channel_id: I64, button_id: Str, sender_id: I64, user_id: I64, extra_data: Str },
  'MessageButtonClicked',
);

/** Codec of Mezon's ChannelCreatedEvent (proto field names, proto3 defaults). */
export const MezonChannelCreatedEvent = t.type(
  {
    clan_id: I64,
    category_id: I64,
    creator_id: I64,
    parent_id: I64,
    channel_id: I64,
    channel_label: Str,
    channel_private: Num,
    channel_type: Num,
    status: Num,
    app_id: I64,
    clan_name: Str,
    channel_avatar: Str,
  },
  'ChannelCreatedEvent',
);

/** Codec of Mezon's ChannelDeletedEvent (proto field names, proto3 defaults). */
export const MezonChannelDeletedEvent = t.type(
  { clan_id: I64, category_id: I64, parent_id: I64, channel_id: I64, deletor: Str },
  'ChannelDeletedEvent',
);

/** Codec of Mezon's ChannelUpdatedEvent (proto field names, proto3 defaults). */
export const MezonChannelUpdatedEvent = t.type(
  {
    clan_id: I64,
    category_id: I64,
    creator_id: I64,
    parent_id: I64,
    channel_id: I64,
    channel_label: Str,
    channel_type: Num,
    status: Num,
    meeting_code: Str,
    is_error: Bool,
    channel_private: Bool,
    app_id: I64,
    e2ee: Num,
    topic: Str,
    age_restricted: Num,
    active: Num,
    count_mess_unread: Num,
    user_ids: Rep(Int64String),
    role_ids: Rep(Int64String),
    channel_avatar: Str,
  },
  'ChannelUpdatedEvent',
);

/** Codec of Mezon's UserPresence (proto field names, proto3 defaults). */
export const MezonUserPresence = t.intersection(
  [
    t.type({ user_id: I64, session_id: Num, username: Str, is_mobile: Bool, user_status: Str }),
    t.partial({ status: t.union([t.string, t.undefined]) }),
  ],
  'UserPresence',
);

/** Codec of Mezon's ChannelPresenceEvent (proto field names, proto3 defaults). */
export const MezonChannelPresenceEvent = t.type(
  { channel_id: I64, joins: Rep(MezonUserPresence), leaves: Rep(MezonUserPresence), clan_logo: Str, category_name: Str, mode: Num },
  'ChannelPresenceEvent',
);

/** Codec of Mezon's UserProfile (proto field names, proto3 defaults). */
export const MezonUserProfile = t.type(
  {
    user_id: I64,
    username: Str,
    avatar: Str,
    display_name: Str,
    user_status: Str,
    status: Str,
    online: Bool,
    joined_clans: Rep(Int64String),
    fcm_tokens: Rep(t.type({ device_id: Str, token_id: Str, platform: Str })),
    app_token: Str,
    create_time_second: Num,
    app_url: Str,
    is_bot: Bool,
    voip_token: Str,
  },
  'UserProfileRedis',
);

/** api.ChannelDescription (in user_channel_added_event and notifications). */
export const MezonChannelDescription = t.intersection(
  [
    t.type({
      clan_id: I64,
      parent_id: I64,
      channel_id: I64,
      category_id: I64,
      category_name: Str,
      type: Num,
      creator_id: I64,
      channel_label: Str,
      channel_private: Num,
      avatars: Rep(t.string),
      user_ids: Rep(Int64String),
      onlines: Rep(t.boolean),
      meeting_code: Str,
      count_mess_unread: Num,
      active: Num,
      last_pin_message: Str,
      usernames: Rep(t.string),
      creator_name: Str,
      create_time_seconds: Num,
      update_time_seconds: Num,
      display_names: Rep(t.string),
      channel_avatar: Str,
      clan_name: Str,
      app_id: I64,
      is_mute: Bool,
      age_restricted: Num,
      topic: Str,
      e2ee: Num,
      member_count: Num,
    }),
    t.partial({ last_sent_message: t.union([UnknownObject, t.undefined]), last_seen_message: t.union([UnknownObject, t.undefined]) }),
  ],
  'ChannelDescription',
);

/** Codec of Mezon's UserChannelAdded (proto field names, proto3 defaults). */
export const MezonUserChannelAdded = t.intersection(
  [
    t.type({ users: Rep(MezonUserProfile), status: Str, clan_id: I64, create_time_seconds: Num, active: Num }),
    t.partial({ channel_desc: t.union([MezonChannelDescription, t.undefined]), caller: t.union([MezonUserProfile, t.undefined]) }),
  ],
  'UserChannelAdded',
);

/** Codec of Mezon's UserChannelRemoved (proto field names, proto3 defaults). */
export const MezonUserChannelRemoved = t.type(
  { channel_id: I64, user_ids: Rep(Int64String), channel_type: Num, clan_id: I64, badge_counts: Rep(t.number) },
  'UserChannelRemoved',
);

/** Codec of Mezon's UserClanRemoved (proto field names, proto3 defaults). */
export const MezonUserClanRemoved = t.type({ clan_id: I64, user_ids: Rep(Int64String) }, 'UserClanRemoved');

/** Codec of Mezon's AddClanUserEvent (proto field names, proto3 defaults). */
export const MezonAddClanUserEvent = t.intersection(
  [t.type({ clan_id: I64, invitor: Str }), t.partial({ user: t.union([MezonUserProfile, t.undefined]) })],
  'AddClanUserEvent',
);

/** Codec of Mezon's VoiceJoinedEvent (proto field names, proto3 defaults). */
export const MezonVoiceJoinedEvent = t.type(
  { clan_id: I64, clan_name: Str, id: Str, participant: Str, user_id: I64, voice_channel_label: Str, voice_channel_id: I64, last_screenshot: Str },
  'VoiceJoinedEvent',
);
/** Codec of Mezon's VoiceLeavedEvent (proto field names, proto3 defaults). */
export const MezonVoiceLeavedEvent = t.type({ id: Str, clan_id: I64, voice_channel_id: I64, voice_user_id: I64 }, 'VoiceLeavedEvent');
/** Codec of Mezon's VoiceStartedEvent (proto field names, proto3 defaults). */
export const MezonVoiceStartedEvent = t.type({ id: Str, clan_id: I64, voice_channel_id: I64 }, 'VoiceStartedEvent');
/** (sic: in the canonical schema this event's id is int64 and its voice_channel_id a string, unlike VoiceStartedEvent.) */
export const MezonVoiceEndedEvent = t.type({ id: I64, clan_id: I64, voice_channel_id: Str }, 'VoiceEndedEvent');

/** Codec of Mezon's ClanUpdatedEvent (proto field names, proto3 defaults). */
export const MezonClanUpdatedEvent = t.type(
  {
    clan_id: I64,
    clan_name: Str,
    logo: Str,
    banner: Str,
    status: Num,
    is_onboarding: Bool,
    welcome_channel_id: I64,
    onboarding_banner: Str,
    community_banner: Str,
    is_community: Bool,
    about: Str,
    description: Str,
    prevent_anonymous: Bool,
  },
  'ClanUpdatedEvent',
);

/** Codec of Mezon's CreateEventRequest (proto field names, proto3 defaults). */
export const MezonCreateEventRequest = t.intersection(
  [
    t.type({
      title: Str,
      logo: Str,
      description: Str,
      clan_id: I64,
      channel_voice_id: I64,
      address: Str,
      start_time_seconds: Num,
      end_time_seconds: Num,
      event_id: I64,
      event_status: Num,
      channel_id: I64,
      action: Num,
      repeat_type: Num,
      creator_id: I64,
      user_id: I64,
      is_private: Bool,
    }),
    t.partial({ meet_room: t.union([UnknownObject, t.undefined]) }),
  ],
  'CreateEventRequest',
);

/** Codec of Mezon's GiveCoffeeEvent (proto field names, proto3 defaults). */
export const MezonGiveCoffeeEvent = t.type(
  { sender_id: I64, receiver_id: I64, token_count: Num, message_ref_id: I64, channel_id: I64, clan_id: I64 },
  'GiveCoffeeEvent',
);

/** Codec of Mezon's TokenSentEvent (proto field names, proto3 defaults). */
export const MezonTokenSentEvent = t.type(
  { sender_id: I64, sender_name: Str, receiver_id: I64, amount: Num, note: Str, extra_attribute: Str, transaction_id: Str },
  'TokenSentEvent',
);

/** Codec of Mezon's Notification (proto field names, proto3 defaults). */
export const MezonNotification = t.intersection(
  [
    t.type({
      id: I64,
      subject: Str,
      content: Bytes,
      code: Num,
      sender_id: I64,
      create_time_seconds: Num,
      persistent: Bool,
      clan_id: I64,
      channel_id: I64,
      channel_type: Num,
      avatar_url: Str,
      topic_id: I64,
      category: Num,
    }),
    t.partial({ channel: t.union([MezonChannelDescription, t.undefined]) }),
  ],
  'Notification',
);

/** Codec of Mezon's Notifications (proto field names, proto3 defaults). */
export const MezonNotifications = t.type({ notifications: Rep(MezonNotification) }, 'Notifications');

// ---- replies ----

/** An `error` reply: fails the request with the same cid. */
export const MezonErrorReply = t.type({ code: Num, message: Str, context: withContext() }, 'Error');

function withContext(): t.Type<Record<string, string>, Record<string, string>, unknown> {
  const R = t.record(t.string, t.string);
  return new t.Type<Record<string, string>, Record<string, string>, unknown>(
    'context',
    R.is,
    (u, c) => (u === undefined || u === null ? t.success({}) : R.validate(u, c)),
    t.identity,
  );
}

/** `channel_message_ack`: the reply to a sent message. */
export const MezonChannelMessageAck = t.intersection(
  [
    t.type({ channel_id: I64, message_id: I64, code: Num, username: Str, create_time_seconds: Num, update_time_seconds: Num, clan_logo: Str, category_name: Str }),
    t.partial({ persistent: t.union([t.boolean, t.undefined]) }),
  ],
  'ChannelMessageAck',
);
/** A decoded ChannelMessageAck. */
export type MezonChannelMessageAck = t.TypeOf<typeof MezonChannelMessageAck>;

/** `channel`: the reply to a channel join. */
export const MezonChannel = t.intersection(
  [
    t.type({ id: I64, presences: Rep(MezonUserPresence), chanel_label: Str, clan_logo: Str, category_name: Str }),
    t.partial({ self: t.union([MezonUserPresence, t.undefined]) }),
  ],
  'Channel',
);
/** A decoded Channel. */
export type MezonChannel = t.TypeOf<typeof MezonChannel>;

/** `clan_join`: the reply to a clan join echoes the clan id. */
export const MezonClanJoin = t.type({ clan_id: I64 }, 'ClanJoin');
/** A decoded ClanJoin. */
export type MezonClanJoin = t.TypeOf<typeof MezonClanJoin>;
