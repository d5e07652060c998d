/**
 * A SASL mechanism for AUTHENTICATE (RFC 3501 §6.2.2, RFC 4959 SASL-IR).
 * `initial` is the initial response (sent inline when the server offers
 * SASL-IR); `step` answers each server challenge (already base64-decoded).
 * Implementations must never put the secret into an Error message.
 */
export interface SaslMechanism {
  readonly name: string;
  initial?(): Buffer;
  step(challenge: Buffer): Buffer;
}
