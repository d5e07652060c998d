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
import { DecodeFailedError, validate } from '../core';
import { MailtmMessageSummary, type MailtmMessagePageLoose } from './codecs';
import type { MailboxSnapshot, MailtmRejectedMessage } from './mailboxDiff';

export interface MailboxPage {
  readonly members: readonly MailtmMessageSummary[];
  /** Members that did not decode but have an id: they count, and become DecodeError events. */
  readonly rejected?: readonly MailtmRejectedMessage[];
  readonly totalItems: number;
  /** The page has a `hydra:next` link. */
  readonly hasNext: boolean;
}

/** The ids known so far (a Map or Set of ids will do). */
export interface KnownIds {
  has(id: string): boolean;
  readonly size: number;
}

export type PagingDecision = { readonly next: 'page' } | { readonly next: 'done'; readonly snapshot: MailboxSnapshot } | { readonly next: 'restart' };

/** `known`: the ids known so far, or undefined while priming. */
export function planPaging(known: KnownIds | undefined, pages: readonly MailboxPage[]): PagingDecision {
  const last = pages[pages.length - 1];
  if (last === undefined) return { next: 'page' };
  if (pages.some((p) => p.totalItems !== last.totalItems)) return { next: 'restart' };
  const messages = pages.flatMap((p) => p.members);
  const rejected = pages.flatMap((p) => p.rejected ?? []);
  const all = [...messages.map((m) => m.id), ...rejected.map((r) => r.id)];
  const ids = new Set(all);
  const lastIds = [...last.members.map((m) => m.id), ...(last.rejected ?? []).map((r) => r.id)];
  if (!last.hasNext || lastIds.length === 0) {
    if (ids.size !== all.length || ids.size !== last.totalItems) return { next: 'restart' };
    return { next: 'done', snapshot: { messages, rejected, complete: true } };
  }
  if (known === undefined) return { next: 'page' };
  let fresh = 0;
  for (const id of ids) if (!known.has(id)) fresh++;
  const reachedKnown = lastIds.some((id) => known.has(id));
  if (reachedKnown && ids.size === all.length && last.totalItems === known.size + fresh) {
    return { next: 'done', snapshot: { messages, rejected, complete: false } };
  }
  return { next: 'page' };
}

/** A Hydra page → the paging view of it, members decoded one by one (an undecodable one with an id is kept as rejected). */
export function mailboxPage(page: MailtmMessagePageLoose): MailboxPage {
  const members: MailtmMessageSummary[] = [];
  const rejected: MailtmRejectedMessage[] = [];
  page['hydra:member'].forEach((raw, i) => {
    const v = validate(MailtmMessageSummary, raw, `hydra:member.${i}`);
    if (v.ok) members.push(v.value);
    else {
      const id = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).id : undefined;
      // Without an id the item cannot be tracked at all: the page cannot be trusted.
      if (typeof id !== 'string') throw new DecodeFailedError('messages page', v.errors, page);
      rejected.push({ id, raw, errors: v.errors });
    }
  });
  return { members, rejected, totalItems: page['hydra:totalItems'], hasNext: page['hydra:view']?.['hydra:next'] !== undefined };
}
