import { map, type OperatorFunction } from 'rxjs';
import { decodeFrame, type CodecTable, type DecodeResult, type DecodeSpec } from '../decode';

/**
 * Frames → typed events. The codec is picked by the frame's tag with one record
 * lookup; an unknown tag becomes an `Unknown` event, a rejected frame a
 * `DecodeError` event carrying the raw frame, in the frame's place in the
 * stream. The stream never errors on bad input.
 */
export function decodeWith<S extends string, C extends CodecTable, F>(spec: DecodeSpec<S, C, F>): OperatorFunction<F, DecodeResult<S, C>> {
  return map((frame: F) => decodeFrame(spec, frame));
}
