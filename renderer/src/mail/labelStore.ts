import { create } from 'zustand';
import type { Label } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';

interface LabelState {
  /** Every account's labels and folders with their counts (the sidebar, chips, pickers, which view a thread is in). */
  labels: readonly Label[];
  /** Each account's address, in the order they were connected (the sidebar's headings, a row's account). */
  accountEmails: Readonly<Record<string, string>>;
  loadLabels(): Promise<void>;
}

export const useLabelStore = create<LabelState>((set) => ({
  labels: [],
  accountEmails: {},
  async loadLabels() {
    try {
      const [labels, accounts] = await Promise.all([api.listLabels(), api.listAccounts()]);
      set({ labels: labels.data, accountEmails: Object.fromEntries(accounts.data.map((a) => [a.id, a.email])) });
    } catch {
      // The list pane reports API problems; the sidebar keeps what it had.
    }
  },
}));
