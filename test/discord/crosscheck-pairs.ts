/** discord-api-types' dispatch data type for each codec table key (the pairs the cross-check compares). */
import type {
  GatewayApplicationCommandPermissionsUpdateDispatchData,
  GatewayAutoModerationActionExecutionDispatchData,
  GatewayAutoModerationRuleCreateDispatchData,
  GatewayAutoModerationRuleDeleteDispatchData,
  GatewayAutoModerationRuleUpdateDispatchData,
  GatewayChannelCreateDispatchData,
  GatewayChannelDeleteDispatchData,
  GatewayChannelInfoDispatchData,
  GatewayChannelPinsUpdateDispatchData,
  GatewayChannelUpdateDispatchData,
  GatewayEntitlementCreateDispatchData,
  GatewayEntitlementDeleteDispatchData,
  GatewayEntitlementUpdateDispatchData,
  GatewayGuildAuditLogEntryCreateDispatchData,
  GatewayGuildBanAddDispatchData,
  GatewayGuildBanRemoveDispatchData,
  GatewayGuildCreateDispatchData,
  GatewayGuildDeleteDispatchData,
  GatewayGuildEmojisUpdateDispatchData,
  GatewayGuildIntegrationsUpdateDispatchData,
  GatewayGuildMemberAddDispatchData,
  GatewayGuildMemberRemoveDispatchData,
  GatewayGuildMemberUpdateDispatchData,
  GatewayGuildMembersChunkDispatchData,
  GatewayGuildRoleCreateDispatchData,
  GatewayGuildRoleDeleteDispatchData,
  GatewayGuildRoleUpdateDispatchData,
  GatewayGuildScheduledEventCreateDispatchData,
  GatewayGuildScheduledEventDeleteDispatchData,
  GatewayGuildScheduledEventUpdateDispatchData,
  GatewayGuildScheduledEventUserAddDispatchData,
  GatewayGuildScheduledEventUserRemoveDispatchData,
  GatewayGuildSoundboardSoundCreateDispatchData,
  GatewayGuildSoundboardSoundDeleteDispatchData,
  GatewayGuildSoundboardSoundUpdateDispatchData,
  GatewayGuildSoundboardSoundsUpdateDispatchData,
  GatewayGuildStickersUpdateDispatchData,
  GatewayGuildUpdateDispatchData,
  GatewayIntegrationCreateDispatchData,
  GatewayIntegrationDeleteDispatchData,
  GatewayIntegrationUpdateDispatchData,
  GatewayInteractionCreateDispatchData,
  GatewayInviteCreateDispatchData,
  GatewayInviteDeleteDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayMessageDeleteBulkDispatchData,
  GatewayMessageDeleteDispatchData,
  GatewayMessagePollVoteDispatchData,
  GatewayMessageReactionAddDispatchData,
  GatewayMessageReactionRemoveAllDispatchData,
  GatewayMessageReactionRemoveDispatchData,
  GatewayMessageReactionRemoveEmojiDispatchData,
  GatewayMessageUpdateDispatchData,
  GatewayPresenceUpdateDispatchData,
  GatewayRateLimitedDispatchData,
  GatewayReadyDispatchData,
  GatewaySoundboardSoundsDispatchData,
  GatewayStageInstanceCreateDispatchData,
  GatewayStageInstanceDeleteDispatchData,
  GatewayStageInstanceUpdateDispatchData,
  GatewaySubscriptionCreateDispatchData,
  GatewaySubscriptionDeleteDispatchData,
  GatewaySubscriptionUpdateDispatchData,
  GatewayThreadCreateDispatchData,
  GatewayThreadDeleteDispatchData,
  GatewayThreadListSyncDispatchData,
  GatewayThreadMemberUpdateDispatchData,
  GatewayThreadMembersUpdateDispatchData,
  GatewayThreadUpdateDispatchData,
  GatewayTypingStartDispatchData,
  GatewayUserUpdateDispatchData,
  GatewayVoiceChannelEffectSendDispatchData,
  GatewayVoiceChannelStartTimeUpdateDispatchData,
  GatewayVoiceChannelStatusUpdateDispatchData,
  GatewayVoiceServerUpdateDispatchData,
  GatewayVoiceStateUpdateDispatchData,
  GatewayWebhooksUpdateDispatchData,
} from 'discord-api-types/v10';

/** Codec table key → the discord-api-types type of that dispatch's data. */
export interface ApiDispatchData {
  Ready: GatewayReadyDispatchData;
  Resumed: unknown;
  GuildCreate: GatewayGuildCreateDispatchData;
  GuildUpdate: GatewayGuildUpdateDispatchData;
  GuildDelete: GatewayGuildDeleteDispatchData;
  ChannelCreate: GatewayChannelCreateDispatchData;
  ChannelUpdate: GatewayChannelUpdateDispatchData;
  ChannelDelete: GatewayChannelDeleteDispatchData;
  ChannelPinsUpdate: GatewayChannelPinsUpdateDispatchData;
  GuildBanAdd: GatewayGuildBanAddDispatchData;
  GuildBanRemove: GatewayGuildBanRemoveDispatchData;
  GuildEmojisUpdate: GatewayGuildEmojisUpdateDispatchData;
  GuildIntegrationsUpdate: GatewayGuildIntegrationsUpdateDispatchData;
  GuildMembersChunk: GatewayGuildMembersChunkDispatchData;
  GuildMemberAdd: GatewayGuildMemberAddDispatchData;
  GuildMemberRemove: GatewayGuildMemberRemoveDispatchData;
  GuildMemberUpdate: GatewayGuildMemberUpdateDispatchData;
  GuildRoleCreate: GatewayGuildRoleCreateDispatchData;
  GuildRoleUpdate: GatewayGuildRoleUpdateDispatchData;
  GuildRoleDelete: GatewayGuildRoleDeleteDispatchData;
  MessageCreate: GatewayMessageCreateDispatchData;
  MessageUpdate: GatewayMessageUpdateDispatchData;
  MessageDelete: GatewayMessageDeleteDispatchData;
  MessageDeleteBulk: GatewayMessageDeleteBulkDispatchData;
  PresenceUpdate: GatewayPresenceUpdateDispatchData;
  TypingStart: GatewayTypingStartDispatchData;
  VoiceStateUpdate: GatewayVoiceStateUpdateDispatchData;
  VoiceServerUpdate: GatewayVoiceServerUpdateDispatchData;
  WebhooksUpdate: GatewayWebhooksUpdateDispatchData;
  MessageReactionAdd: GatewayMessageReactionAddDispatchData;
  MessageReactionRemove: GatewayMessageReactionRemoveDispatchData;
  MessageReactionRemoveAll: GatewayMessageReactionRemoveAllDispatchData;
  MessageReactionRemoveEmoji: GatewayMessageReactionRemoveEmojiDispatchData;
  RateLimited: GatewayRateLimitedDispatchData;
  ApplicationCommandPermissionsUpdate: GatewayApplicationCommandPermissionsUpdateDispatchData;
  AutoModerationRuleCreate: GatewayAutoModerationRuleCreateDispatchData;
  AutoModerationRuleUpdate: GatewayAutoModerationRuleUpdateDispatchData;
  AutoModerationRuleDelete: GatewayAutoModerationRuleDeleteDispatchData;
  AutoModerationActionExecution: GatewayAutoModerationActionExecutionDispatchData;
  ChannelInfo: GatewayChannelInfoDispatchData;
  VoiceChannelStatusUpdate: GatewayVoiceChannelStatusUpdateDispatchData;
  VoiceChannelStartTimeUpdate: GatewayVoiceChannelStartTimeUpdateDispatchData;
  ThreadCreate: GatewayThreadCreateDispatchData;
  ThreadUpdate: GatewayThreadUpdateDispatchData;
  ThreadDelete: GatewayThreadDeleteDispatchData;
  ThreadListSync: GatewayThreadListSyncDispatchData;
  ThreadMemberUpdate: GatewayThreadMemberUpdateDispatchData;
  ThreadMembersUpdate: GatewayThreadMembersUpdateDispatchData;
  EntitlementCreate: GatewayEntitlementCreateDispatchData;
  EntitlementUpdate: GatewayEntitlementUpdateDispatchData;
  EntitlementDelete: GatewayEntitlementDeleteDispatchData;
  GuildAuditLogEntryCreate: GatewayGuildAuditLogEntryCreateDispatchData;
  GuildStickersUpdate: GatewayGuildStickersUpdateDispatchData;
  GuildScheduledEventCreate: GatewayGuildScheduledEventCreateDispatchData;
  GuildScheduledEventUpdate: GatewayGuildScheduledEventUpdateDispatchData;
  GuildScheduledEventDelete: GatewayGuildScheduledEventDeleteDispatchData;
  GuildScheduledEventUserAdd: GatewayGuildScheduledEventUserAddDispatchData;
  GuildScheduledEventUserRemove: GatewayGuildScheduledEventUserRemoveDispatchData;
  GuildSoundboardSoundCreate: GatewayGuildSoundboardSoundCreateDispatchData;
  GuildSoundboardSoundUpdate: GatewayGuildSoundboardSoundUpdateDispatchData;
  GuildSoundboardSoundDelete: GatewayGuildSoundboardSoundDeleteDispatchData;
  GuildSoundboardSoundsUpdate: GatewayGuildSoundboardSoundsUpdateDispatchData;
  SoundboardSounds: GatewaySoundboardSoundsDispatchData;
  IntegrationCreate: GatewayIntegrationCreateDispatchData;
  IntegrationUpdate: GatewayIntegrationUpdateDispatchData;
  IntegrationDelete: GatewayIntegrationDeleteDispatchData;
  InteractionCreate: GatewayInteractionCreateDispatchData;
  InviteCreate: GatewayInviteCreateDispatchData;
  InviteDelete: GatewayInviteDeleteDispatchData;
  MessagePollVoteAdd: GatewayMessagePollVoteDispatchData;
  MessagePollVoteRemove: GatewayMessagePollVoteDispatchData;
  StageInstanceCreate: GatewayStageInstanceCreateDispatchData;
  StageInstanceUpdate: GatewayStageInstanceUpdateDispatchData;
  StageInstanceDelete: GatewayStageInstanceDeleteDispatchData;
  SubscriptionCreate: GatewaySubscriptionCreateDispatchData;
  SubscriptionUpdate: GatewaySubscriptionUpdateDispatchData;
  SubscriptionDelete: GatewaySubscriptionDeleteDispatchData;
  UserUpdate: GatewayUserUpdateDispatchData;
  VoiceChannelEffectSend: GatewayVoiceChannelEffectSendDispatchData;
}
