/**
 * DomainChange as a pure step: (previous list, new list) → [state, events].
 * The whole set is compared (added, removed, or changed state such as
 * deactivation), not just the first domain. The first list is the baseline.
 */
import type { MailtmDomain } from './codecs';
import { mailtmEvent, type MailtmDomainChange } from './events';

/** The last domain list (undefined before the first). */
export type DomainState = readonly MailtmDomain[] | undefined;

const sig = (d: MailtmDomain): string => `${d.domain}|${d.isActive}|${d.isPrivate}`;

/** The domain diff step: (previous list, new list) → [state, DomainChange events]. */
export function diffDomains(state: DomainState, domains: readonly MailtmDomain[]): [DomainState, MailtmDomainChange[]] {
  if (state === undefined) return [domains, []];
  const before = new Map(state.map((d) => [d.id, d]));
  const after = new Map(domains.map((d) => [d.id, d]));
  const added = domains.filter((d) => !before.has(d.id));
  const removed = state.filter((d) => !after.has(d.id));
  const changed = domains.filter((d) => {
    const b = before.get(d.id);
    return b !== undefined && sig(b) !== sig(d);
  });
  if (added.length === 0 && removed.length === 0 && changed.length === 0) return [state, []];
  return [domains, [mailtmEvent('DomainChange', { domains: [...domains], added, removed, changed })]];
}
