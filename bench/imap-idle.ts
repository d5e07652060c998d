/**
 * bench/imap-idle: latency from an APPEND on one connection to the event on a
 * watching connection, over N appends (default 50; `npx tsx bench/imap-idle.ts 20`),
 * against a throwaway Dovecot of its own:
 *   rxwire   watchMailbox → NewMessages (after its UID FETCH of UID, FLAGS, ENVELOPE)
 *   imapflow 'exists' event (just the new count; no envelope), IDLE entered explicitly
 *            with client.idle() (its auto-IDLE would only start 15 s after the last command)
 * Both watch the same mailbox at the same time; each APPEND is timed for both.
 * Appends are spaced by a random pause in [0, PAUSE) ms (argv[3], default 1000):
 * Dovecot delays IDLE notifications by ~0.5 s and also checks every
 * mailbox_idle_check_interval from the start of each IDLE, and rxwire re-enters
 * IDLE after fetching each new message, so back-to-back appends (PAUSE 0) favour
 * the connection that never leaves IDLE. Prints median and p95 of each and the ratios. No assertions.
 */
import { filter, firstValueFrom, lastValueFrom, Subject, timeout } from 'rxjs';
import { ImapFlow } from 'imapflow';
import { ImapClient } from '../src/imap/client';
import { watchMailbox, type ImapEvent } from '../src/imap/watch';
import { startPrivateDovecot } from '../examples/imap-demo';

const N = Number(process.argv[2] ?? 50);
const PAUSE = Number(process.argv[3] ?? 1000);

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

async function main(): Promise<void> {
  const dovecot = await startPrivateDovecot();
  if (!dovecot) {
    console.log('imap-idle: Dovecot is not installed (apt-get install -y dovecot-imapd openssl); skipped');
    return;
  }
  const user = 'alice';
  const password = dovecot.users.alice;
  const connection = { host: dovecot.host, port: dovecot.port, tlsOptions: { ca: dovecot.ca } };
  const box = 'INBOX';
  const rxEvents = new Subject<ImapEvent>();
  const flowExists = new Subject<number>();
  let flow: ImapFlow | undefined;
  const sub = watchMailbox({ ...connection, auth: { user, password } }, box).subscribe(rxEvents);
  try {
    const idle = firstValueFrom(rxEvents.pipe(filter((e) => e.type === 'IdleStarted'), timeout(10_000)));
    flow = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass: password }, logger: false, tls: { ca: dovecot.ca } });
    await flow.connect();
    await flow.mailboxOpen(box);
    flow.on('exists', (d: { count: number }) => flowExists.next(d.count));
    void flow.idle();
    await idle;

    const appender = new ImapClient(connection);
    await lastValueFrom(appender.connect());
    await lastValueFrom(appender.login(user, password));

    const rx: number[] = [];
    const peer: number[] = [];
    for (let i = 1; i <= N; i++) {
      const subject = `bench ${i}`;
      const t0 = performance.now();
      const a = firstValueFrom(
        rxEvents.pipe(
          filter((e) => e.type === 'NewMessages' && e.data.messages.some((m) => m.envelope?.subject === subject)),
          timeout(10_000),
        ),
      ).then(() => performance.now() - t0);
      const b = firstValueFrom(flowExists.pipe(filter((count) => count >= i), timeout(10_000))).then(() => performance.now() - t0);
      await lastValueFrom(appender.append(box, `Subject: ${subject}\r\nFrom: bench@example.org\r\n\r\nbody ${i}\r\n`));
      const [x, y] = await Promise.all([a, b]);
      rx.push(x);
      peer.push(y);
      // a random pause, so that neither watcher's IDLE always starts in step with the appends
      await new Promise((r) => setTimeout(r, Math.random() * PAUSE));
    }
    await lastValueFrom(appender.logout());

    rx.sort((p, q) => p - q);
    peer.sort((p, q) => p - q);
    const row = (name: string, v: number[]) => console.log(`${name.padEnd(34)} median ${quantile(v, 0.5).toFixed(1).padStart(7)} ms   p95 ${quantile(v, 0.95).toFixed(1).padStart(7)} ms`);
    console.log(`APPEND → event latency over ${N} appends, random pause < ${PAUSE} ms between them (Dovecot, loopback)`);
    row('rxwire NewMessages (with envelope)', rx);
    row('imapflow exists (count only)', peer);
    console.log(`ratio rxwire/imapflow: median ${(quantile(rx, 0.5) / quantile(peer, 0.5)).toFixed(2)}x, p95 ${(quantile(rx, 0.95) / quantile(peer, 0.95)).toFixed(2)}x (lower is better for rxwire)`);
  } finally {
    sub.unsubscribe();
    await flow?.logout().catch(() => undefined);
    dovecot.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
