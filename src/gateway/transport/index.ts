export * from './types';
export { connectWebSocket, safeUrl } from './connectWebSocket';
export { createSendQueue, type SendQueue, type SendQueueOptions } from './sendQueue';
export { createSyncInflater, type SyncInflater } from './syncInflate';
export { inflateStage, endsWithFlush, zstdAvailable, DEFAULT_MAX_INFLATED_BYTES, DEFAULT_MAX_PENDING_BYTES, type CompressionMode, type InflateOptions } from './inflate';
