/** `imap://host:port`, or `imaps://host:port` for implicit TLS (port 993 by default): never a credential. */
export function imapUrl(options: { readonly host: string; readonly port: number; readonly tls?: string }): string {
  const implicit = options.tls === 'implicit' || (options.tls === undefined && options.port === 993);
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `${implicit ? 'imaps' : 'imap'}://${host}:${options.port}`;
}
