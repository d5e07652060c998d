/**
 * io-ts codecs of the Discord resources the newer gateway events carry
 * (threads, auto moderation, scheduled events, soundboard, stage instances,
 * entitlements and subscriptions, integrations, invites, audit log entries,
 * interactions, polls, voice effects), in the wire's own field names. Field
 * shapes follow Discord's docs (developers/resources/*, developers/events/
 * gateway-events) and are cross-checked against discord-api-types in
 * test/discord/codecs-crosscheck.test.ts. Required keys are the ones Discord
 * always sends; optional ones are in `t.partial`; unknown extra keys pass
 * through untouched. Nested objects the events only pass along are
 * `t.UnknownRecord`/`t.unknown`.
 */
import * as t from 'io-ts';
import { Emoji, GuildMember, Snowflake, User } from './models';

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/** A thread member (developers/resources/channel#thread-member-object). */
export const ThreadMember = t.intersection([
  t.type({ join_timestamp: t.string, flags: t.number }),
  t.partial({ id: Snowflake, user_id: Snowflake, member: GuildMember }),
]);

/** An auto moderation action (developers/resources/auto-moderation#auto-moderation-action-object). */
export const AutoModerationAction = t.intersection([t.type({ type: t.number }), t.partial({ metadata: t.UnknownRecord })]);

/** An auto moderation rule (developers/resources/auto-moderation#auto-moderation-rule-object). */
export const AutoModerationRule = t.type({
  id: Snowflake,
  guild_id: Snowflake,
  name: t.string,
  creator_id: Snowflake,
  event_type: t.number,
  trigger_type: t.number,
  trigger_metadata: t.UnknownRecord,
  actions: t.array(AutoModerationAction),
  enabled: t.boolean,
  exempt_roles: t.array(Snowflake),
  exempt_channels: t.array(Snowflake),
});

/** An entitlement (developers/resources/entitlement#entitlement-object). */
export const Entitlement = t.intersection([
  t.type({ id: Snowflake, sku_id: Snowflake, application_id: Snowflake, type: t.number, deleted: t.boolean, starts_at: nullable(t.string), ends_at: nullable(t.string) }),
  t.partial({ user_id: Snowflake, guild_id: Snowflake, consumed: t.boolean }),
]);

/** A subscription (developers/resources/subscription#subscription-object). */
export const Subscription = t.intersection([
  t.type({
    id: Snowflake,
    user_id: Snowflake,
    sku_ids: t.array(Snowflake),
    entitlement_ids: t.array(Snowflake),
    renewal_sku_ids: nullable(t.array(Snowflake)),
    current_period_start: t.string,
    current_period_end: t.string,
    status: t.number,
    canceled_at: nullable(t.string),
  }),
  t.partial({ country: t.string }),
]);

/** A guild scheduled event (developers/resources/guild-scheduled-event#guild-scheduled-event-object). */
export const GuildScheduledEvent = t.intersection([
  t.type({
    id: Snowflake,
    guild_id: Snowflake,
    channel_id: nullable(Snowflake),
    name: t.string,
    scheduled_start_time: t.string,
    scheduled_end_time: nullable(t.string),
    privacy_level: t.number,
    status: t.number,
    entity_type: t.number,
    entity_id: nullable(Snowflake),
    entity_metadata: nullable(t.UnknownRecord),
    recurrence_rule: nullable(t.UnknownRecord),
  }),
  t.partial({ creator_id: nullable(Snowflake), description: nullable(t.string), creator: User, user_count: t.number, image: nullable(t.string) }),
]);

/** A soundboard sound (developers/resources/soundboard#soundboard-sound-object). */
export const SoundboardSound = t.intersection([
  t.type({ name: t.string, sound_id: Snowflake, volume: t.number, emoji_id: nullable(Snowflake), emoji_name: nullable(t.string), available: t.boolean }),
  t.partial({ guild_id: Snowflake, user: User }),
]);

/** A stage instance (developers/resources/stage-instance#stage-instance-object). */
export const StageInstance = t.intersection([
  t.type({ id: Snowflake, guild_id: Snowflake, channel_id: Snowflake, topic: t.string, privacy_level: t.number, discoverable_disabled: t.boolean }),
  t.partial({ guild_scheduled_event_id: Snowflake }),
]);

/** A sticker (developers/resources/sticker#sticker-object). */
export const Sticker = t.intersection([
  t.type({ id: Snowflake, name: t.string, description: nullable(t.string), tags: t.string, type: t.number, format_type: t.number }),
  t.partial({ pack_id: Snowflake, available: t.boolean, guild_id: Snowflake, user: User, sort_value: t.number }),
]);

/** A guild integration without `user`, as the INTEGRATION_* events carry it (developers/resources/guild#integration-object). */
export const Integration = t.intersection([
  t.type({ id: Snowflake, name: t.string, type: t.string, enabled: t.boolean, account: t.type({ id: t.string, name: t.string }) }),
  t.partial({
    syncing: t.boolean,
    role_id: Snowflake,
    enable_emoticons: t.boolean,
    expire_behavior: t.number,
    expire_grace_period: t.number,
    synced_at: t.string,
    subscriber_count: t.number,
    revoked: t.boolean,
    application: t.UnknownRecord,
    scopes: t.array(t.string),
  }),
]);

/** An audit log entry (developers/resources/audit-log#audit-log-entry-object). */
export const AuditLogEntry = t.intersection([
  t.type({ target_id: nullable(t.string), user_id: nullable(Snowflake), id: Snowflake, action_type: t.number }),
  t.partial({ changes: t.array(t.UnknownRecord), options: t.UnknownRecord, reason: t.string }),
]);

/** An application command permission (developers/interactions/application-commands#application-command-permissions-object). */
export const ApplicationCommandPermission = t.type({ id: Snowflake, type: t.number, permission: t.boolean });

/**
 * An interaction (developers/interactions/receiving-and-responding#interaction-object):
 * the fields every interaction type has; `data` (per type) is passed along as a record.
 */
export const Interaction = t.intersection([
  t.type({
    id: Snowflake,
    application_id: Snowflake,
    type: t.number,
    token: t.string,
    version: t.literal(1),
    app_permissions: t.string,
    entitlements: t.array(Entitlement),
    authorizing_integration_owners: t.UnknownRecord,
    attachment_size_limit: t.number,
  }),
  t.partial({
    data: t.UnknownRecord,
    guild: t.UnknownRecord,
    guild_id: Snowflake,
    channel: t.intersection([t.type({ id: Snowflake, type: t.number }), t.UnknownRecord]),
    channel_id: Snowflake,
    member: t.intersection([GuildMember, t.type({ permissions: t.string })]),
    user: User,
    message: t.UnknownRecord,
    locale: t.string,
    guild_locale: t.string,
    context: t.number,
  }),
]);

/** A thread as THREAD_CREATE/UPDATE carry it (developers/topics/threads). */
export const Thread = t.intersection([
  t.type({ id: Snowflake, type: t.number, name: t.string }),
  t.partial({
    guild_id: Snowflake,
    parent_id: Snowflake,
    nsfw: t.boolean,
    last_message_id: nullable(Snowflake),
    rate_limit_per_user: t.number,
    last_pin_timestamp: nullable(t.string),
    flags: t.number,
    member: ThreadMember,
    thread_metadata: t.intersection([
      t.type({ archived: t.boolean, auto_archive_duration: t.number, archive_timestamp: t.string, locked: t.boolean }),
      t.partial({ invitable: t.boolean, create_timestamp: t.string }),
    ]),
    message_count: t.number,
    member_count: t.number,
    owner_id: Snowflake,
    total_message_sent: t.number,
    applied_tags: t.array(Snowflake),
  }),
]);

/** The voice channel effect of VOICE_CHANNEL_EFFECT_SEND. */
export const VoiceChannelEffect = t.intersection([
  t.type({ channel_id: Snowflake, guild_id: Snowflake, user_id: Snowflake }),
  t.partial({ emoji: nullable(Emoji), animation_type: nullable(t.number), animation_id: t.number, sound_id: t.union([Snowflake, t.number]), sound_volume: t.number }),
]);
