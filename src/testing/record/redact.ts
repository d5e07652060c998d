/**
 * Secrets out of recorded data: text through the redactor; binary through it
 * as latin1 (which keeps every byte, and matches ASCII secrets and their
 * base64/URL forms).
 */
import type { Redactor } from '../../core/redactor';
import type { RecordLine } from './format';

/** The `{kind, data}` of a frame with its secrets removed. */
export function redactedData(data: string | Uint8Array, redactor: Redactor | undefined): Pick<RecordLine, 'kind' | 'data'> {
  if (typeof data === 'string') return { kind: 'text', data: redactor ? redactor.text(data) : data };
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const clean = redactor?.active ? Buffer.from(redactor.text(buf.toString('latin1')), 'latin1') : buf;
  return { kind: 'binary', data: clean.toString('base64') };
}
