/**
 * Mail.tm polling: rxwire's id-set diff vs the Python SDK's algorithm
 * (halfstackpgr/mail.tm: poll page 1 every second, compare only the first
 * message's id with the last one seen, stop on the first exception),
 * re-expressed here over the same HTTP client so only the algorithm differs.
 *
 * Both run, one after the other, against a fresh local Mail.tm server with
 * the same seeded script: bursts of arrivals between polls, deletions of the
 * newest message, and a 429 storm. Printed: arrivals reported exactly once,
 * lost, repeated, phantom (reported for an old message), and requests per
 * reported arrival, with rxwire/SDK ratios. No assertions.
 *
 *   npx tsx bench/mailtm-poll.ts [seconds=8]
 */
import { firstValueFrom, lastValueFrom, toArray, timer } from 'rxjs';
import { seededRandom } from '../src/core';
import { MailtmClient, mailtm } from '../src/mailtm';
import { startMailtmServer, type MailtmTestServer } from '../src/testing/mailtm';

const seconds = Number(process.argv[2] ?? 8);
const address = 'bench@rxwire.test';
const password = 'bench-password';

interface Outcome {
  delivered: string[];
  reported: string[];
  requests: number;
  maxPerSecond: number;
  stoppedEarly: boolean;
}

/** The scripted mailbox activity: bursts, deletions of the newest message, a 429 storm. */
async function script(srv: MailtmTestServer, delivered: string[], seed: number): Promise<void> {
  const random = seededRandom(seed);
  const ticks = Math.round((seconds * 1000) / 250);
  for (let i = 0; i < ticks; i++) {
    await firstValueFrom(timer(250));
    const r = random();
    if (r < 0.35) {
      const n = 1 + Math.floor(random() * 6);
      for (let j = 0; j < n; j++) delivered.push(srv.deliver(address, { subject: `t${i}-${j}` }));
    } else if (r < 0.42 && delivered.length > 0) {
      const newest = srv.messageIds(address)[0];
      if (newest !== undefined) srv.removeMessage(newest);
    }
    if (i === Math.floor(ticks / 2)) srv.inject({ kind: 'rateLimit', count: 3 });
  }
}

async function runRxwire(seed: number): Promise<Outcome> {
  const srv = await startMailtmServer();
  const mt = mailtm({ baseUrl: srv.url, pollInterval: 1000 });
  await firstValueFrom(mt.createAccount({ address, password }, { switchTo: true }));
  const delivered: string[] = [];
  const events$ = mt.events$;
  const reportedP = lastValueFrom(events$.pipe(toArray()));
  await firstValueFrom(timer(300));
  srv.resetStats();
  await script(srv, delivered, seed);
  await firstValueFrom(timer(2500)); // one more poll for the tail
  await firstValueFrom(mt.stop());
  const events = await reportedP;
  const out: Outcome = {
    delivered,
    reported: events.flatMap((e) => (e.type === 'NewMessage' ? [e.data.id] : [])),
    requests: srv.requestCount,
    maxPerSecond: srv.maxRequestsPerSecond(),
    stoppedEarly: false,
  };
  await srv.close();
  return out;
}

/** The SDK's loop: page 1 each second; a new first id is "the" new message; any exception ends the loop. */
async function runSdkStyle(seed: number, stopOnError: boolean): Promise<Outcome> {
  const srv = await startMailtmServer();
  const client = new MailtmClient({ baseUrl: srv.url, rateLimit: false });
  await firstValueFrom(client.createAccount({ address, password }));
  const session = client.session({ address, password });
  await firstValueFrom(session.token());
  const delivered: string[] = [];
  const reported: string[] = [];
  let last: string | undefined;
  let running = true;
  let stoppedEarly = false;
  const loop = (async () => {
    while (running) {
      try {
        const page = await firstValueFrom(session.messages(1, 'none'));
        const first = page['hydra:member'][0]?.id;
        if (first !== undefined && first !== last) reported.push(first);
        last = first;
      } catch {
        if (stopOnError) {
          stoppedEarly = true;
          return;
        }
      }
      await firstValueFrom(timer(1000));
    }
  })();
  await firstValueFrom(timer(300));
  srv.resetStats();
  await script(srv, delivered, seed);
  await firstValueFrom(timer(2500));
  running = false;
  await loop;
  const out: Outcome = { delivered, reported, requests: srv.requestCount, maxPerSecond: srv.maxRequestsPerSecond(), stoppedEarly };
  await srv.close();
  return out;
}

function score(o: Outcome) {
  const delivered = new Set(o.delivered);
  const counts = new Map<string, number>();
  for (const id of o.reported) counts.set(id, (counts.get(id) ?? 0) + 1);
  const once = o.delivered.filter((id) => counts.get(id) === 1).length;
  const repeated = [...counts.entries()].filter(([id, n]) => delivered.has(id) && n > 1).length;
  const phantom = o.reported.filter((id) => !delivered.has(id)).length;
  const lost = o.delivered.filter((id) => !counts.has(id)).length;
  const inOrder = o.reported.filter((id) => delivered.has(id)).every((id, i, arr) => i === 0 || o.delivered.indexOf(arr[i - 1]) < o.delivered.indexOf(id));
  return { delivered: o.delivered.length, once, lost, repeated, phantom, inOrder, requests: o.requests, perArrival: once > 0 ? o.requests / once : Infinity, maxPerSecond: o.maxPerSecond, stoppedEarly: o.stoppedEarly };
}

async function main(): Promise<void> {
  const seed = 42;
  console.log(`Mail.tm polling, ${seconds} s of scripted activity (seed ${seed}), 1 s poll interval for both`);
  const rx = score(await runRxwire(seed));
  const sdk = score(await runSdkStyle(seed, true));
  const sdkGo = score(await runSdkStyle(seed, false));
  const row = (name: string, s: ReturnType<typeof score>): string =>
    `${name.padEnd(22)} delivered ${String(s.delivered).padStart(4)}  exactly-once ${String(s.once).padStart(4)}  lost ${String(s.lost).padStart(4)}  repeated ${String(s.repeated).padStart(3)}  phantom ${String(s.phantom).padStart(3)}  in-order ${s.inOrder ? 'yes' : 'no '}  requests ${String(s.requests).padStart(4)} (${s.perArrival.toFixed(2)}/arrival, max ${s.maxPerSecond}/s)${s.stoppedEarly ? '  STOPPED on first error' : ''}`;
  console.log(row('rxwire mailtm().events$', rx));
  console.log(row('Python SDK algorithm', sdk));
  console.log(row('  same, errors ignored', sdkGo));
  const ratio = (a: number, b: number): string => (b === 0 ? (a === 0 ? '1.00' : '∞') : (a / b).toFixed(2));
  console.log(`ratio rxwire/SDK: exactly-once arrivals ${ratio(rx.once, sdk.once)}×, requests per reported arrival ${ratio(rx.perArrival, sdk.perArrival)}×`);
  console.log(`ratio rxwire/SDK-errors-ignored: exactly-once arrivals ${ratio(rx.once, sdkGo.once)}×, requests per reported arrival ${ratio(rx.perArrival, sdkGo.perArrival)}×`);
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
