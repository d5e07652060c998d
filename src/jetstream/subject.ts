import type { AnyEvent } from '../core';

/** A subject token: no `.`, `*`, `>` or whitespace (NATS subject syntax), never empty. */
export function subjectToken(s: string): string {
  const t = s.replace(/[.*>\s]/g, '_');
  return t.length === 0 ? '_' : t;
}

/** The partition of an event within its source: Discord's shard, otherwise none. */
export function defaultPartition(event: AnyEvent): string | undefined {
  const shard = (event as { shard?: unknown }).shard;
  return typeof shard === 'number' ? String(shard) : undefined;
}

/**
 * `<prefix>.<source>[.<partition>].<type>`, e.g. `rxwire.discord.0.MessageCreate`,
 * `rxwire.imap.INBOX.NewMessages` (with a mailbox partition), `rxwire.mailtm.NewMessage`.
 */
export function subjectFor(prefix: string, event: AnyEvent & { readonly source?: string }, partition?: string): string {
  const parts = [prefix, subjectToken(event.source ?? 'unknown')];
  if (partition !== undefined) parts.push(subjectToken(partition));
  parts.push(subjectToken(event.type));
  return parts.join('.');
}
