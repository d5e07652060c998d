export * from './types';
export { connectWebSocket, safeUrl } from './connectWebSocket';
