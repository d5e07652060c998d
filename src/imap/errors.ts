/** Errors specific to the IMAP client (the shared typed errors live in ../core). */

/** An argument cannot be sent safely (CR/LF/NUL in it, an empty atom ...). Raised before anything reaches the wire. */
export class ImapArgumentError extends TypeError {
  constructor(what: string) {
    super(`IMAP argument rejected: ${what}. Nothing was sent`);
    this.name = 'ImapArgumentError';
  }
}

/** login/authenticate would send a secret over an unencrypted connection. */
export class CleartextRefusedError extends Error {
  constructor() {
    super(
      'refusing to send credentials over an unencrypted IMAP connection: the server offers no STARTTLS. Connect with tls: "implicit" (port 993) or tls: "starttls", or pass allowCleartextLogin: true if this is really what you want',
    );
    this.name = 'CleartextRefusedError';
  }
}
