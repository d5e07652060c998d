/**
 * rxwire/testing record & replay: what crossed the wire, as NDJSON lines
 * (format.ts documents them), recorded at a source's transport seam and played
 * back through the unchanged decode/session pipeline in virtual time.
 *
 * DESIGN
 *   format.ts     RecordLine codec, parse/format NDJSON
 *   sink.ts       memory and file sinks;  clock.ts  `t` from a scheduler;  redact.ts  secrets out
 *   websocket.ts  recordWebSocket / replayWebSocket (the gateway sources' `transport` option)
 *   imap.ts       recordImapTransport / replayImapTransport / replayImapBytes (IMAP TransportFactory)
 *   mailtm.ts     recordMailtmTransport / replayMailtmTransport (Mail.tm HTTP + Mercure SSE, MailtmTransport)
 *   marbles.ts    marblesOf / renderMarbles: a replay as a marble diagram + values map
 */
export { RecordLine, RecordingFormatError, formatRecording, parseRecording, lineBytes } from './format';
export { memorySink, fileSink, type RecordSink } from './sink';
export { recordWebSocket, replayWebSocket, recordingSegments, type WsTransport, type WsReplay, type RecordOptions } from './websocket';
export { recordImapTransport, replayImapBytes, replayImapTransport } from './imap';
export { recordMailtmTransport, replayMailtmTransport, type MailtmRecordOptions, type MailtmReplayOptions, type MailtmReplay } from './mailtm';
export { renderMarbles, marblesOf, type MarbleDiagram, type TimedNotification } from './marbles';
