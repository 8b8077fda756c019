import type { Label } from '../../../shared/api/threads.ts';
import type { ListView } from './navigationStore.ts';

/**
 * How many conversations a view holds, for "Select all N conversations": a label's or role's thread
 * count (of every account in view), a search's total. Null where the index gives no count (All Mail,
 * a role one of the accounts has no label for, an estimated search total).
 */
export function viewCount(
  view: ListView,
  labels: readonly Label[],
  accountIds: readonly string[],
  searchTotal: { count: number; estimated: boolean } | null,
): number | null {
  if (view.kind === 'search') return searchTotal && !searchTotal.estimated ? searchTotal.count : null;
  const byId = labels.find((l) => l.id === view.label);
  if (byId) return byId.thread_count;
  const accounts = view.account ? [view.account] : accountIds;
  let count = 0;
  for (const account of accounts) {
    const own = labels.filter((l) => l.role === view.label && l.account_id === account);
    if (own.length === 0) return null;
    count += own.reduce((n, l) => n + l.thread_count, 0);
  }
  return accounts.length ? count : null;
}

/** Where the view's conversations are, for the select-all banner: "in Inbox", "matching from:ann". */
export function viewPlace(view: ListView): string {
  return view.kind === 'label' ? `in ${view.title}` : `matching ${view.query}`;
}
