import { create } from 'zustand';
import type { OutboxMessage } from '../../shared/api/outbox.ts';
import { api } from './apiClient.ts';

interface OutboxState {
  /** Messages the provider has not taken yet, oldest first. */
  messages: OutboxMessage[];
  error: string | null;
  load(): Promise<void>;
  sendNow(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
}

/** The outbox as the core has it; reloaded on outbox.updated events (see App). */
export const useOutboxStore = create<OutboxState>((set, get) => ({
  messages: [],
  error: null,
  async load() {
    try {
      set({ messages: (await api.outbox()).data });
    } catch {
      // Offline from the core: keep what is shown; the next event reloads.
    }
  },
  async sendNow(id) {
    await change(() => api.retryOutbox(id), set);
    await get().load();
  },
  async cancel(id) {
    await change(() => api.cancelOutbox(id), set);
    await get().load();
  },
}));

async function change(call: () => Promise<unknown>, set: (state: Partial<OutboxState>) => void): Promise<void> {
  set({ error: null });
  try {
    await call();
  } catch (error) {
    set({ error: (error as Error).message });
  }
}
