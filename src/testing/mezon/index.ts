export { MezonTestServer, startMezonServer, mezonWirePayload, type MezonServerOptions, type MezonReceived } from './server';
export { MEZON_SAMPLE_EVENTS as MezonSampleEvents, MEZON_SAMPLE_IDS as MezonSampleIds } from './samples';
