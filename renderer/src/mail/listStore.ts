import { create } from 'zustand';
import type { SearchHit, SearchResponse } from '../../../shared/api/search.ts';
import type { Thread, ThreadSummary } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import { type CachedList, type MailChange, removeThreads } from './applyMailChange.ts';
import { useLabelStore } from './labelStore.ts';
import { createMailChangePatcher } from './mailChangePatcher.ts';
import { INBOX_VIEW, type ListView, useNavigationStore } from './navigationStore.ts';
import type { ListPosition } from './viewMembership.ts';

interface ListState {
  /** The summaries of the threads the label view has loaded, by id: patched in place as the core reports changes. */
  threads: Readonly<Record<string, ThreadSummary>>;
  /** The view's loaded threads, in its order (what the list shows): a label's or a search's conversations. */
  ids: readonly string[];
  /** The search view's match in each listed conversation (marked passage and subject, matching messages), by thread id. */
  hits: Readonly<Record<string, SearchHit>>;
  /** How many conversations the search matches, and whether that is the core's estimate. */
  total: { count: number; estimated: boolean } | null;
  nextCursor: string | null;
  /** The last row the core returned for the view: a thread newer than it belongs to the loaded pages. */
  pagedTo: ListPosition | null;
  status: 'idle' | 'loading' | 'error';
  error: string | null;
  /** The search under way, aborted by the next one or by a label chosen meanwhile. */
  searchAbort: AbortController | null;

  /** A label's or role's threads (`account`: that account's own, e.g. its Inbox; "all" its All Mail). */
  showLabel(label: string, title: string, account?: string): Promise<void>;
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

const EMPTY_LIST = { threads: {}, ids: [], hits: {}, total: null, nextCursor: null, pagedTo: null } as const;

/** How many rows a search page asks for, and at most when the loaded rows are read again (the API's limit). */
const SEARCH_PAGE = 50;
const SEARCH_PAGE_MAX = 100;

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

  const patcher = createMailChangePatcher({
    list: cached,
    apply: (list) => set(listFields(list)),
    loading: () => get().status === 'loading',
    labels: () => useLabelStore.getState().labels,
    learnLabels: () => useLabelStore.getState().loadLabels(),
    fetchByIds: async (ids) => (await api.threadsByIds(ids)).data,
    reload: () => void get().refresh(),
  });
  /** After a page load: changes that arrived meanwhile are patched in (the page may predate them). */
  const afterLoad = () => void patcher.flush();
  /** The search's loaded rows read again (up to the API's page limit), the ticks and the open thread kept. */
  const refreshSearch = async (view: Extract<ListView, { kind: 'search' }>) => {
    try {
      const limit = Math.min(SEARCH_PAGE_MAX, Math.max(SEARCH_PAGE, get().ids.length));
      const page = await api.search(view.query, { limit, account: view.account });
      if (!stillShowing(view)) return;
      set({ ...searchRows(page), total: { count: page.total, estimated: page.total_estimated } });
    } catch {
      // The list keeps what it shows; the next event or action tries again.
    }
  };

  return {
    ...EMPTY_LIST,
    status: 'idle',
    error: null,
    searchAbort: null,

    async showLabel(label, title, account) {
      get().searchAbort?.abort();
      const view: ListView = account ? { kind: 'label', label, title, account } : { kind: 'label', label, title };
      useNavigationStore.getState().showView(view);
      set({ ...EMPTY_LIST, searchAbort: null, status: 'loading', error: null });
      try {
        const page = await api.listThreads({ label, account });
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
      // Searching from one account's mailbox searches that account's mail only.
      const account = useNavigationStore.getState().view.account;
      const view: ListView = account ? { kind: 'search', query, account } : { kind: 'search', query };
      // A query typed further keeps the last results until its own arrive; a mailbox's rows never show as results.
      const refining = useNavigationStore.getState().view.kind === 'search';
      useNavigationStore.getState().showView(view);
      set({ ...(refining ? {} : EMPTY_LIST), searchAbort: controller, status: 'loading', error: null });
      try {
        const page = await api.search(query, { signal: controller.signal, limit: SEARCH_PAGE, account });
        if (controller.signal.aborted) return;
        set({
          ...EMPTY_LIST,
          ...searchRows(page),
          total: { count: page.total, estimated: page.total_estimated },
          status: 'idle',
        });
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
          const page = await api.listThreads({ label: view.label, account: view.account, cursor: nextCursor });
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
          const page = await api.search(view.query, { cursor: nextCursor, limit: SEARCH_PAGE, account: view.account });
          if (!stillShowing(view)) return;
          set((s) => {
            // A conversation already listed (its newest match moved while paging) keeps its place.
            const fresh = searchRows({ ...page, data: page.data.filter((row) => !(row.thread_id in s.threads)) });
            return {
              threads: { ...s.threads, ...fresh.threads },
              hits: { ...s.hits, ...fresh.hits },
              ids: [...s.ids, ...fresh.ids],
              nextCursor: page.next_cursor,
              status: 'idle',
            };
          });
        }
        afterLoad();
      } catch (error) {
        if (stillShowing(view)) set({ status: 'error', error: (error as Error).message });
      }
    },

    async refresh() {
      void useLabelStore.getState().loadLabels();
      const { section, view } = useNavigationStore.getState();
      if (section !== 'mail' || get().status === 'loading') return;
      if (view.kind === 'search') return refreshSearch(view);
      try {
        const page = await api.listThreads({
          label: view.label,
          account: view.account,
          limit: Math.min(500, Math.max(50, get().ids.length)),
        });
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
      const ids = Object.values(get().threads)
        .filter((t) => t.account_id === accountId)
        .map((t) => t.id);
      set(listFields(removeThreads(cached(), ids)));
    },

    mailChanged(change) {
      patcher.changed(change);
    },
  };
});

/** The store fields a patched list sets. */
function listFields(list: CachedList): Pick<ListState, 'threads' | 'ids' | 'hits'> {
  return { threads: list.threads, ids: list.ids, hits: list.hits };
}

/** A search page as the list keeps it: its conversations' summaries and order, each one's match, and the next cursor. */
function searchRows(page: SearchResponse): Pick<ListState, 'threads' | 'ids' | 'hits' | 'nextCursor'> {
  return {
    threads: Object.fromEntries(page.data.map((row) => [row.thread_id, row.thread])),
    ids: page.data.map((row) => row.thread_id),
    hits: Object.fromEntries(page.data.map(({ thread: _thread, ...hit }) => [hit.thread_id, hit])),
    nextCursor: page.next_cursor,
  };
}

/** A full thread (an action's answer) cut to the summary the list keeps. */
function summaryOf(thread: Thread): ThreadSummary {
  const { messages: _messages, ...summary } = thread;
  return summary;
}
