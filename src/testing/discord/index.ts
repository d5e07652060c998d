export {
  startDiscordGateway,
  type DiscordLocalGateway,
  type DiscordLocalGatewayOptions,
  type DiscordGuildSeed,
  type DiscordReceived,
} from './server';
export { discordMessageCreate } from './samples';
