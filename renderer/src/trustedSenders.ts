import { create } from 'zustand';
import { api } from './apiClient.ts';

interface TrustedSendersState {
  emails: ReadonlySet<string>;
  loaded: boolean;
  load(): Promise<void>;
  trust(email: string): Promise<void>;
}

/** Senders whose remote images the user always wants shown, kept in the index (the UI's origin changes per launch). */
export const useTrustedSenders = create<TrustedSendersState>((set, get) => ({
  emails: new Set(),
  loaded: false,
  async load() {
    if (get().loaded) return;
    try {
      const { data } = await api.trustedSenders();
      set({ emails: new Set(data.map((s) => s.email.toLowerCase())), loaded: true });
    } catch {
      // images stay blocked; nothing else depends on it
    }
  },
  async trust(email) {
    await api.trustSender(email);
    set((s) => ({ emails: new Set([...s.emails, email.toLowerCase()]) }));
  },
}));
