import { create } from 'zustand';
import type { Thread, ThreadSummary } from '../../shared/api/threads.ts';
import { api } from './apiClient.ts';

interface MailState {
  label: string;
  threads: ThreadSummary[];
  nextCursor: string | null;
  listStatus: 'idle' | 'loading' | 'error';
  listError: string | null;
  openThread: Thread | null;
  threadStatus: 'idle' | 'loading' | 'error';
  threadError: string | null;
  loadThreads(label?: string): Promise<void>;
  loadMoreThreads(): Promise<void>;
  selectThread(id: string): Promise<void>;
}

/** Server data cached for the views; the index behind the API stays the source of truth. */
export const useMailStore = create<MailState>((set, get) => ({
  label: 'inbox',
  threads: [],
  nextCursor: null,
  listStatus: 'idle',
  listError: null,
  openThread: null,
  threadStatus: 'idle',
  threadError: null,

  async loadThreads(label = get().label) {
    set({ label, listStatus: 'loading', listError: null });
    try {
      const page = await api.listThreads({ label });
      set({ threads: page.data, nextCursor: page.next_cursor, listStatus: 'idle' });
    } catch (error) {
      set({ listStatus: 'error', listError: (error as Error).message });
    }
  },

  async loadMoreThreads() {
    const { nextCursor, label, listStatus } = get();
    if (!nextCursor || listStatus === 'loading') return;
    set({ listStatus: 'loading' });
    try {
      const page = await api.listThreads({ label, cursor: nextCursor });
      set((state) => ({ threads: [...state.threads, ...page.data], nextCursor: page.next_cursor, listStatus: 'idle' }));
    } catch (error) {
      set({ listStatus: 'error', listError: (error as Error).message });
    }
  },

  async selectThread(id) {
    set({ threadStatus: 'loading', threadError: null });
    try {
      const { data } = await api.getThread(id);
      set({ openThread: data, threadStatus: 'idle' });
    } catch (error) {
      set({ threadStatus: 'error', threadError: (error as Error).message });
    }
  },
}));
