import { create } from 'zustand';
import type { SearchHit } from '../../shared/api/search.ts';
import type { Label, Thread, ThreadActionBody, ThreadSummary } from '../../shared/api/threads.ts';
import { api } from './apiClient.ts';
import { inInbox } from './threadLabels.ts';

/** What the list pane shows: a label (or role, e.g. "inbox" across accounts) or search results. */
export type ListView = { kind: 'label'; label: string; title: string } | { kind: 'search'; query: string };

interface MailState {
  /** Which main area is shown: mail (list + reader) or the calendar. */
  section: 'mail' | 'calendar' | 'settings' | 'outbox';
  showCalendar(): void;
  showSettings(): void;
  showOutbox(): void;
  view: ListView;
  labels: Label[];
  /** Each account's address, for the sidebar's headings (loaded with the labels). */
  accountEmails: Readonly<Record<string, string>>;
  threads: ThreadSummary[];
  hits: SearchHit[];
  nextCursor: string | null;
  listStatus: 'idle' | 'loading' | 'error';
  listError: string | null;
  openThread: Thread | null;
  threadStatus: 'idle' | 'loading' | 'error';
  threadError: string | null;
  /** Why the last action on the open thread failed (the thread stays shown). */
  actionError: string | null;
  dismissActionError(): void;
  loadLabels(): Promise<void>;
  showLabel(label: string, title: string): Promise<void>;
  search(query: string): Promise<void>;
  loadMore(): Promise<void>;
  /**
   * Shows what changed underneath (a sync brought mail, a message was sent):
   * the label's first page and the open thread again, keeping the scroll
   * position's threads, the open thread and the ticks. Search results stay.
   */
  refresh(): Promise<void>;
  selectThread(id: string): Promise<void>;
  /** Back to the list with nothing open (a narrow window shows the list or the thread, not both). */
  closeThread(): void;
  /** Forgets a removed account at once: its threads, hits, ticks and open thread; labels and list reload. */
  accountRemoved(accountId: string): void;
  /** Opens the thread before/after the open one in the list (j/k). */
  step(direction: 1 | -1): Promise<void>;
  /** Applies an action to the open thread (a label action names its label); one that takes it out of the list opens the next thread. */
  act(action: ThreadActionBody['action'], labelId?: string): Promise<void>;
  /** The last archive, delete or spam report of inbox threads, which Undo (z) puts back; null when there is none to undo. */
  undo: { text: string; threadIds: string[]; inverse: 'move_to_inbox' | 'not_spam' } | null;
  undoLast(): Promise<void>;
  dismissUndo(): void;
  /** The label or move-to chooser open over the thread (l, v), or null. */
  picker: 'label' | 'move' | null;
  setPicker(picker: 'label' | 'move' | null): void;
  /** Threads ticked for a bulk action (Ctrl/Cmd-click, Shift-click for a range, x). */
  checked: ReadonlySet<string>;
  toggleChecked(id: string): void;
  checkRangeTo(id: string): void;
  /** Ticks every thread loaded in the list. */
  checkAll(): void;
  clearChecked(): void;
  /** Applies an action to every ticked thread, then shows the list as it now is. */
  actOnChecked(action: ThreadActionBody['action'], labelId?: string): Promise<void>;
}

let checkAnchor: string | null = null;

let searchAbort: AbortController | null = null;

// Opening threads quickly (j j j), or going back to the list while one loads, starts requests that
// can answer late and out of order: only the latest opening may show its thread.
let latestOpening = 0;

/** Server data cached for the views; the index behind the API stays the source of truth. */
export const useMailStore = create<MailState>((set, get) => ({
  section: 'mail',
  showCalendar() {
    set({ section: 'calendar' });
  },
  showSettings() {
    set({ section: 'settings' });
  },
  showOutbox() {
    set({ section: 'outbox' });
  },
  view: { kind: 'label', label: 'inbox', title: 'Inbox' },
  labels: [],
  accountEmails: {},
  threads: [],
  hits: [],
  nextCursor: null,
  listStatus: 'idle',
  listError: null,
  openThread: null,
  threadStatus: 'idle',
  threadError: null,
  actionError: null,
  dismissActionError() {
    set({ actionError: null });
  },
  undo: null,
  async undoLast() {
    const undo = get().undo;
    if (!undo) return;
    set({ undo: null });
    const failures: string[] = [];
    for (const id of undo.threadIds) await api.threadAction(id, undo.inverse).catch((e: Error) => failures.push(e.message));
    if (failures.length) set({ listError: `Undo failed: ${failures[0]}` });
    await get().refresh();
    void get().loadLabels();
    if (undo.threadIds.length === 1) await get().selectThread(undo.threadIds[0] as string);
  },
  dismissUndo() {
    set({ undo: null });
  },
  picker: null,
  setPicker(picker) {
    set({ picker: picker && get().openThread ? picker : null });
  },
  checked: new Set<string>(),

  toggleChecked(id) {
    checkAnchor = id;
    set((s) => {
      const checked = new Set(s.checked);
      if (checked.has(id)) checked.delete(id);
      else checked.add(id);
      return { checked };
    });
  },
  checkRangeTo(id) {
    const ids = get().threads.map((t) => t.id);
    const from = checkAnchor ? ids.indexOf(checkAnchor) : -1;
    const to = ids.indexOf(id);
    if (to < 0) return;
    const [a, b] = from < 0 ? [to, to] : [Math.min(from, to), Math.max(from, to)];
    set((s) => ({ checked: new Set([...s.checked, ...ids.slice(a, b + 1)]) }));
    checkAnchor = id;
  },
  checkAll() {
    set((s) => ({ checked: new Set(s.threads.map((t) => t.id)) }));
  },
  clearChecked() {
    checkAnchor = null;
    set({ checked: new Set() });
  },
  async actOnChecked(action, labelId) {
    const ids = [...get().checked];
    const failures: string[] = [];
    const undone: string[] = [];
    const wasInInbox = new Set(
      get()
        .threads.filter((t) => ids.includes(t.id) && inInbox(get().labels, t.label_ids))
        .map((t) => t.id),
    );
    // A thousand at a time: one request (and one transaction in the core) per chunk.
    for (let i = 0; i < ids.length; i += 1000) {
      try {
        const { data } = await api.bulkThreadAction(ids.slice(i, i + 1000), action, labelId);
        for (const id of data.updated) if (wasInInbox.has(id)) undone.push(id);
        failures.push(...data.failed.map((f) => f.message));
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    set({ undo: undone.length ? undoFor(action, undone) : null });
    // Labelling keeps the ticks (more labels may follow, as in Gmail); anything else is done with them.
    const keepTicks = action === 'add_label' || action === 'remove_label';
    set({
      ...(keepTicks ? {} : { checked: new Set<string>() }),
      listError: failures.length ? `${failures.length} of ${ids.length} failed: ${failures[0]}` : null,
    });
    const { view } = get();
    if (keepTicks) await get().refresh();
    else if (view.kind === 'label') await get().showLabel(view.label, view.title);
    void get().loadLabels();
  },

  async loadLabels() {
    try {
      const [labels, accounts] = await Promise.all([api.listLabels(), api.listAccounts()]);
      set({ labels: labels.data, accountEmails: Object.fromEntries(accounts.data.map((a) => [a.id, a.email])) });
    } catch {
      // The list pane reports API problems; the sidebar keeps what it had.
    }
  },

  async showLabel(label, title) {
    searchAbort?.abort();
    checkAnchor = null;
    set({
      section: 'mail',
      checked: new Set(),
      view: { kind: 'label', label, title },
      listStatus: 'loading',
      listError: null,
      threads: [],
      hits: [],
      nextCursor: null,
    });
    try {
      const page = await api.listThreads({ label });
      set({ threads: page.data, nextCursor: page.next_cursor, listStatus: 'idle' });
    } catch (error) {
      set({ listStatus: 'error', listError: (error as Error).message });
    }
  },

  async search(query) {
    if (!query.trim()) return get().showLabel('inbox', 'Inbox');
    searchAbort?.abort();
    const controller = new AbortController();
    searchAbort = controller;
    set({ section: 'mail', view: { kind: 'search', query }, listStatus: 'loading', listError: null });
    try {
      const page = await api.search(query, { signal: controller.signal });
      if (controller.signal.aborted) return;
      set({ hits: page.data, threads: [], nextCursor: page.next_cursor, listStatus: 'idle' });
    } catch (error) {
      if (controller.signal.aborted) return;
      set({ listStatus: 'error', listError: (error as Error).message, hits: [] });
    }
  },

  async loadMore() {
    const { nextCursor, view, listStatus } = get();
    if (!nextCursor || listStatus === 'loading') return;
    set({ listStatus: 'loading' });
    try {
      if (view.kind === 'label') {
        const page = await api.listThreads({ label: view.label, cursor: nextCursor });
        set((s) => ({ threads: [...s.threads, ...page.data], nextCursor: page.next_cursor, listStatus: 'idle' }));
      } else {
        const page = await api.search(view.query, { cursor: nextCursor });
        set((s) => ({ hits: [...s.hits, ...page.data], nextCursor: page.next_cursor, listStatus: 'idle' }));
      }
    } catch (error) {
      set({ listStatus: 'error', listError: (error as Error).message });
    }
  },

  async refresh() {
    void get().loadLabels();
    const { view, openThread, section } = get();
    if (section !== 'mail' || view.kind !== 'label' || get().listStatus === 'loading') return;
    try {
      const page = await api.listThreads({ label: view.label, limit: Math.min(500, Math.max(50, get().threads.length)) });
      const now = get();
      if (now.view !== view) return; // the user moved on meanwhile
      const ids = new Set(page.data.map((t) => t.id));
      set({
        threads: page.data,
        nextCursor: page.next_cursor,
        checked: new Set([...now.checked].filter((id) => ids.has(id))),
      });
      if (openThread && now.openThread?.id === openThread.id) {
        const { data } = await api.getThread(openThread.id);
        if (get().openThread?.id === data.id) set({ openThread: data });
      }
    } catch {
      // The list keeps what it shows; the next event or action tries again.
    }
  },

  closeThread() {
    latestOpening++;
    set({ openThread: null, threadStatus: 'idle', threadError: null, actionError: null, picker: null });
  },
  accountRemoved(accountId) {
    if (get().openThread?.account_id === accountId) get().closeThread();
    set((s) => ({
      threads: s.threads.filter((t) => t.account_id !== accountId),
      hits: s.hits.filter((h) => h.account_id !== accountId),
      checked: new Set(),
      undo: null,
    }));
    void get().loadLabels();
    void get().refresh();
  },

  async selectThread(id) {
    const ticket = ++latestOpening;
    set({ threadStatus: 'loading', threadError: null, actionError: null, picker: null });
    try {
      const { data } = await api.getThread(id);
      if (ticket !== latestOpening) return;
      set({ openThread: data, threadStatus: 'idle' });
      if (data.unread_count > 0) void markRead(data.id);
    } catch (error) {
      if (ticket === latestOpening) set({ threadStatus: 'error', threadError: (error as Error).message });
    }
  },

  async act(action, labelId) {
    const { openThread, threads, view } = get();
    if (!openThread) return;
    const wasInInbox = inInbox(get().labels, openThread.label_ids);
    try {
      const { data } = await api.threadAction(openThread.id, action, labelId);
      set({ undo: wasInInbox ? undoFor(action, [openThread.id]) : null });
      // Still in the list shown? A label id, or a role (inbox, starred, ...) matched through the labels' roles.
      const stillListed =
        view.kind !== 'label' ||
        (view.label.startsWith('lbl_')
          ? data.label_ids.includes(view.label)
          : get().labels.some((l) => l.role === view.label && data.label_ids.includes(l.id)));
      const leavesList = !stillListed;
      const index = threads.findIndex((t) => t.id === openThread.id);
      const next = leavesList ? (threads[index + 1] ?? threads[index - 1]) : undefined;
      set((s) => ({
        actionError: null,
        openThread: leavesList ? null : data,
        threads: leavesList
          ? s.threads.filter((t) => t.id !== data.id)
          : s.threads.map((t) => (t.id === data.id ? { ...t, ...data } : t)),
      }));
      if (next && next.id !== openThread.id) await get().selectThread(next.id);
      void get().loadLabels();
    } catch (error) {
      set({ actionError: (error as Error).message });
    }
  },

  async step(direction) {
    const { view, threads, hits, openThread } = get();
    const ids = view.kind === 'label' ? threads.map((t) => t.id) : [...new Set(hits.map((h) => h.thread_id))];
    if (ids.length === 0) return;
    const current = openThread ? ids.indexOf(openThread.id) : -1;
    const next = Math.min(ids.length - 1, Math.max(0, current + direction));
    if (next === current) return;
    await get().selectThread(ids[next] as string);
  },
}));

/**
 * Opening a thread reads it: marked read here at once and at the provider by
 * the queued change. Unlike act(), the thread stays open and selected even in
 * a list it no longer belongs to, so opening never moves on by itself.
 */
async function markRead(threadId: string): Promise<void> {
  try {
    const { data } = await api.threadAction(threadId, 'mark_read');
    useMailStore.setState((s) => ({
      openThread: s.openThread?.id === threadId ? data : s.openThread,
      threads: s.threads.map((t) => (t.id === threadId ? { ...t, ...data } : t)),
    }));
    void useMailStore.getState().loadLabels();
  } catch {
    // Still unread: the reader can mark it by hand; the list shows it as it is.
  }
}

/**
 * What Undo offers after an action: archive, delete and spam of threads that were in
 * the inbox, undone by moving them back there (the one inverse that is exact
 * for both providers; spam's also takes the spam mark off); nothing for the other
 * actions, which are their own undo.
 */
function undoFor(action: ThreadActionBody['action'], threadIds: string[]): MailState['undo'] {
  const count = threadIds.length === 1 ? 'Conversation' : `${threadIds.length} conversations`;
  if (action === 'archive') return { text: `${count} archived.`, threadIds, inverse: 'move_to_inbox' };
  if (action === 'trash') return { text: `${count} moved to Trash.`, threadIds, inverse: 'move_to_inbox' };
  if (action === 'spam') return { text: `${count} reported as spam.`, threadIds, inverse: 'not_spam' };
  return null;
}
