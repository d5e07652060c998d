/**
 * The poll diff as a pure step function: (state, snapshot) → [state, events].
 *
 * Messages are told apart by id sets, never by the first element: every id
 * not seen before is a NewMessage (oldest first, so arrival order), every
 * known id missing from a complete snapshot is a MessageDelete carrying the
 * last known copy. The first snapshot of an account only records what exists
 * (unless `backlog`), so mail that was there before is not reported as new.
 */
import type { DecodeErrorEvent } from '../core';
import type { MailtmMessageSummary } from './codecs';
import { MAILTM_SOURCE, mailtmEvent, type MailtmMessageDelete, type MailtmNewMessage } from './events';

/** A list item that did not decode but has an id. */
export interface MailtmRejectedMessage {
  /** The item's `id`. */
  readonly id: string;
  /** The item as it came, undecoded. */
  readonly raw: unknown;
  /** The decode errors, one `path: problem` line each (e.g. `hydra:member.3.subject: expected string, got …`). */
  readonly errors: readonly string[];
}

/** What the diff knows about one watched mailbox. */
export interface MailboxState {
  /** False until the first (complete) snapshot of the account was taken. */
  readonly primed: boolean;
  /** Known messages by id, in arrival order (oldest first). */
  readonly known: ReadonlyMap<string, MailtmMessageSummary>;
  /** Ids of known items that did not decode (reported once as DecodeError). */
  readonly rejected: ReadonlySet<string>;
}

/** One read of a mailbox (all of it, or a prefix that reached known mail). */
export interface MailboxSnapshot {
  /** Messages newest first, as the API lists them. */
  readonly messages: readonly MailtmMessageSummary[];
  /** Items that did not decode, newest first. */
  readonly rejected?: readonly MailtmRejectedMessage[];
  /**
   * True when `messages` is the whole mailbox, so a missing known id was
   * deleted. A partial snapshot (a prefix that reached known mail, with the
   * server's total proving nothing was deleted) only adds.
   */
  readonly complete: boolean;
}

/** The events a mailbox diff produces. */
export type MailboxOutput = MailtmNewMessage | MailtmMessageDelete | DecodeErrorEvent<typeof MAILTM_SOURCE>;

/** The state of a mailbox not yet primed. */
export const EMPTY_MAILBOX: MailboxState = { primed: false, known: new Map(), rejected: new Set() };

/** The known ids, decodable or not (what paging needs). */
export function knownIds(state: MailboxState): { has(id: string): boolean; readonly size: number } {
  return { has: (id) => state.known.has(id) || state.rejected.has(id), size: state.known.size + state.rejected.size };
}

/** The diff step: (state, snapshot) → [next state, NewMessage/MessageDelete/DecodeError events]. */
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
  const rejectedNow = snapshot.rejected ?? [];
  const rejectedArrived = [...rejectedNow].reverse().filter((r) => !state.rejected.has(r.id));
  const report = !state.primed ? backlog : true;
  // An item that does not decode is reported once, as a DecodeError with its raw form.
  if (report)
    for (const r of rejectedArrived)
      out.push({ source: MAILTM_SOURCE, type: 'DecodeError', data: { tag: 'NewMessage', raw: r.raw, errors: r.errors } });
  const rejected = new Set(state.rejected);
  for (const r of rejectedArrived) rejected.add(r.id);
  if (snapshot.complete) {
    const present = new Set(rejectedNow.map((r) => r.id));
    for (const id of state.rejected) if (!present.has(id)) rejected.delete(id);
  }
  if (!state.primed) {
    const known = new Map<string, MailtmMessageSummary>();
    for (const m of arrived) known.set(m.id, m);
    if (backlog) for (const m of arrived) out.push(mailtmEvent('NewMessage', m));
    return [{ primed: true, known, rejected }, out];
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
  return [{ primed: true, known, rejected }, out];
}
