/**
 * The IMAP client against the test Dovecot (scripts/dovecot.sh start):
 * logs in over STARTTLS, appends a message, lists mailboxes, searches and
 * fetches envelopes, and streams one body.
 *
 *   scripts/dovecot.sh start && npx tsx examples/imap-client.ts
 * Env: RXWIRE_IMAP_PORT (1143), RXWIRE_DOVECOT_DIR (for the CA), IMAP_USER/IMAP_PASSWORD (alice/alicepw).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lastValueFrom, reduce, toArray } from 'rxjs';
import { ImapClient, Search } from '../src/imap';

async function main(): Promise<void> {
  const port = Number(process.env.RXWIRE_IMAP_PORT ?? 1143);
  const dir = process.env.RXWIRE_DOVECOT_DIR ?? path.join(process.env.TMPDIR ?? '/tmp', `rxwire-dovecot-${port}`);
  const client = new ImapClient({ host: '127.0.0.1', port, tlsOptions: { ca: fs.readFileSync(path.join(dir, 'tls', 'cert.pem')) } });

  const greeting = await lastValueFrom(client.connect());
  console.log(`greeting: ${greeting.text}`);
  await lastValueFrom(client.login(process.env.IMAP_USER ?? 'alice', process.env.IMAP_PASSWORD ?? 'alicepw'));
  console.log(`logged in over ${client.secure ? 'TLS' : 'cleartext'}; server offers ${client.capabilities.size} capabilities`);

  client.unsolicited$.subscribe((r) => {
    if (r.kind === 'exists') console.log(`  (unsolicited) mailbox now has ${r.count} messages`);
  });

  const sent = await lastValueFrom(client.append('INBOX', `From: demo@example.org\r\nSubject: Hello from rxwire ${new Date().toISOString()}\r\n\r\nHi!\r\n`));
  console.log(`appended as UID ${sent?.uids}`);

  const boxes = await lastValueFrom(client.list('', '*'));
  console.log(`mailboxes: ${boxes.map((b) => b.name).join(', ')}`);

  const box = await lastValueFrom(client.select('INBOX'));
  console.log(`INBOX: ${box.exists} messages, UIDVALIDITY ${box.uidValidity}, UIDNEXT ${box.uidNext}`);

  const uids = await lastValueFrom(client.search(Search.and(Search.from('demo@example.org'), Search.since(new Date(Date.now() - 86_400_000))), { uid: true }));
  const recent = uids.slice(-5);
  const envelopes = recent.length ? await lastValueFrom(client.fetchEnvelope(recent, { uid: true }).pipe(toArray())) : [];
  for (const m of envelopes) console.log(`  UID ${m.uid}: ${m.envelope?.subject}`);

  if (recent.length) {
    const bytes = await lastValueFrom(client.fetchStream(recent[recent.length - 1], { peek: true }, { uid: true }).pipe(reduce((n, c) => n + c.data.length, 0)));
    console.log(`streamed the newest one: ${bytes} bytes`);
  }
  await lastValueFrom(client.logout());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
