import { create } from 'zustand';
import type { Thread } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import { useLabelStore } from './labelStore.ts';
import { useListStore } from './listStore.ts';

interface ReaderState {
  /** The conversation in the reading pane, or null. */
  openThread: Thread | null;
  status: 'idle' | 'loading' | 'error';
  error: string | null;
  /** Why the last action on the open thread failed (the thread stays shown). */
  actionError: string | null;
  /**
   * Counts openings and closings. Opening threads quickly (j j j), or going back to the list while
   * one loads, starts requests that can answer late and out of order: only the latest opening may
   * show its thread.
   */
  opening: number;
  selectThread(id: string): Promise<void>;
  /** Back to the list with nothing open (a narrow window shows the list or the thread, not both). */
  closeThread(): void;
  /** Reads the open thread again (the core says it changed); it stays open even if it left the list. */
  reread(id: string): Promise<void>;
  /** Shows the thread as an action returned it, or closes the reader (null: it left the list). */
  showActionResult(thread: Thread | null): void;
  showActionError(message: string | null): void;
  /** Opens the thread before/after the open one in the list (j/k). */
  step(direction: 1 | -1): Promise<void>;
}

export const useReaderStore = create<ReaderState>((set, get) => ({
  openThread: null,
  status: 'idle',
  error: null,
  actionError: null,
  opening: 0,

  async selectThread(id) {
    const ticket = get().opening + 1;
    set({ opening: ticket, status: 'loading', error: null, actionError: null });
    try {
      const { data } = await api.getThread(id);
      if (ticket !== get().opening) return;
      set({ openThread: data, status: 'idle' });
      if (data.unread_count > 0) void markRead(data.id);
    } catch (error) {
      if (ticket === get().opening) set({ status: 'error', error: (error as Error).message });
    }
  },

  closeThread() {
    set((s) => ({ opening: s.opening + 1, openThread: null, status: 'idle', error: null, actionError: null }));
  },

  async reread(id) {
    const ticket = get().opening;
    try {
      const { data } = await api.getThread(id);
      if (ticket === get().opening && get().openThread?.id === data.id) set({ openThread: data });
    } catch {
      // Shown as it was; the next change reads it again.
    }
  },

  showActionResult(thread) {
    set({ openThread: thread, actionError: null });
  },

  showActionError(message) {
    set({ actionError: message });
  },

  async step(direction) {
    const { ids } = useListStore.getState();
    if (ids.length === 0) return;
    const open = get().openThread;
    const current = open ? ids.indexOf(open.id) : -1;
    const next = Math.min(ids.length - 1, Math.max(0, current + direction));
    if (next === current) return;
    await get().selectThread(ids[next] as string);
  },
}));

/**
 * Opening a thread reads it: marked read here at once and at the provider by
 * the queued change. Unlike an action from the toolbar, the thread stays open and
 * selected even in a list it no longer belongs to, so opening never moves on by itself.
 */
async function markRead(threadId: string): Promise<void> {
  try {
    const { data } = await api.threadAction(threadId, 'mark_read');
    useReaderStore.setState((s) => ({ openThread: s.openThread?.id === threadId ? data : s.openThread }));
    useListStore.getState().updateThread(data);
    void useLabelStore.getState().loadLabels();
  } catch {
    // Still unread: the reader can mark it by hand; the list shows it as it is.
  }
}
