export { StoatTestServer, startStoatServer, type StoatServerOptions, type StoatReceived } from './server';
export { STOAT_IDS as StoatIds, stoatReady as stoatReadyFixture, stoatMessage as stoatMessageFixture, stoatUser as stoatUserFixture, stoatServer as stoatServerFixture, stoatChannels as stoatChannelsFixture, stoatMember as stoatMemberFixture } from './fixtures';
