export { RecordLine, RecordingFormatError, formatRecording, parseRecording, lineBytes } from './format';
export { memorySink, fileSink, type RecordSink } from './sink';
export { recordWebSocket, replayWebSocket, recordingSegments, type WsTransport, type WsReplay, type RecordOptions } from './websocket';
export { recordImapTransport, replayImapBytes, replayImapTransport } from './imap';
export { renderMarbles, marblesOf, type MarbleDiagram, type TimedNotification } from './marbles';
