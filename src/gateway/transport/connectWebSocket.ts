import { Observable } from 'rxjs';
import WebSocket from 'ws';
import { TransportClosedError } from '../../core/errors';
import type { WsConnection, WsInbound, WsOptions } from './types';

let nextId = 1;

/**
 * A cold WebSocket: subscribing opens a socket, unsubscribing closes it.
 * Emits Open, then Text/Binary messages, then Close, then completes. A socket
 * that fails before it opens errors the stream with a TransportClosedError.
 *
 * Each subscription owns its socket and every handler is bound to that
 * socket's subscriber, so an old socket's late close can never act on a newer
 * connection (discordeno #3907).
 */
export function connectWebSocket(url: string, options: WsOptions = {}): Observable<WsInbound> {
  return new Observable<WsInbound>((subscriber) => {
    const socket = new WebSocket(url, options.protocols, {
      headers: options.headers,
      maxPayload: options.maxPayload ?? 100 * 1024 * 1024,
      handshakeTimeout: options.handshakeTimeout ?? 30_000,
      perMessageDeflate: false,
      skipUTF8Validation: options.skipUTF8Validation === true,
    });
    socket.binaryType = 'nodebuffer';
    let opened = false;
    let clientClosing = false;
    const connection: WsConnection = {
      id: nextId++,
      url,
      send(data) {
        if (socket.readyState !== WebSocket.OPEN) return false;
        socket.send(data);
        return true;
      },
      close(code = 1000, reason) {
        clientClosing = true;
        if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(code, reason);
      },
      terminate() {
        clientClosing = true;
        socket.terminate();
      },
    };

    socket.on('open', () => {
      opened = true;
      subscriber.next({ kind: 'Open', connection });
    });
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      if (isBinary) subscriber.next({ kind: 'Binary', connection, data: buf });
      else subscriber.next({ kind: 'Text', connection, data: buf.toString('utf8') });
    });
    socket.on('error', (err: Error) => {
      if (!opened) subscriber.error(new TransportClosedError(`could not connect to ${safeUrl(url)}: ${err.message}`, { cause: err }));
      // After open, ws always follows an error with 'close', which ends the stream.
    });
    socket.on('close', (code: number, reason: Buffer) => {
      if (!opened) {
        subscriber.error(new TransportClosedError(`connection to ${safeUrl(url)} closed before it opened (code ${code})`));
        return;
      }
      subscriber.next({ kind: 'Close', connection, code, reason: reason.toString('utf8'), initiatedByClient: clientClosing });
      subscriber.complete();
    });

    return () => {
      socket.removeAllListeners('message');
      socket.on('error', () => undefined); // a late error on a socket nobody listens to must not crash the process
      if (socket.readyState === WebSocket.OPEN) {
        const c = options.closeOnUnsubscribe ?? { code: 1000 };
        socket.close(c.code, c.reason);
      } else if (socket.readyState === WebSocket.CONNECTING) {
        socket.terminate();
      }
    };
  });
}

/** The URL without its query string: gateways put tokens in queries (Mezon, Stoat). */
export function safeUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}
