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

/** One page of `GET /messages` as paging sees it. */
export interface MailboxPage {
  /** The members that decoded, in page order (newest first). */
  readonly members: readonly MailtmMessageSummary[];
  /** Members that did not decode but have an id: they count, and become DecodeError events. */
  readonly rejected?: readonly MailtmRejectedMessage[];
  /** The server's `hydra:totalItems`: how many messages the whole mailbox holds. */
  readonly totalItems: number;
  /** The page has a `hydra:next` link. */
  readonly hasNext: boolean;
}

/** The ids known so far (a Map or Set of ids will do). */
export interface KnownIds {
  /** Whether `id` is known. */
  has(id: string): boolean;
  /** How many ids are known. */
  readonly size: number;
}

/** What to do after a page: read the next one, stop with a snapshot, or restart a torn read. */
export type PagingDecision = { readonly next: 'page' } | { readonly next: 'done'; readonly snapshot: MailboxSnapshot } | { readonly next: 'restart' };

/**
 * What one read has gathered so far (pages in order). Built by `pagingStep`, which
 * appends to the arrays and set of the state it is given: each state is used once,
 * so a read of P pages costs O(total items), not O(P²).
 */
export interface PagingState {
  /** Decoded messages of the pages read so far, in order (newest first). */
  readonly messages: MailtmMessageSummary[];
  /** Undecodable items with an id from the pages read so far, in order. */
  readonly rejected: MailtmRejectedMessage[];
  /** Distinct ids seen (decoded or not). */
  readonly ids: Set<string>;
  /** Items seen, duplicates included. */
  readonly count: number;
  /** Distinct ids not in `known`. */
  readonly fresh: number;
  /** The total the first page announced. */
  readonly totalItems: number | undefined;
}

/** A fresh read. */
export function startPaging(): PagingState {
  return { messages: [], rejected: [], ids: new Set(), count: 0, fresh: 0, totalItems: undefined };
}

/** One page more: the decision after it (see the module comment). `known`: the ids known so far, or undefined while priming. */
export function pagingStep(known: KnownIds | undefined, state: PagingState, page: MailboxPage): [PagingState, PagingDecision] {
  if (state.totalItems !== undefined && page.totalItems !== state.totalItems) return [state, { next: 'restart' }];
  const pageIds = [...page.members.map((m) => m.id), ...(page.rejected ?? []).map((r) => r.id)];
  let fresh = state.fresh;
  for (const id of pageIds) {
    if (!state.ids.has(id) && !(known?.has(id) ?? false)) fresh++;
    state.ids.add(id);
  }
  for (const m of page.members) state.messages.push(m);
  for (const r of page.rejected ?? []) state.rejected.push(r);
  const next: PagingState = { ...state, count: state.count + pageIds.length, fresh, totalItems: page.totalItems };
  const distinct = next.ids.size === next.count;
  if (!page.hasNext || pageIds.length === 0) {
    if (!distinct || next.ids.size !== page.totalItems) return [next, { next: 'restart' }];
    return [next, { next: 'done', snapshot: { messages: next.messages, rejected: next.rejected, complete: true } }];
  }
  if (known === undefined) return [next, { next: 'page' }];
  const reachedKnown = pageIds.some((id) => known.has(id));
  if (reachedKnown && distinct && page.totalItems === known.size + fresh) {
    return [next, { next: 'done', snapshot: { messages: next.messages, rejected: next.rejected, complete: false } }];
  }
  return [next, { next: 'page' }];
}

/** The decision after `pages` (a whole read at once; the engine uses `pagingStep` page by page). */
export function planPaging(known: KnownIds | undefined, pages: readonly MailboxPage[]): PagingDecision {
  let state = startPaging();
  let decision: PagingDecision = { next: 'page' };
  for (const page of pages) {
    [state, decision] = pagingStep(known, state, page);
    if (decision.next === 'restart') return decision;
  }
  return decision;
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
