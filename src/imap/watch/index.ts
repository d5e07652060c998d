export { watchMailbox, mailboxWatch, defaultWatchBackoff, type WatchOptions } from './watchMailbox';
export type { MailboxWatch, WatchLink, WatchSessionOptions } from './session';
export { watchSession } from './session';
export { step as watchStep, initialWatchState, defaultWatchConfig, type WatchConfig, type WatchInput, type WatchOutput, type WatchCommand, type WatchState, type WatchMemory, type TimerName } from './machine';
export * from './events';
