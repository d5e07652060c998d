/**
 * A user's test against rxwire/testing's ScriptedImapServer: the test plays
 * the server line by line (typed helpers), the client's command timeout runs
 * in virtual time.
 */
import { lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { TimeoutError } from '../../src/core';
import { ImapClient } from '../../src/imap';
import { ScriptedImapServer, waitUntil } from '../../src/testing';

test('the client logs in against the scripted server and times a silent NOOP out after commandTimeout virtual ms', async () => {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.maxFrames = Number.POSITIVE_INFINITY; // flush() outside run() stops at 750 frames by default
  const server = new ScriptedImapServer();
  const client = new ImapClient({ host: 'scripted', port: 143, tls: 'none', allowCleartextLogin: true, transport: server.factory, scheduler, commandTimeout: 5_000 });
  const connected = lastValueFrom(client.connect());
  await waitUntil(() => server.handlers !== undefined, 'transport opened');
  server.greet();
  await connected;

  const login = lastValueFrom(client.login('user', 'secret-password'));
  await waitUntil(() => server.commands.some((c) => c.name === 'LOGIN'), 'LOGIN written');
  server.ok('[CAPABILITY IMAP4rev1 IDLE] LOGIN completed');
  await login;

  let error: unknown;
  let at = -1;
  client.noop().subscribe({ error: (e: unknown) => ((error = e), (at = scheduler.now())) });
  await waitUntil(() => server.commands.some((c) => c.name === 'NOOP'), 'NOOP written');
  scheduler.flush();
  expect(error).toBeInstanceOf(TimeoutError);
  expect(at).toBe(5_000);
  expect(server.commands.map((c) => c.name)).toEqual(['LOGIN', 'NOOP']);
}, 10_000);
