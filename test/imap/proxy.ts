import * as net from 'node:net';

/** A TCP proxy on an ephemeral loopback port that the test can cut (server-side disconnect). */
export interface Proxy {
  readonly port: number;
  /** Destroys every open pair of sockets (the client sees the server hang up). */
  cut(): void;
  close(): Promise<void>;
}

export function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<Proxy> {
  const pairs: Array<[net.Socket, net.Socket]> = [];
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: targetHost, port: targetPort });
    pairs.push([client, upstream]);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        cut: () => {
          for (const [a, b] of pairs.splice(0)) {
            b.destroy();
            a.destroy();
          }
        },
        close: () =>
          new Promise<void>((res) => {
            for (const [a, b] of pairs.splice(0)) {
              a.destroy();
              b.destroy();
            }
            server.close(() => res());
          }),
      });
    });
  });
}
