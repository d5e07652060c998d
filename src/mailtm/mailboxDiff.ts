/**
 * The poll diff as a pure step function: (state, snapshot) → [state, events].
 *
 * Messages are told apart by id sets, never by the first element: every id
 * not seen before is a NewMessage (oldest first, so arrival order), every
 * known id missing from a complete snapshot is a MessageDelete carrying the
 * last known copy. The first snapshot of an account only records what exists
 * (unless `backlog`), so mail that was there before is not reported as new.
 */
import type { MailtmMessageSummary } from './codecs';
import { mailtmEvent, type MailtmMessageDelete, type MailtmNewMessage } from './events';

export interface MailboxState {
  /** False until the first (complete) snapshot of the account was taken. */
  readonly primed: boolean;
  /** Known messages by id, in arrival order (oldest first). */
  readonly known: ReadonlyMap<string, MailtmMessageSummary>;
}

export interface MailboxSnapshot {
  /** Messages newest first, as the API lists them. */
  readonly messages: readonly MailtmMessageSummary[];
  /**
   * True when `messages` is the whole mailbox, so a missing known id was
   * deleted. A partial snapshot (a prefix that reached known mail, with the
   * server's total proving nothing was deleted) only adds.
   */
  readonly complete: boolean;
}

export type MailboxOutput = MailtmNewMessage | MailtmMessageDelete;

export const EMPTY_MAILBOX: MailboxState = { primed: false, known: new Map() };

export function diffMailbox(state: MailboxState, snapshot: MailboxSnapshot, backlog = false): [MailboxState, MailboxOutput[]] {
  const out: MailboxOutput[] = [];
  const arrived: MailtmMessageSummary[] = [];
  const seen = new Set<string>();
  for (let i = snapshot.messages.length - 1; i >= 0; i--) {
    const m = snapshot.messages[i];
    if (!state.known.has(m.id) && !seen.has(m.id)) {
      seen.add(m.id);
      arrived.push(m);
    }
  }
  if (!state.primed) {
    const known = new Map<string, MailtmMessageSummary>();
    for (const m of arrived) known.set(m.id, m);
    if (backlog) for (const m of arrived) out.push(mailtmEvent('NewMessage', m));
    return [{ primed: true, known }, out];
  }
  const known = new Map(state.known);
  if (snapshot.complete) {
    const present = new Set(snapshot.messages.map((m) => m.id));
    for (const [id, m] of state.known)
      if (!present.has(id)) {
        known.delete(id);
        out.push(mailtmEvent('MessageDelete', m));
      }
  }
  // Keep the latest copy of known messages (seen flags change).
  for (const m of snapshot.messages) if (known.has(m.id)) known.set(m.id, m);
  for (const m of arrived) {
    known.set(m.id, m);
    out.push(mailtmEvent('NewMessage', m));
  }
  return [{ primed: true, known }, out];
}
