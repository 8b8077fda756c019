import { create } from 'zustand';
import type { Label } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';

interface LabelState {
  /** Every account's labels and folders with their counts (the sidebar, chips, pickers, which view a thread is in). */
  labels: readonly Label[];
  /** Each account's address, in the order they were connected (the sidebar's headings, a row's account). */
  accountEmails: Readonly<Record<string, string>>;
  loadLabels(): Promise<void>;
  /** Label management at the provider (a refusal throws, for the box it was typed in); the lists reload after. */
  createLabel(accountId: string, name: string, parentId?: string): Promise<Label>;
  renameLabel(labelId: string, name: string): Promise<void>;
  deleteLabel(labelId: string): Promise<void>;
}

export const useLabelStore = create<LabelState>((set, get) => ({
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
  async createLabel(accountId, name, parentId) {
    const { data } = await api.createLabel({ account_id: accountId, name, ...(parentId ? { parent_id: parentId } : {}) });
    await get().loadLabels();
    return data;
  },
  async renameLabel(labelId, name) {
    await api.renameLabel(labelId, name);
    await get().loadLabels();
  },
  async deleteLabel(labelId) {
    await api.deleteLabel(labelId);
    await get().loadLabels();
  },
}));
