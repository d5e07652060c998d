import * as net from 'node:net';

/** A loopback TCP proxy that records what clients send and can make open connections half-open. */
export interface RecordingProxy {
  readonly port: number;
  /** Client → server bytes of each connection so far, as text. */
  sent(): string[];
  /** Open connections stop forwarding in both directions but stay open (a half-open path). */
  freeze(): void;
  /** How many client connections are still open. */
  open(): number;
  close(): Promise<void>;
}

export function recordingProxy(targetPort: number): Promise<RecordingProxy> {
  const conns: Array<{ client: net.Socket; upstream: net.Socket; sent: string; frozen: boolean; closed: boolean }> = [];
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    const c = { client, upstream, sent: '', frozen: false, closed: false };
    conns.push(c);
    client.on('data', (d: Buffer) => {
      c.sent += d.toString('latin1');
      if (!c.frozen) upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!c.frozen) client.write(d);
    });
    const end = () => {
      c.closed = true;
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        sent: () => conns.map((c) => c.sent),
        freeze: () => {
          for (const c of conns) c.frozen = true;
        },
        open: () => conns.filter((c) => !c.closed).length,
        close: () =>
          new Promise<void>((res) => {
            for (const c of conns) {
              c.client.destroy();
              c.upstream.destroy();
            }
            server.close(() => res());
          }),
      });
    });
  });
}
