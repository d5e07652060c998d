/**
 * The frame decoder: what the live path does with one text message of a
 * connection (a text frame, or one message the zlib-stream inflater produced),
 * without any socket. `textInput` turns the text into the session input it is
 * (a parsed frame, or a BadFrame with the reason), and `stepFrame` runs it
 * through the session step with the guard the live path relies on: a throw
 * while handling a frame becomes a DecodeError for that frame and leaves the
 * state unchanged. shard.ts calls exactly these two for every message, and
 * the fuzz targets `discord.decode.*` call them directly, so a million
 * inputs take minutes instead of an hour.
 */
import type { DiscordEvent } from './events';
import { parseFrame } from './frame';
import { step, type SessionInput, type SessionState, type Step } from './session';

/**
 * One text message of connection `conn` as a session input. `inflateError` is
 * the reason the connection's inflater broke, if it did: its empty placeholder
 * message is reported with that reason instead of a JSON error.
 */
export function textInput(conn: number, text: string, inflateError?: string): SessionInput {
  if (inflateError !== undefined && text === '') return { kind: 'BadFrame', conn, raw: text, error: inflateError };
  const f = parseFrame(text);
  return typeof f === 'string' ? { kind: 'BadFrame', conn, raw: text, error: f } : { kind: 'Frame', conn, frame: f };
}

/**
 * `step(state, input)`, guarded for frames: when handling a Frame or BadFrame
 * throws (a bug that one frame triggers), the result is the unchanged state
 * and a DecodeError naming the frame, never a throw into a socket callback.
 * Other inputs' throws propagate (the driver fails the stream with them).
 */
export function stepFrame(state: SessionState, input: SessionInput): Step {
  if (input.kind !== 'Frame' && input.kind !== 'BadFrame') return step(state, input);
  try {
    return step(state, input);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const event: DiscordEvent = {
      source: 'discord',
      type: 'DecodeError',
      shard: state.config.shard[0],
      data: { tag: input.kind === 'Frame' ? (input.frame.t ?? `op ${input.frame.op}`) : undefined, raw: input.kind === 'Frame' ? input.frame : input.raw, errors: [`frame handling failed: ${msg}`] },
    };
    return [state, [{ kind: 'Emit', event }]];
  }
}
