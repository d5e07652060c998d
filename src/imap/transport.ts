/**
 * The byte pipe under the client: TCP (node:net) or implicit TLS (node:tls),
 * with an in-place STARTTLS upgrade and COMPRESS=DEFLATE (RFC 4978). The
 * client only sees this interface, so tests can script a server without
 * sockets. Certificates are verified by default; `ca` adds a trusted CA and
 * `rejectUnauthorized: false` turns verification off explicitly.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as zlib from 'node:zlib';

/** What a transport calls back with: the bytes it read, and its end. */
export interface TransportHandlers {
  /** Bytes read from the server (already inflated after `compress()`), in order. */
  data(chunk: Buffer): void;
  /** Called once, when the connection is gone (error undefined on a clean close). */
  closed(error?: Error): void;
  /**
   * Optional: where the next socket read lands. The default transport then reads into the
   * returned region (node's `onread`) and calls `data` with the part it filled, a view of it;
   * the handler decides when that memory is read into again. Without it node allocates a Buffer per read.
   */
  readBuffer?(): Buffer;
}

/** A connected byte pipe to the server; {@link nodeTransport} is the default, tests pass their own. */
export interface ImapTransport {
  /** True when the bytes travel over TLS (implicit TLS, or after `startTls()`). */
  readonly secure: boolean;
  /** Writes bytes; resolves when the socket accepted them (backpressure). */
  write(chunk: Buffer): Promise<void>;
  /** Upgrades the connection to TLS in place (after STARTTLS's OK). */
  startTls(): Promise<void>;
  /** Switches both directions to raw DEFLATE (after COMPRESS's OK). */
  compress(): void;
  /** Closes the connection; `closed` is then called (once). */
  close(): void;
  /** Stops reading from the socket (TCP backpressure reaches the server); optional for custom transports. */
  pause?(): void;
  /** Reads again after pause(). */
  resume?(): void;
}

/** TLS settings of an implicit-TLS or STARTTLS connection (certificates are verified unless told otherwise). */
export interface TlsOptions {
  /** Extra trusted CA certificate(s), PEM. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Default true. Set false only for throwaway test servers. */
  readonly rejectUnauthorized?: boolean;
  /** SNI / certificate name; defaults to the host. */
  readonly servername?: string;
  /** Lowest TLS version accepted (e.g. `'TLSv1.2'`); defaults to Node's default. */
  readonly minVersion?: tls.SecureVersion;
}

/** Where and how to connect. */
export interface TransportOptions {
  /** Server host name or IP address. */
  readonly host: string;
  /** TCP port (993 for implicit TLS, 143 for plain/STARTTLS). */
  readonly port: number;
  /** 'implicit': TLS from the first byte (port 993). Otherwise plain TCP (STARTTLS may upgrade it). */
  readonly tls?: 'implicit' | 'starttls' | 'none';
  /** Certificate checks and TLS settings, used for implicit TLS and STARTTLS. */
  readonly tlsOptions?: TlsOptions;
  /** ms to establish the connection (TCP, and the TLS handshake for implicit TLS) before failing. Default 30000. */
  readonly connectTimeout?: number;
}

/** Opens a transport: resolves once connected, rejects when the connection cannot be made. */
export type TransportFactory = (options: TransportOptions, handlers: TransportHandlers) => Promise<ImapTransport>;

function tlsConnectOptions(options: TransportOptions): tls.ConnectionOptions {
  const t = options.tlsOptions ?? {};
  const ca = t.ca === undefined ? undefined : Array.isArray(t.ca) ? [...t.ca] : [t.ca as string | Buffer];
  const servername = t.servername ?? (net.isIP(options.host) ? undefined : options.host);
  return {
    ...(ca ? { ca: [...tls.rootCertificates, ...ca] } : {}),
    rejectUnauthorized: t.rejectUnauthorized ?? true,
    ...(servername ? { servername } : {}),
    ...(t.minVersion ? { minVersion: t.minVersion } : {}),
    // an IP host must still match the certificate's IP SAN
    checkServerIdentity: (host, cert) => tls.checkServerIdentity(t.servername ?? options.host ?? host, cert),
  };
}

/** The default transport over node:net / node:tls. */
export const nodeTransport: TransportFactory = (options, handlers) =>
  new Promise((resolve, reject) => {
    let socket: net.Socket;
    let settled = false;
    let done = false;
    let inflate: zlib.InflateRaw | undefined;
    let deflate: zlib.DeflateRaw | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!settled) {
        settled = true;
        reject(error ?? new Error('connection closed before it was established'));
        return;
      }
      handlers.closed(error);
    };
    const onData = (chunk: Buffer) => {
      // zlib reads its input later, and a region of readBuffer() may be read into again: a copy
      if (inflate) inflate.write(readInto ? Buffer.from(chunk) : chunk);
      else handlers.data(chunk);
    };
    // Reads of the socket made here land where handlers.readBuffer() says; a socket that
    // STARTTLS wraps later emits 'data' instead (node ignores onread when TLS wraps a socket).
    const readInto = handlers.readBuffer?.bind(handlers);
    let rawReading = true;
    const onread = readInto && {
      buffer: readInto,
      callback: (n: number, buf: Uint8Array): boolean => {
        if (rawReading) onData((buf as Buffer).subarray(0, n));
        return true; // pausing is pause()'s job
      },
    };
    const onError = (e: Error) => {
      finish(e);
      socket.destroy();
    };
    const onClose = () => {
      // with COMPRESS the last bytes (BYE, the tagged OK) may still sit in the inflater
      const i = inflate;
      if (!i) return finish();
      inflate = undefined;
      i.once('end', () => finish());
      i.once('error', (e: Error) => finish(e));
      i.end();
    };
    const attach = (s: net.Socket) => {
      s.on('data', onData);
      s.on('error', onError);
      s.on('close', onClose);
      s.setNoDelay(true);
    };
    const detach = (s: net.Socket) => {
      rawReading = false;
      s.off('data', onData);
      s.off('error', onError);
      s.off('close', onClose);
    };
    const implicit = options.tls === 'implicit';
    const connectEvent = implicit ? 'secureConnect' : 'connect';
    const read = onread ? { onread } : {};
    socket = implicit ? tls.connect({ host: options.host, port: options.port, ...read, ...tlsConnectOptions(options) } as tls.ConnectionOptions) : net.connect({ host: options.host, port: options.port, ...read });
    timer = setTimeout(() => onError(new Error(`connect timeout after ${options.connectTimeout ?? 30_000} ms`)), options.connectTimeout ?? 30_000);
    attach(socket);
    socket.once(connectEvent, () => {
      clearTimeout(timer);
      settled = true;
      let secure = implicit;
      const transport: ImapTransport = {
        get secure() {
          return secure;
        },
        write: (chunk) =>
          new Promise<void>((res, rej) => {
            if (done) return rej(new Error('connection closed'));
            if (deflate) {
              deflate.write(chunk);
              deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => res());
              return;
            }
            socket.write(chunk, (err) => (err ? rej(err) : res()));
          }),
        startTls: () =>
          new Promise<void>((res, rej) => {
            detach(socket);
            const plainSocket = socket;
            const upgraded = tls.connect({ socket: plainSocket, ...tlsConnectOptions(options) });
            const fail = (e: Error) => {
              rej(e);
              onError(e);
            };
            upgraded.once('error', fail);
            upgraded.once('secureConnect', () => {
              upgraded.off('error', fail);
              socket = upgraded;
              secure = true;
              attach(upgraded);
              res();
            });
          }),
        compress: () => {
          const i = zlib.createInflateRaw();
          i.on('data', (c: Buffer) => {
            if (!done) handlers.data(c);
          });
          i.on('error', (e) => onError(e));
          inflate = i;
          deflate = zlib.createDeflateRaw();
          deflate.on('data', (c: Buffer) => socket.write(c));
        },
        close: () => {
          socket.destroy();
        },
        pause: () => {
          socket.pause();
          inflate?.pause();
        },
        resume: () => {
          inflate?.resume();
          socket.resume();
        },
      };
      resolve(transport);
    });
  });
