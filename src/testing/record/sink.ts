/**
 * Where a recorder writes its lines: memory (tests) or an NDJSON file
 * (appended synchronously, so a crash loses nothing already seen).
 */
import * as fs from 'node:fs';
import type { RecordLine } from './format';

/** Receives recorded lines in order. */
export interface RecordSink {
  /** Takes one line (already redacted). */
  write(line: RecordLine): void;
}

/** A sink that keeps the lines in `lines`. */
export function memorySink(): RecordSink & { readonly lines: RecordLine[] } {
  const lines: RecordLine[] = [];
  return { lines, write: (l) => void lines.push(l) };
}

/** A sink that appends NDJSON lines to `path` (truncated first). */
export function fileSink(path: string): RecordSink {
  fs.writeFileSync(path, '');
  return { write: (l) => fs.appendFileSync(path, JSON.stringify(l) + '\n') };
}
