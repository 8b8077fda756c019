import type { Label, ThreadSummary } from '../../../shared/api/threads.ts';
import type { MailChangeKind } from '../../../shared/events.ts';
import {
  type CachedList,
  IDS_PER_REQUEST,
  type MailChange,
  patchThreads,
  planMailChange,
  removeThreads,
} from './applyMailChange.ts';
import type { ListView } from './navigationStore.ts';

/** How long a burst of changes too large to patch waits before the one reload it asks for. */
export const RELOAD_DEBOUNCE_MS = 500;

/** What the patcher reads and changes: the list store, the labels and the API, passed in (so it is tested without them). */
export interface PatcherDeps {
  /** The list as the cache holds it now. */
  list(): CachedList;
  /** Sets the rows and hits of a patched list. */
  apply(list: CachedList): void;
  /** A page of the view is loading: its answer may predate a change, so patches wait for it. */
  loading(): boolean;
  labels(): readonly Label[];
  /** Reads the labels again (a patched thread carries one this window does not know yet). */
  learnLabels(): Promise<void>;
  /** Up to IDS_PER_REQUEST summaries by id, those the core still has. */
  fetchByIds(ids: readonly string[]): Promise<readonly ThreadSummary[]>;
  /** Reads the loaded rows again (a change too large to patch). */
  reload(): void;
}

export interface MailChangePatcher {
  /** A `mail.changed` event: removed threads leave at once; touched ones are fetched and patched in, one patch at a time. */
  changed(change: MailChange): void;
  /** Patches what gathered meanwhile (after a page load). */
  flush(): Promise<void>;
}

/**
 * The cache's side of `mail.changed`, state held here (one per list store): touches that arrive
 * while a patch or a page load runs gather and follow in one more patch; a thread removed while a
 * patch was fetching is not brought back by its answer; a change touching more than
 * MAX_PATCHED_THREADS threads (a first full sync) reloads the loaded rows once, debounced, instead.
 */
export function createMailChangePatcher(deps: PatcherDeps): MailChangePatcher {
  let pending: { ids: Set<string>; what: Set<MailChangeKind> } | null = null;
  let patching = false;
  let removedDuringPatch = new Set<string>();
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;

  const reloadSoon = () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(deps.reload, RELOAD_DEBOUNCE_MS);
  };

  const flush = async () => {
    if (patching || deps.loading()) return; // the running patch, or the page load, flushes after itself
    patching = true;
    try {
      while (pending && !deps.loading()) {
        const change = { thread_ids: [...pending.ids], removed_thread_ids: [], what: [...pending.what] };
        pending = null;
        const view: ListView = deps.list().view;
        // So many may gather while a patch or a page load runs that a reload is cheaper.
        const plan = planMailChange(deps.list(), change, deps.labels());
        if (plan.kind === 'reload') {
          reloadSoon();
          continue;
        }
        if (plan.ids.length === 0) continue;
        const fetched: ThreadSummary[] = [];
        for (let i = 0; i < plan.ids.length; i += IDS_PER_REQUEST)
          fetched.push(...(await deps.fetchByIds(plan.ids.slice(i, i + IDS_PER_REQUEST))));
        if (deps.list().view !== view) continue; // another view loaded its own rows meanwhile
        const known = new Set(deps.labels().map((l) => l.id));
        if (fetched.some((t) => t.label_ids.some((id) => !known.has(id)))) await deps.learnLabels();
        const fresh = fetched.filter((t) => !removedDuringPatch.has(t.id));
        const asked = plan.ids.filter((id) => !removedDuringPatch.has(id));
        deps.apply(patchThreads(deps.list(), asked, fresh, deps.labels()));
      }
    } catch {
      // The rows stay as they were; the next change, or the reload after a gap in the stream, catches up.
    } finally {
      patching = false;
      removedDuringPatch = new Set();
    }
  };

  return {
    changed(change) {
      const removed = change.removed_thread_ids;
      if (removed.length) {
        deps.apply(removeThreads(deps.list(), removed));
        if (patching) for (const id of removed) removedDuringPatch.add(id);
        for (const id of removed) pending?.ids.delete(id);
      }
      if (change.thread_ids.length === 0) return;
      if (planMailChange(deps.list(), change, deps.labels()).kind === 'reload') return reloadSoon();
      const gone = new Set(removed);
      pending ??= { ids: new Set(), what: new Set() };
      for (const id of change.thread_ids) if (!gone.has(id)) pending.ids.add(id);
      for (const kind of change.what) pending.what.add(kind);
      void flush();
    },
    flush,
  };
}
