/**
 * The local Discord gateway in its own process for bench/gateway-discord.ts,
 * so the server's work does not share the client's thread. Protocol over IPC:
 * it sends {url, token} once listening; on {flood: n} it waits until only the
 * measured client's connection is left, floods it with n MESSAGE_CREATE
 * frames and answers {flooded}.
 */
import { discordMessageCreate, startDiscordGateway } from '../src/testing/discord';

async function main(): Promise<void> {
  const server = await startDiscordGateway({ identifyRateLimit: false, replayBuffer: 100, heartbeatInterval: 41_250 });
  // One realistic ~1.1 KB payload; only the seq changes between frames.
  const d = JSON.stringify(discordMessageCreate('benchmark message: the quick brown fox'));
  const head = `{"op":0,"d":${d},"s":`;
  const text = (seq: number) => `${head}${seq},"t":"MESSAGE_CREATE"}`;
  process.send?.({ url: server.url, token: server.token, frameBytes: Buffer.byteLength(text(1)) });
  process.on('message', (m: { flood?: number; close?: boolean }) => {
    if (m.flood !== undefined) {
      const n = m.flood;
      void (async () => {
        // Flood only once the previous client's socket is gone: a lingering one would take a share
        // of the server's sends and make whichever client is measured meanwhile look slow.
        for (let waited = 0; server.connectionCount > 1 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        await server.flood(n, text);
        process.send?.({ flooded: true });
      })();
    }
    if (m.close) void server.close().then(() => process.exit(0));
  });
}

void main();
