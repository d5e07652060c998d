/** The shard a guild's events go to: `(guild_id >> 22) % shardCount`; DMs (no guild) go to shard 0. */
export function shardFor(guildId: string | bigint | undefined | null, shardCount: number): number {
  if (guildId === undefined || guildId === null || shardCount <= 1) return 0;
  const id = typeof guildId === 'bigint' ? guildId : BigInt(guildId);
  return Number((id >> 22n) % BigInt(shardCount));
}
