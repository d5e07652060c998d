/**
 * Mail.tm demo: a local Mail.tm server, an account created through the
 * stream's controller, mail delivered on a timer (a burst of three between
 * two polls included), a message marked seen and one deleted, a new domain,
 * a short outage, and the events as they flow. Push mode (Mercure SSE) is on,
 * with polling as the fallback. Ends by itself in a few seconds.
 *
 *   npx tsx examples/mailtm-demo.ts
 */
import { ReplaySubject, firstValueFrom, lastValueFrom, share, take, tap, timeout, timer, toArray } from 'rxjs';
import { ofType } from '../src/core';
import { mailtm, type MailtmEvent } from '../src/mailtm';
import { startMailtmServer } from '../src/testing/mailtm';
import { runIfMain } from './standalone';

function describe(e: MailtmEvent): string {
  switch (e.type) {
    case 'ServerStarted':
      return `${e.type} (${e.data.mode} mode, ${e.data.baseUrl})`;
    case 'Ready':
      return `${e.type} watching ${e.data.address ?? '(no account)'} (${e.data.existing} existing)`;
    case 'NewMessage':
      return `${e.type} "${e.data.subject}" from ${e.data.from.address} (${e.data.id})`;
    case 'MessageDelete':
      return `${e.type} "${e.data.subject}" (${e.data.id})`;
    case 'DomainChange':
      return `${e.type} now ${e.data.domains.map((d) => d.domain).join(', ')} (+${e.data.added.length} -${e.data.removed.length})`;
    case 'AccountSwitched':
      return `${e.type} ${e.data.from ?? '(none)'} -> ${e.data.to} (${e.data.existing} existing not reported)`;
    case 'NewAccountCreated':
      return `${e.type} ${e.data.address}`;
    case 'AccountDeleted':
      return `${e.type} ${e.data.address}`;
    case 'Disconnected':
      return `${e.type}${e.data.code !== undefined ? ` (HTTP ${e.data.code})` : ''}: ${e.data.reason}`;
    case 'Reconnecting':
      return `${e.type} attempt ${e.data.attempt} in ${e.data.delay} ms`;
    case 'HubConnected':
    case 'HubDisconnected':
      return `${e.type} (${e.data.address})`;
    default:
      return e.type;
  }
}

export default async function demo(log: (line: string) => void): Promise<void> {
  const server = await startMailtmServer();
  log(`local Mail.tm server on ${server.url}`);
  const address = 'demo@rxwire.test';
  const mt = mailtm({ baseUrl: server.url, pollInterval: 250, domainInterval: 500, push: true, backoff: { initialDelay: 100, maxDelay: 400 } });
  // mt.events$ is shared; the replay lets the script below wait on what already happened.
  const events$ = mt.events$.pipe(
    tap((e) => log(`event: ${describe(e)}`)),
    share({ connector: () => new ReplaySubject<MailtmEvent>(), resetOnRefCountZero: true }),
  );
  const until = <T extends MailtmEvent['type']>(type: T, n = 1) =>
    firstValueFrom(events$.pipe(ofType(type), take(n), toArray(), timeout(5000)));
  const finished = lastValueFrom(events$);
  const deliver = (subject: string): string => {
    log(`  (server) deliver "${subject}"`);
    return server.deliver(address, { from: { name: 'Alice', address: 'alice@example.org' }, subject, text: `${subject}: hello from the demo` });
  };
  try {
    await firstValueFrom(mt.createAccount({ address, password: 'demo-password' }, { switchTo: true }));
    await until('HubConnected');
    deliver('welcome');
    await firstValueFrom(timer(300));
    const burst = ['burst 1', 'burst 2', 'burst 3'].map(deliver); // three at once
    await firstValueFrom(timer(300));
    deliver('last one');
    await until('NewMessage', 5);
    await firstValueFrom(mt.markSeen(burst[0]));
    log('  (action) marked "burst 1" seen');
    await lastValueFrom(mt.deleteMessage(burst[1]), { defaultValue: undefined });
    log('  (action) deleted "burst 2" (its MessageDelete came first)');
    server.addDomain('fresh.test');
    log('  (server) added domain fresh.test');
    await until('DomainChange');
    log('  (server) the hub goes away, and the next 2 mailbox requests fail with 503');
    server.dropHub();
    server.inject({ kind: 'status', status: 503, path: '/messages', count: 2 });
    deliver('during the outage');
    await until('Resumed');
    await until('NewMessage', 6);
    await firstValueFrom(mt.stop());
    await finished;
    log(`server saw ${server.requestCount} requests, at most ${server.maxRequestsPerSecond()} in any second (Mail.tm allows 8)`);
  } finally {
    await server.close();
  }
}

runIfMain(module, demo);
