/**
 * What a WebSocket connection looks like to a gateway session: a cold stream
 * of inbound items. `Open` comes first and carries the connection handle used
 * to send; `Text`/`Binary` are messages; `Close` is the last item (the stream
 * then completes). Reconnecting is the session's decision: it subscribes again.
 */
export interface WsConnection {
  /** Unique per socket, so a session can tell an old socket's events from a new one's. */
  readonly id: number;
  /** The URL this socket was opened with, as given (may include a token in its query: log it through `safeUrl`). */
  readonly url: string;
  /** Sends at once (no queue). Returns false when the socket is not open (the data is dropped). */
  send(data: string | Uint8Array): boolean;
  /** Starts the closing handshake. The stream still ends with a Close item. */
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a closing handshake (tests, zombie recovery). */
  terminate(): void;
}

/** One item of a connection's inbound stream: Open, then Text/Binary messages, then Close. */
export type WsInbound =
  | { readonly kind: 'Open'; readonly connection: WsConnection }
  | { readonly kind: 'Text'; readonly connection: WsConnection; readonly data: string }
  | { readonly kind: 'Binary'; readonly connection: WsConnection; readonly data: Buffer }
  | {
      readonly kind: 'Close';
      readonly connection: WsConnection;
      /** 1005 when the peer sent no code, 1006 when the connection dropped without a close frame. */
      readonly code: number;
      readonly reason: string;
      /** True when this side asked for the close (unsubscribe, session decision). */
      readonly initiatedByClient: boolean;
    };

/** Options of `connectWebSocket`. */
export interface WsOptions {
  /** WebSocket subprotocols to offer. */
  readonly protocols?: string | string[];
  /** Extra handshake headers. */
  readonly headers?: Record<string, string>;
  /** Largest inbound message accepted, bytes (ws closes with 1009 above it). Default 100 MiB. */
  readonly maxPayload?: number;
  /**
   * Skip ws's UTF-8 check of text messages (ws's `skipUTF8Validation`). Only
   * for a consumer that decodes with replacement and parses the text anyway
   * (JSON.parse rejects what matters): the text is then decoded once instead
   * of scanned twice. Default false.
   */
  readonly skipUTF8Validation?: boolean;
  /** Milliseconds to wait for the handshake. Default 30 s. */
  readonly handshakeTimeout?: number;
  /** Code and reason sent when the subscriber unsubscribes while the socket is open. Default 1000. */
  readonly closeOnUnsubscribe?: { readonly code: number; readonly reason?: string };
}
