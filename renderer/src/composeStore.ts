import { create } from 'zustand';
import type { ComposeDraft } from '../../shared/composeDraft.ts';
import { api } from './apiClient.ts';
import { draftFor, emptyDraft, type ReplyMode } from './composeDrafts.ts';
import { useMailStore } from './mailStore.ts';

interface ComposeState {
  /** The draft being written in the compose dialog, or null when none is open. */
  draft: ComposeDraft | null;
  /** One line after a send: "Sent" or "Queued: it goes out when the provider is reachable". */
  notice: string | null;
  compose(draft?: ComposeDraft): void;
  reply(mode: ReplyMode): Promise<void>;
  close(): void;
  sent(status: string): void;
}

let myAddresses: string[] | null = null;

/** The connected accounts' addresses, so reply-all leaves the user out. */
async function ownAddresses(): Promise<string[]> {
  if (myAddresses) return myAddresses;
  try {
    myAddresses = (await api.listAccounts()).data.map((a) => a.email);
  } catch {
    return [];
  }
  return myAddresses;
}

export const useComposeStore = create<ComposeState>((set) => ({
  draft: null,
  notice: null,
  compose(draft) {
    set({ draft: draft ?? emptyDraft(), notice: null });
  },
  async reply(mode) {
    const thread = useMailStore.getState().openThread;
    if (!thread || thread.messages.length === 0) return;
    set({ draft: draftFor(thread, mode, await ownAddresses()), notice: null });
  },
  close() {
    set({ draft: null });
  },
  sent(status) {
    set({
      draft: null,
      notice: status === 'sent' ? 'Message sent.' : 'Message queued: it goes out as soon as the provider can be reached.',
    });
  },
}));
