import { create } from 'zustand';
import { api } from './apiClient.ts';
import { type Draft, draftFor, emptyDraft, type ReplyMode } from './composeDrafts.ts';
import { useMailStore } from './mailStore.ts';

interface ComposeState {
  /** The draft being written in the compose dialog, or null when none is open. */
  draft: Draft | null;
  /** One line after a send: "Sent" or "Queued: it goes out when the provider is reachable". */
  notice: string | null;
  compose(draft?: Draft): void;
  /** Reply, reply all or forward the open thread's newest message, or the one named. */
  reply(mode: ReplyMode, messageId?: string): Promise<void>;
  close(): void;
  /** The send was accepted: "sent", or "queued" with the outbox id to watch for. */
  sent(status: string, id?: string): void;
  /** The core reports a message left the outbox: a queued one's notice turns into "sent". */
  delivered(id: string): void;
}

let queuedId: string | null = null;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

let myAccounts: Array<{ id: string; email: string }> | null = null;

/** The connected accounts' ids and addresses: reply-all leaves the user out, a reply goes from its thread's account. */
async function ownAccounts(): Promise<Array<{ id: string; email: string }>> {
  if (myAccounts) return myAccounts;
  try {
    myAccounts = (await api.listAccounts()).data.map((a) => ({ id: a.id, email: a.email }));
  } catch {
    return [];
  }
  return myAccounts;
}

/** The desktop app writes in a window of its own; a browser tab in the dialog over the mail. */
function open(draft: Draft, set: (state: Partial<ComposeState>) => void): void {
  if (window.outpost?.openCompose) {
    window.outpost.openCompose(draft);
    set({ notice: null });
  } else set({ draft, notice: null });
}

export const useComposeStore = create<ComposeState>((set) => ({
  draft: null,
  notice: null,
  compose(draft) {
    open(draft ?? emptyDraft(), set);
  },
  async reply(mode, messageId) {
    const thread = useMailStore.getState().openThread;
    if (!thread || thread.messages.length === 0) return;
    const accounts = await ownAccounts();
    const from = accounts.find((a) => a.id === thread.account_id)?.email;
    open(
      {
        ...draftFor(
          thread,
          mode,
          accounts.map((a) => a.email),
          messageId,
        ),
        ...(from ? { from } : {}),
      },
      set,
    );
  },
  close() {
    set({ draft: null });
  },
  sent(status, id) {
    queuedId = status === 'sent' ? null : (id ?? null);
    set({
      draft: null,
      notice: status === 'sent' ? 'Message sent.' : 'Message queued: it goes out as soon as the provider can be reached.',
    });
    clearTimeout(noticeTimer);
    // A confirmation fades; a queued message's notice stays until it is sent.
    if (status === 'sent') noticeTimer = setTimeout(() => set({ notice: null }), 8_000);
  },
  delivered(id) {
    if (id !== queuedId) return;
    queuedId = null;
    set({ notice: 'Message sent.' });
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => set({ notice: null }), 8_000);
  },
}));
