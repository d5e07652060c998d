import * as t from 'io-ts';

/** A Node Buffer (literal bytes kept as bytes). */
export const BufferC = new t.Type<Buffer, Buffer, unknown>(
  'Buffer',
  (u): u is Buffer => Buffer.isBuffer(u),
  (u, c) => (Buffer.isBuffer(u) ? t.success(u) : t.failure(u, c)),
  (b) => b,
);
