/**
 * Discord fuzz targets at the frame decoder: the functions the live path
 * calls for every message (`textInput` → `stepFrame`, decoder.ts, then the
 * redaction of events$, redact.ts), with no socket, no `discord()` handle and
 * no timers, so a million inputs take minutes. Each input starts from a ready
 * session (Hello, Identify, READY stepped through the pure session) and feeds
 * it the same structure-aware messages as the live-path targets (discord.ts),
 * then the connection's close; for zlib-stream, the binary messages go
 * through the real inflate stage (synchronous inflater, same bounds) on an
 * in-memory stream first. Every Emit is redacted as events$ does; Log lines
 * as the logger does; a Fail's error as the stream's final error. The
 * live-path targets in discord.ts stay: they cover the driver around this.
 */
import { from } from 'rxjs';
import { createRedactor } from '../../src/core';
import { stepFrame, textInput } from '../../src/gateway/discord/decoder';
import { redactEvent } from '../../src/gateway/discord/redact';
import { initialSession, step, type SessionOutput, type SessionState } from '../../src/gateway/discord/session';
import { inflateStage, type WsConnection, type WsInbound } from '../../src/gateway/transport';
import type { FuzzTarget } from '../harness';
import { binaryFrames, closeOf, textFrame, TOKEN } from './discord';

const redactor = createRedactor([TOKEN]);

/** A session that identified and got READY on connection 1, built through the pure step function. */
function readySession(): SessionState {
  let s = initialSession({
    token: TOKEN,
    intents: 1,
    shard: [0, 1],
    properties: { os: 'linux', browser: 'rxwire', device: 'rxwire' },
    gatewayUrl: 'wss://fuzz.example',
    query: 'v=10&encoding=json',
    random: () => 0.5,
    backoff: { initialDelay: 1000, maxDelay: 60_000 },
    helloTimeout: 60_000,
    readyTimeout: 15_000,
  });
  const feed = (input: Parameters<typeof step>[1]) => (s = step(s, input)[0]);
  feed({ kind: 'Start' });
  feed({ kind: 'Open', conn: s.conn });
  feed(textInput(s.conn, JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null })));
  feed({ kind: 'IdentifyGranted', conn: s.conn });
  feed(textInput(s.conn, JSON.stringify({ op: 0, s: 1, t: 'READY', d: { v: 10, user: { id: '1', username: 'b', discriminator: '0', global_name: null, avatar: null, bot: true }, guilds: [], session_id: 'fuzz-session', resume_gateway_url: 'wss://fuzz.example', shard: [0, 1], application: { id: '1', flags: 0 } } })));
  if (s.phase !== 'ready') throw new Error(`fuzz setup: the session is ${s.phase}, not ready`);
  return s;
}
const READY = readySession();

/** What the live driver would let out of one output: the redacted event, log line or error. */
function outOf(o: SessionOutput): unknown {
  switch (o.kind) {
    case 'Emit':
      return redactEvent(redactor, o.event);
    case 'Log':
      return { msg: redactor.text(o.msg), fields: redactor.value(o.fields) };
    case 'Fail':
      return redactor.error(o.error);
    default:
      return o;
  }
}

interface Close {
  readonly closeCode: number;
  readonly closeReason: string;
}
interface JsonInput extends Close {
  readonly texts: readonly string[];
}
interface ZlibInput extends Close {
  readonly frames: readonly Buffer[];
}

/** One connection through the decoder: `feed(push)` pushes its messages (text, and the inflater's error if it broke), then the close. */
function decode(feed: (push: (text: string, inflateError?: string) => void) => void, close: Close): unknown[] {
  let s = READY;
  const seen: unknown[] = [];
  const apply = (r: ReturnType<typeof step>) => {
    s = r[0];
    for (const o of r[1]) seen.push(outOf(o));
  };
  feed((text, inflateError) => apply(stepFrame(s, textInput(s.conn, text, inflateError))));
  apply(step(s, { kind: 'Closed', conn: s.conn, code: close.closeCode, reason: close.closeReason, byClient: false }));
  return seen;
}

const connection: WsConnection = { id: 1, url: 'wss://fuzz.example', send: () => true, close: () => undefined, terminate: () => undefined };

/** The binary messages through the real zlib-stream inflate stage (synchronous inflater, same bounds as discord.ts), on an in-memory stream. */
function inflateThen(frames: readonly Buffer[], push: (text: string, inflateError?: string) => void): void {
  const items: WsInbound[] = [{ kind: 'Open', connection }, ...frames.map((data): WsInbound => ({ kind: 'Binary', connection, data })), { kind: 'Close', connection, code: 1006, reason: '', initiatedByClient: false }];
  let inflateError: string | undefined;
  let passedBinary = false;
  from(items)
    .pipe(inflateStage('zlib-stream', { sync: true, maxInflatedBytes: 1024 * 1024, maxPendingBytes: 512 * 1024, onError: (e) => (inflateError = `inflate: ${e.message}`) }))
    .subscribe((item) => {
      if (item.kind === 'Text') push(item.data, inflateError);
      else if (item.kind === 'Binary') passedBinary = true;
    });
  if (passedBinary) throw new Error('the inflate stage passed a binary message through');
}

/** The Discord decoder targets: plain JSON text frames, and zlib-stream messages through the sync inflater. */
export const targets: Array<FuzzTarget<JsonInput> | FuzzTarget<ZlibInput>> = [
  {
    name: 'discord.decode.json',
    secrets: [TOKEN],
    generate: (rng) => ({ texts: Array.from({ length: 1 + rng.int(6) }, (_, i) => textFrame(rng, i + 2)), ...closeOf(rng) }),
    run: (input: JsonInput) => decode((push) => input.texts.forEach((t) => push(t)), input),
  } satisfies FuzzTarget<JsonInput>,
  {
    name: 'discord.decode.zlib-stream',
    secrets: [TOKEN],
    generate: (rng) => ({ frames: binaryFrames(rng), ...closeOf(rng) }),
    run: (input: ZlibInput) => decode((push) => inflateThen(input.frames, push), input),
  } satisfies FuzzTarget<ZlibInput>,
];
