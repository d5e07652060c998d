/**
 * Certifies the in-process IMAP server (rxwire/testing startImapServer) with
 * real clients: imapflow and rxwire's own client run the same command suite
 * (imap-suite.ts) against it and against Dovecot, and must get identical
 * normalised results. jest's global setup starts the Dovecot (this path
 * contains "imap").
 */
import { startImapServer, type ImapTestServer } from '../../src/testing/imap';
import * as fs from 'node:fs';
import { users } from '../imap/helpers';
import { startDovecot, stopDovecot } from '../setup/dovecot';
import { imapflowClient, rxwireClient, runSuite, type SuiteTarget } from './imap-suite';

let server: ImapTestServer;
let ours: SuiteTarget;
let dovecot: SuiteTarget;
let startedDovecot = false;

beforeAll(async () => {
  // jest's global setup starts Dovecot when the run's path filter names imap; `npx jest test/testing` does not
  if (!process.env.RXWIRE_IMAP_PORT) {
    await startDovecot();
    startedDovecot = true;
  }
  const u = users();
  server = await startImapServer({ users: { alice: u.alice, bob: u.bob } });
  ours = { host: server.host, port: server.port, ca: server.ca, users: { alice: u.alice, bob: u.bob } };
  const env = process.env;
  dovecot = { host: env.RXWIRE_IMAP_HOST ?? '127.0.0.1', port: Number(env.RXWIRE_IMAP_PORT), ca: fs.readFileSync(env.RXWIRE_IMAP_CA ?? ''), users: { alice: u.alice, bob: u.bob } };
});

afterAll(async () => {
  await server?.close();
  if (startedDovecot) stopDovecot();
});

const prefix = (who: string): string => `suite-${who}-${process.pid}-${Date.now().toString(36)}`;

test.each([
  ['imapflow', imapflowClient],
  ['rxwire', rxwireClient],
] as const)('%s sees the same results on the in-process server as on Dovecot', async (_name, client) => {
  const [onDovecot, onOurs] = await Promise.all([runSuite(client, dovecot, prefix(`${_name}-d`)), runSuite(client, ours, prefix(`${_name}-o`))]);
  expect(onDovecot.summaries).toHaveLength(3);
  expect(onDovecot.changedSince).toEqual({ uids: [3], modseqGrew: true });
  expect(onOurs).toEqual(onDovecot);
});
