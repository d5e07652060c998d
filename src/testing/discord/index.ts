export {
  startDiscordGateway,
  type DiscordLocalGateway,
  type DiscordLocalGatewayOptions,
  type DiscordGuildSeed,
  type DiscordReceived,
  type DiscordReceivedFrame,
} from './server';
export { discordMessageCreate } from './samples';
