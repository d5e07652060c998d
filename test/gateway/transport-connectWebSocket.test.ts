import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, lastValueFrom, take, tap, timeout, toArray } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { TransportClosedError } from '../../src/core';
import { connectWebSocket, createSendQueue, type WsInbound } from '../../src/gateway/transport';

let wss: WebSocketServer;
let url: string;
const sockets: WebSocket[] = [];
beforeEach(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (ws) => sockets.push(ws));
});
afterEach(async () => {
  sockets.length = 0;
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
});

const kinds = (items: WsInbound[]) => items.map((i) => (i.kind === 'Text' ? `Text:${i.data}` : i.kind === 'Binary' ? `Binary:${i.data.length}` : i.kind === 'Close' ? `Close:${i.code}:${i.reason}:${i.initiatedByClient}` : i.kind));

describe('connectWebSocket', () => {
  it('emits Open, Text and Binary in order, then a typed Close from the server, then completes', async () => {
    wss.on('connection', (ws) => {
      ws.send('hello');
      ws.send(Buffer.from([1, 2, 3]));
      ws.close(4000, 'bye');
    });
    const items = await lastValueFrom(connectWebSocket(url).pipe(toArray(), timeout(5000)));
    expect(kinds(items)).toEqual(['Open', 'Text:hello', 'Binary:3', 'Close:4000:bye:false']);
  });

  it('sends through the connection handle (and a send queue on top of it)', async () => {
    const got = new Promise<string>((resolve) => wss.on('connection', (ws) => ws.on('message', (d: Buffer) => resolve(d.toString()))));
    const sub = connectWebSocket(url).subscribe((i) => {
      if (i.kind === 'Open') createSendQueue((d) => i.connection.send(d)).send('ping');
    });
    expect(await got).toBe('ping');
    sub.unsubscribe();
  });

  it('closes the socket with 1000 on unsubscribe', async () => {
    const closed = new Promise<number>((resolve) => wss.on('connection', (ws) => ws.on('close', (code: number) => resolve(code))));
    await firstValueFrom(connectWebSocket(url).pipe(take(1), timeout(5000)));
    expect(await closed).toBe(1000);
  });

  it('errors with a TransportClosedError when it cannot connect', async () => {
    const port = (wss.address() as AddressInfo).port;
    await new Promise((r) => wss.close(r));
    const err = await lastValueFrom(connectWebSocket(`ws://127.0.0.1:${port}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportClosedError);
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
  });

  it('a later subscription gets its own socket: the old socket closing never shows up in the new stream', async () => {
    const second: WsInbound[] = [];
    let sub2: { unsubscribe(): void } | undefined;
    const firstItems = lastValueFrom(
      connectWebSocket(url).pipe(
        tap((i) => {
          if (i.kind === 'Open') sub2 = connectWebSocket(url).subscribe((j) => second.push(j));
        }),
        toArray(),
        timeout(5000),
      ),
    );
    while (sockets.length < 2) await once(wss, 'connection');
    sockets[0].terminate();
    const first = await firstItems;
    expect(kinds(first)).toEqual(['Open', 'Close:1006::false']);
    expect(second.map((i) => i.kind)).toEqual(['Open']);
    expect(first[0].kind === 'Open' && second[0].kind === 'Open' && first[0].connection.id !== second[0].connection.id).toBe(true);
    sub2?.unsubscribe();
  });
});
