/**
 * A SASL mechanism for AUTHENTICATE (RFC 3501 §6.2.2, RFC 4959 SASL-IR).
 * `initial` is the initial response (sent inline when the server offers
 * SASL-IR); `step` answers each server challenge (already base64-decoded).
 * Implementations must never put the secret into an Error message.
 */
export interface SaslMechanism {
  /** The SASL mechanism name sent after AUTHENTICATE (`PLAIN`, `XOAUTH2`, ...). */
  readonly name: string;
  /** Strings to scrub from any server text rxwire puts in an error (password, token). */
  readonly secrets?: readonly string[];
  /** The initial response (raw bytes, rxwire base64-encodes them); inline with SASL-IR, otherwise the answer to the first empty challenge. */
  initial?(): Buffer;
  /** Answers one server challenge (decoded bytes in, raw bytes out). */
  step(challenge: Buffer): Buffer;
}
