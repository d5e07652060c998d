/**
 * The gateway frame `{op, d, s, t}` and its checks. The envelope is checked by
 * hand (it is on every message); the dispatch's `d` goes through its codec.
 */
/** Gateway opcodes. */
export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** One gateway message `{op, d, s, t}`. */
export interface GatewayFrame {
  /** `op`: the gateway opcode (`Op`). */
  readonly op: number;
  /** `d`: the event data; any JSON value, null for payloads without data. */
  readonly d: unknown;
  /** `s`: the sequence number, for op 0 (Dispatch) only; null otherwise. */
  readonly s: number | null;
  /** `t`: the event name (e.g. `MESSAGE_CREATE`), for op 0 (Dispatch) only; null otherwise. */
  readonly t: string | null;
}

/** Parses one text message into a frame, or returns the reason it is not one. */
export function parseFrame(text: string): GatewayFrame | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return `not JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'frame is not an object';
  const f = v as { op?: unknown; d?: unknown; s?: unknown; t?: unknown };
  if (typeof f.op !== 'number') return 'op: expected number';
  const s = typeof f.s === 'number' ? f.s : null;
  const t = typeof f.t === 'string' ? f.t : null;
  if (f.op === Op.Dispatch && (s === null || t === null)) return 'dispatch without s or t';
  // Keep the parsed object as is (no copy) when it already has the shape.
  if (f.s === s && f.t === t) return v as GatewayFrame;
  return { op: f.op, d: f.d, s, t };
}
