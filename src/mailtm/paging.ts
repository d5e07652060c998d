/**
 * How many pages of `GET /messages` one poll needs, as a pure decision over
 * the pages fetched so far (30 per page, newest first).
 *
 * - Priming (no known ids yet): every page, for a complete snapshot.
 * - Otherwise stop as soon as a page reaches known mail AND the server's
 *   `hydra:totalItems` equals known + new: new mail is always on top, so
 *   nothing new lies further down, and the count proves nothing was deleted.
 *   A quiet mailbox costs one request per poll.
 * - If the count does not add up (something was deleted somewhere), read to
 *   the last page for a complete snapshot, which reveals the deletions.
 * - Pages shift while we read them (a deletion moves an item up onto a page
 *   already read, an arrival pushes one down onto the next): a read whose
 *   totals differ between pages, or whose distinct ids do not add up to the
 *   total, is torn and must be restarted; a torn read never reports deletions.
 */
import type { MailtmMessageSummary } from './codecs';
import type { MailboxSnapshot } from './mailboxDiff';

export interface MailboxPage {
  readonly members: readonly MailtmMessageSummary[];
  readonly totalItems: number;
  /** The page has a `hydra:next` link. */
  readonly hasNext: boolean;
}

export type PagingDecision = { readonly next: 'page' } | { readonly next: 'done'; readonly snapshot: MailboxSnapshot } | { readonly next: 'restart' };

/** `known`: the ids known so far, or undefined while priming. */
export function planPaging(known: ReadonlyMap<string, unknown> | undefined, pages: readonly MailboxPage[]): PagingDecision {
  const last = pages[pages.length - 1];
  if (last === undefined) return { next: 'page' };
  if (pages.some((p) => p.totalItems !== last.totalItems)) return { next: 'restart' };
  const messages = pages.flatMap((p) => p.members);
  const ids = new Set(messages.map((m) => m.id));
  if (!last.hasNext || last.members.length === 0) {
    if (ids.size !== messages.length || ids.size !== last.totalItems) return { next: 'restart' };
    return { next: 'done', snapshot: { messages, complete: true } };
  }
  if (known === undefined) return { next: 'page' };
  let fresh = 0;
  for (const id of ids) if (!known.has(id)) fresh++;
  const reachedKnown = last.members.some((m) => known.has(m.id));
  if (reachedKnown && ids.size === messages.length && last.totalItems === known.size + fresh) {
    return { next: 'done', snapshot: { messages, complete: false } };
  }
  return { next: 'page' };
}

/** A decoded Hydra page → the paging view of it. */
export function mailboxPage(page: { 'hydra:member': MailtmMessageSummary[]; 'hydra:totalItems': number; 'hydra:view'?: { 'hydra:next'?: string } }): MailboxPage {
  return { members: page['hydra:member'], totalItems: page['hydra:totalItems'], hasNext: page['hydra:view']?.['hydra:next'] !== undefined };
}
