/** The local gateway's HTTP side: GET /gateway/bot, and hostile requests answered without dying (issue 19). */
import * as net from 'node:net';
import { startDiscordGateway, type DiscordLocalGateway } from '../../src/testing/discord';

let server: DiscordLocalGateway;
afterEach(async () => {
  await server?.close();
});

function raw(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => (out += d.toString('latin1')));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', (e) => (out ? resolve(out) : reject(e)));
    s.write(request);
  });
}

describe('local gateway HTTP', () => {
  it('serves GET /gateway/bot with the URL and session_start_limit (with the bot token only)', async () => {
    server = await startDiscordGateway({ maxConcurrency: 2, sessionStartLimit: { total: 10, remaining: 7, resetAfter: 1234 } });
    const ok = await fetch(`${server.apiUrl}/gateway/bot`, { headers: { authorization: `Bot ${server.token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ url: server.url, shards: 1, session_start_limit: { total: 10, remaining: 7, reset_after: 1234, max_concurrency: 2 } });
    const denied = await fetch(`${server.apiUrl}/gateway/bot`, { headers: { authorization: 'Bot nope' } });
    expect(denied.status).toBe(401);
  });

  it('answers 400 to a request target that does not parse, 413 to a huge body, and keeps serving', async () => {
    server = await startDiscordGateway();
    const bad = await raw(server.port, 'GET http://[ HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400/);
    const body = Buffer.alloc(200 * 1024, 0x61);
    const big = await raw(server.port, Buffer.concat([Buffer.from(`POST /api/v10/x HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n`), body]));
    expect(big).toMatch(/^HTTP\/1\.1 413/);
    const garbage = await raw(server.port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    const ok = await fetch(`${server.apiUrl}/gateway/bot`, { headers: { authorization: `Bot ${server.token}` } });
    expect(ok.status).toBe(200);
  });
});
