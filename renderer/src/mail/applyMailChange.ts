import type { SearchHit } from '../../../shared/api/search.ts';
import { type Label, MAX_THREAD_IDS, type ThreadSummary } from '../../../shared/api/threads.ts';
import type { MailChangeKind } from '../../../shared/events.ts';
import type { ListView } from './navigationStore.ts';
import { type ListPosition, listedIn, newestFirst, stillListed } from './viewMembership.ts';

/**
 * The list as the cache holds it: what patching from `mail.changed` reads and returns. Pure
 * functions of it, so the rules are unit-tested without a DOM or a core.
 */
export interface CachedList {
  view: ListView;
  /** The summaries of exactly the threads in `ids`, by id. */
  threads: Readonly<Record<string, ThreadSummary>>;
  /** The view's loaded threads in its order: a label's newest first, a search's conversations newest match first. */
  ids: readonly string[];
  /** A search view's match in each listed conversation (its marked passage and how many messages match), by thread id. */
  hits: Readonly<Record<string, SearchHit>>;
  /** The next page's cursor; null when everything the view lists is loaded. */
  nextCursor: string | null;
  /** The last row the core returned for this view (where the next page starts), null before any. */
  pagedTo: ListPosition | null;
}

/** What `mail.changed` says: the threads touched, those gone, and what kind of change it was. */
export interface MailChange {
  thread_ids: readonly string[];
  removed_thread_ids: readonly string[];
  what: readonly MailChangeKind[];
}

/**
 * Above this many touched threads in one change (a first full sync, an import), fetching each
 * would cost more than the list it patches: the list reloads its first page once instead.
 */
export const MAX_PATCHED_THREADS = 300;

/** The ids lookup (GET /v1/email/threads?ids=) takes up to this many a request. */
export const IDS_PER_REQUEST = MAX_THREAD_IDS;

export type MailChangePlan = { kind: 'reload' } | { kind: 'fetch'; ids: string[] };

/**
 * Which touched threads to fetch: those the list shows (their summary or flags changed), and in a
 * label view those that may have entered it (new mail, or labels changed; a star for the starred
 * view). Threads that cannot concern the view are left alone; a search is never run again (its
 * listed conversations are patched, as Gmail keeps a result list until it is searched again).
 */
export function planMailChange(list: CachedList, change: MailChange, labels: readonly Label[]): MailChangePlan {
  if (change.thread_ids.length > MAX_PATCHED_THREADS) return { kind: 'reload' };
  const removed = new Set(change.removed_thread_ids);
  const touched = [...new Set(change.thread_ids)].filter((id) => !removed.has(id));
  if (list.view.kind === 'search') return { kind: 'fetch', ids: touched.filter((id) => id in list.threads) };
  const mayEnter =
    change.what.includes('messages') ||
    change.what.includes('labels') ||
    (change.what.includes('flags') && isStarredView(list.view, labels));
  return { kind: 'fetch', ids: touched.filter((id) => id in list.threads || mayEnter) };
}

/** Starring is a flag, but the starred view (the role, or Gmail's STARRED label) lists by it. */
function isStarredView(view: ListView, labels: readonly Label[]): boolean {
  if (view.kind !== 'label') return false;
  return view.label === 'starred' || labels.some((l) => l.id === view.label && l.role === 'starred');
}

/** The list without these threads (deleted, or their account removed): rows and hits. */
export function removeThreads(list: CachedList, removedIds: readonly string[]): CachedList {
  const removed = new Set(removedIds);
  if (!list.ids.some((id) => removed.has(id))) return list;
  const threads = { ...list.threads };
  const hits = { ...list.hits };
  for (const id of removed) {
    delete threads[id];
    delete hits[id];
  }
  return { ...list, threads, hits, ids: list.ids.filter((id) => !removed.has(id)) };
}

/**
 * The list with the fetched summaries of the threads asked for applied:
 * - a listed thread still in the view is updated in place (moved if its newest message moved it);
 * - a listed thread no longer in the view (its labels left it) leaves the list;
 * - a thread newly in the view is inserted at its date's place when that is within the pages
 *   loaded (newer than the last row fetched, or every page is loaded); an older one comes with its page;
 * - an asked thread the core no longer has (left out of the answer) leaves the list;
 * - a search's conversations are updated in place, and leave when they were just moved to Trash or Spam.
 */
export function patchThreads(
  list: CachedList,
  askedIds: readonly string[],
  fetched: readonly ThreadSummary[],
  labels: readonly Label[],
): CachedList {
  const byId = new Map(fetched.map((t) => [t.id, t]));
  const gone = askedIds.filter((id) => !byId.has(id));
  const pruned = gone.length ? removeThreads(list, gone) : list;
  if (list.view.kind === 'search') return patchSearch(pruned, byId, labels);

  const threads = { ...pruned.threads };
  const leaving = new Set<string>();
  const placed: ThreadSummary[] = [];
  let updated = false;
  for (const summary of byId.values()) {
    const listed = summary.id in threads;
    if (!listedIn(list.view, labels, summary.label_ids) || !withinLoadedPages(list, summary)) {
      // Out of the view now, or moved below the loaded pages (its page brings it then).
      if (listed) leaving.add(summary.id);
    } else if (listed && threads[summary.id]?.last_message_at === summary.last_message_at) {
      threads[summary.id] = summary;
      updated = true;
    } else {
      if (listed) leaving.add(summary.id);
      placed.push(summary);
    }
  }
  if (leaving.size === 0 && placed.length === 0) return updated ? { ...pruned, threads } : pruned;
  for (const id of leaving) delete threads[id];
  let ids = pruned.ids.filter((id) => !leaving.has(id));
  for (const summary of placed) {
    threads[summary.id] = summary;
    ids = insertInOrder(ids, threads, summary);
  }
  return { ...pruned, threads, ids };
}

function withinLoadedPages(list: CachedList, summary: ThreadSummary): boolean {
  return list.nextCursor === null || list.pagedTo === null || newestFirst(summary, list.pagedTo) < 0;
}

/** `ids` with the summary's id at its place in the newest-first order. */
function insertInOrder(
  ids: readonly string[],
  threads: Readonly<Record<string, ThreadSummary>>,
  summary: ThreadSummary,
): string[] {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const other = threads[ids[middle] as string];
    if (other && newestFirst(other, summary) < 0) low = middle + 1;
    else high = middle;
  }
  return [...ids.slice(0, low), summary.id, ...ids.slice(low)];
}

/** A search's listed conversations with their new summaries: in place, or out when just moved to Trash or Spam. */
function patchSearch(list: CachedList, byId: ReadonlyMap<string, ThreadSummary>, labels: readonly Label[]): CachedList {
  const threads = { ...list.threads };
  const leaving: string[] = [];
  let updated = false;
  for (const summary of byId.values()) {
    const before = threads[summary.id];
    if (!before) continue;
    if (!stillListed(list.view, labels, before.label_ids, summary.label_ids)) leaving.push(summary.id);
    threads[summary.id] = summary;
    updated = true;
  }
  const patched = updated ? { ...list, threads } : list;
  return leaving.length ? removeThreads(patched, leaving) : patched;
}
