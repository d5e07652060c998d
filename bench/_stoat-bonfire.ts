/**
 * The local Bonfire for bench/gateway-stoat.ts, in its own process so the
 * server's sending does not share the event loop with the client measured.
 * Prints `{"url": ...}` once listening; on stdin `blast N` sends N copies of
 * one ~1.1 KB Message event to every client past Ready and prints `sent`.
 */
import { createInterface } from 'node:readline';
import { startStoatServer, stoatMessageFixture } from '../src/testing/stoat';

async function main(): Promise<void> {
  const server = await startStoatServer({ tokens: { 'bench-token': '01HZZZZZZZZZZZZZZZZZZZZME0' } });
  const message = { type: 'Message', ...stoatMessageFixture('benchmark message', { mentions: ['01HZZZZZZZZZZZZZZZZZZALICE'] }, 860) };
  process.stdout.write(`${JSON.stringify({ url: server.url, bytes: JSON.stringify(message).length })}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [cmd, arg] = line.trim().split(/\s+/);
    if (cmd === 'blast') {
      void server.waitForClients(1).then(() => server.emitMany(message, Number(arg)).then(() => process.stdout.write('sent\n')));
    }
  });
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
}

void main();
