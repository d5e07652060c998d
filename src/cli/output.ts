/**
 * Events → NDJSON lines: `{"source":..., "type":..., ...the event}`, one per
 * line. Buffers become base64 strings, bigints decimal strings, Dates ISO.
 */

/** One NDJSON line (without the newline) for an event. */
export function eventLine(source: string, event: unknown): string {
  const body = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : { value: event };
  return JSON.stringify({ source, ...body }, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) return Buffer.from((v as { data: number[] }).data).toString('base64');
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    return v;
  });
}
