import { create } from 'zustand';
import type { SearchHit } from '../../../shared/api/search.ts';
import type { Thread, ThreadSummary } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import {
  type CachedList,
  IDS_PER_REQUEST,
  type MailChange,
  patchThreads,
  planMailChange,
  removeThreads,
} from './applyMailChange.ts';
import { useLabelStore } from './labelStore.ts';
import { INBOX_VIEW, type ListView, useNavigationStore } from './navigationStore.ts';
import type { ListPosition } from './viewMembership.ts';

/** How long a burst of changes too large to patch waits before the one reload it asks for. */
const RELOAD_DEBOUNCE_MS = 500;

interface ListState {
  /** The summaries of the threads the label view has loaded, by id: patched in place as the core reports changes. */
  threads: Readonly<Record<string, ThreadSummary>>;
  /** The label view's loaded threads, newest first (what the list shows, in order). */
  ids: readonly string[];
  /** The search view's hits (one per matching message). */
  hits: readonly SearchHit[];
  nextCursor: string | null;
  /** The last row the core returned for the view: a thread newer than it belongs to the loaded pages. */
  pagedTo: ListPosition | null;
  status: 'idle' | 'loading' | 'error';
  error: string | null;
  /** The search under way, aborted by the next one or by a label chosen meanwhile. */
  searchAbort: AbortController | null;
  /** Touched threads waiting to be fetched and patched in (while a patch or a page load runs, more gather here). */
  pendingChange: { ids: ReadonlySet<string>; what: ReadonlySet<MailChange['what'][number]> } | null;
  /** A patch is fetching. */
  patching: boolean;
  /** Threads removed while a patch was fetching: its answer, read before the removal, must not bring them back. */
  removedDuringPatch: ReadonlySet<string>;
  /** The debounced reload a change too large to patch asked for. */
  reloadTimer: ReturnType<typeof setTimeout> | null;

  showLabel(label: string, title: string): Promise<void>;
  search(query: string): Promise<void>;
  loadMore(): Promise<void>;
  /**
   * Reloads the label view's loaded rows from the core (as many as are loaded, up to 500), keeping
   * the open thread and the ticks still listed. For when changes may have been missed (the event
   * stream was down) or were too many to patch.
   */
  refresh(): Promise<void>;
  /** Puts the list's problem (a failed action, a failed load) where the list shows it. */
  showError(message: string | null): void;
  /** A thread as an action on it returned it: its row shows it at once (where the list has it). */
  updateThread(thread: Thread): void;
  /** Takes threads out of the view at once (an action moved them out; the core confirms with its event). */
  dropThreads(ids: readonly string[]): void;
  /** Forgets a removed account's rows and hits. */
  dropAccount(accountId: string): void;
  /**
   * Patches the cache from a `mail.changed` event: removed threads leave at once; touched ones that
   * the view shows or may now list are fetched by id (100 a request) and patched in. A change too
   * large to patch reloads the first page instead (debounced).
   */
  mailChanged(change: MailChange): void;
}

const EMPTY_LIST = { threads: {}, ids: [], hits: [], nextCursor: null, pagedTo: null } as const;

/** Server data cached for the list pane; the index behind the API stays the source of truth. */
export const useListStore = create<ListState>((set, get) => {
  /** The list as the pure patch rules see it. */
  const cached = (): CachedList => {
    const { threads, ids, hits, nextCursor, pagedTo } = get();
    return { view: useNavigationStore.getState().view, threads, ids, hits, nextCursor, pagedTo };
  };
  const stillShowing = (view: ListView) => useNavigationStore.getState().view === view;
  const lastOf = (page: readonly ThreadSummary[], fallback: ListPosition | null): ListPosition | null => {
    const last = page.at(-1);
    return last ? { id: last.id, last_message_at: last.last_message_at } : fallback;
  };

  /** Fetches and patches in what gathered in pendingChange, one patch at a time, until nothing waits. */
  const flushPatches = async () => {
    if (get().patching || get().status === 'loading') return; // the running patch or page load flushes after itself
    set({ patching: true });
    try {
      for (let pending = get().pendingChange; pending; pending = get().pendingChange) {
        // A page load started meanwhile: its answer may predate these changes, so they wait for it (afterLoad).
        if (get().status === 'loading') break;
        set({ pendingChange: null });
        const view = useNavigationStore.getState().view;
        const change = { thread_ids: [...pending.ids], removed_thread_ids: [], what: [...pending.what] };
        const plan = planMailChange(cached(), change, useLabelStore.getState().labels);
        // So many gathered while a patch or a page load ran that a reload is cheaper.
        if (plan.kind === 'reload') {
          reloadSoon();
          continue;
        }
        if (plan.ids.length === 0) continue;
        const fetched: ThreadSummary[] = [];
        for (let i = 0; i < plan.ids.length; i += IDS_PER_REQUEST)
          fetched.push(...(await api.threadsByIds(plan.ids.slice(i, i + IDS_PER_REQUEST))).data);
        if (!stillShowing(view)) continue; // the new view loaded its own rows
        // A label this window does not know yet (a new account's first sync): learn it before deciding who is listed.
        const known = new Set(useLabelStore.getState().labels.map((l) => l.id));
        if (fetched.some((t) => t.label_ids.some((id) => !known.has(id)))) await useLabelStore.getState().loadLabels();
        const removed = get().removedDuringPatch;
        const fresh = fetched.filter((t) => !removed.has(t.id));
        const asked = plan.ids.filter((id) => !removed.has(id));
        set(listFields(patchThreads(cached(), asked, fresh, useLabelStore.getState().labels)));
      }
    } catch {
      // The rows stay as they were; the next change, or a reload after a gap, catches up.
    } finally {
      set({ patching: false, removedDuringPatch: new Set() });
    }
  };

  const reloadSoon = () => {
    const timer = get().reloadTimer;
    if (timer) clearTimeout(timer);
    set({
      reloadTimer: setTimeout(() => {
        set({ reloadTimer: null });
        void get().refresh();
      }, RELOAD_DEBOUNCE_MS),
    });
  };

  /** After a page load: changes that arrived meanwhile are patched in (the page may predate them). */
  const afterLoad = () => {
    if (get().pendingChange) void flushPatches();
  };

  return {
    ...EMPTY_LIST,
    status: 'idle',
    error: null,
    searchAbort: null,
    pendingChange: null,
    patching: false,
    removedDuringPatch: new Set(),
    reloadTimer: null,

    async showLabel(label, title) {
      get().searchAbort?.abort();
      const view: ListView = { kind: 'label', label, title };
      useNavigationStore.getState().showView(view);
      set({ ...EMPTY_LIST, searchAbort: null, status: 'loading', error: null });
      try {
        const page = await api.listThreads({ label });
        if (!stillShowing(view)) return;
        set({
          threads: Object.fromEntries(page.data.map((t) => [t.id, t])),
          ids: page.data.map((t) => t.id),
          nextCursor: page.next_cursor,
          pagedTo: lastOf(page.data, null),
          status: 'idle',
        });
        afterLoad();
      } catch (error) {
        if (stillShowing(view)) set({ status: 'error', error: (error as Error).message });
      }
    },

    async search(query) {
      if (!query.trim()) return get().showLabel(INBOX_VIEW.label, INBOX_VIEW.title);
      get().searchAbort?.abort();
      const controller = new AbortController();
      const view: ListView = { kind: 'search', query };
      useNavigationStore.getState().showView(view);
      set({ searchAbort: controller, status: 'loading', error: null });
      try {
        const page = await api.search(query, { signal: controller.signal });
        if (controller.signal.aborted) return;
        set({ ...EMPTY_LIST, hits: page.data, nextCursor: page.next_cursor, status: 'idle' });
        afterLoad();
      } catch (error) {
        if (controller.signal.aborted) return;
        set({ ...EMPTY_LIST, status: 'error', error: (error as Error).message });
      }
    },

    async loadMore() {
      const { nextCursor, status } = get();
      const view = useNavigationStore.getState().view;
      if (!nextCursor || status === 'loading') return;
      set({ status: 'loading' });
      try {
        if (view.kind === 'label') {
          const page = await api.listThreads({ label: view.label, cursor: nextCursor });
          if (!stillShowing(view)) return;
          set((s) => {
            // A thread patched in meanwhile may come again with its page.
            const fresh = page.data.filter((t) => !(t.id in s.threads));
            return {
              threads: { ...s.threads, ...Object.fromEntries(fresh.map((t) => [t.id, t])) },
              ids: [...s.ids, ...fresh.map((t) => t.id)],
              nextCursor: page.next_cursor,
              pagedTo: lastOf(page.data, s.pagedTo),
              status: 'idle',
            };
          });
        } else {
          const page = await api.search(view.query, { cursor: nextCursor });
          if (!stillShowing(view)) return;
          set((s) => ({ hits: [...s.hits, ...page.data], nextCursor: page.next_cursor, status: 'idle' }));
        }
        afterLoad();
      } catch (error) {
        if (stillShowing(view)) set({ status: 'error', error: (error as Error).message });
      }
    },

    async refresh() {
      void useLabelStore.getState().loadLabels();
      const { section, view } = useNavigationStore.getState();
      if (section !== 'mail' || view.kind !== 'label' || get().status === 'loading') return;
      try {
        const page = await api.listThreads({ label: view.label, limit: Math.min(500, Math.max(50, get().ids.length)) });
        if (!stillShowing(view)) return; // the user moved on meanwhile
        set({
          threads: Object.fromEntries(page.data.map((t) => [t.id, t])),
          ids: page.data.map((t) => t.id),
          nextCursor: page.next_cursor,
          pagedTo: lastOf(page.data, null),
        });
      } catch {
        // The list keeps what it shows; the next event or action tries again.
      }
    },

    showError(message) {
      set({ error: message });
    },

    updateThread(thread) {
      if (!(thread.id in get().threads)) return;
      set((s) => ({ threads: { ...s.threads, [thread.id]: summaryOf(thread) } }));
    },

    dropThreads(ids) {
      set(listFields(removeThreads(cached(), ids)));
    },

    dropAccount(accountId) {
      const { threads, hits } = get();
      const ids = [
        ...Object.values(threads)
          .filter((t) => t.account_id === accountId)
          .map((t) => t.id),
        ...hits.filter((h) => h.account_id === accountId).map((h) => h.thread_id),
      ];
      set(listFields(removeThreads(cached(), ids)));
    },

    mailChanged(change) {
      const removed = change.removed_thread_ids;
      if (removed.length) {
        set((s) => ({
          ...listFields(removeThreads(cached(), removed)),
          removedDuringPatch: s.patching ? new Set([...s.removedDuringPatch, ...removed]) : s.removedDuringPatch,
        }));
      }
      if (change.thread_ids.length === 0) return;
      if (planMailChange(cached(), change, useLabelStore.getState().labels).kind === 'reload') return reloadSoon();
      const pending = get().pendingChange;
      const gone = new Set(removed);
      set({
        pendingChange: {
          ids: new Set([...(pending?.ids ?? []), ...change.thread_ids].filter((id) => !gone.has(id))),
          what: new Set([...(pending?.what ?? []), ...change.what]),
        },
      });
      void flushPatches();
    },
  };
});

/** The store fields a patched list sets. */
function listFields(list: CachedList): Pick<ListState, 'threads' | 'ids' | 'hits'> {
  return { threads: list.threads, ids: list.ids, hits: list.hits };
}

/** A full thread (an action's answer) cut to the summary the list keeps. */
function summaryOf(thread: Thread): ThreadSummary {
  const { messages: _messages, ...summary } = thread;
  return summary;
}
