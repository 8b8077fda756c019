import { create } from 'zustand';
import { api } from './apiClient.ts';
import { type Draft, draftFor, emptyDraft, type ReplyMode } from './composeDrafts.ts';
import { useMailStore } from './mailStore.ts';
import type { HeldMessage } from './undoSend.ts';

interface ComposeState {
  /** The draft being written in the compose dialog, or null when none is open. */
  draft: Draft | null;
  /** One line after a send: "Sent" or "Queued: it goes out when the provider is reachable". */
  notice: string | null;
  /** A message waiting out its undo period ("Sending… Undo"), or null. */
  held: HeldMessage | null;
  /** Files to attach again to the draft reopened by Undo. */
  restoredAttachments: HeldMessage['attachments'] | undefined;
  compose(draft?: Draft): void;
  /** Reply, reply all or forward the open thread's newest message, or the one named. */
  reply(mode: ReplyMode, messageId?: string): Promise<void>;
  close(): void;
  /** The send was accepted: "sent", or "queued" with the outbox id to watch for; `held` while it can be undone. */
  sent(status: string, id?: string, held?: HeldMessage): void;
  /** Takes the held message back out of the outbox and reopens it; too late once it went. */
  undoSend(): Promise<void>;
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

export const useComposeStore = create<ComposeState>((set, get) => ({
  draft: null,
  notice: null,
  held: null,
  restoredAttachments: undefined,
  compose(draft) {
    set({ restoredAttachments: undefined });
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
    set({ draft: null, restoredAttachments: undefined });
  },
  sent(status, id, held) {
    queuedId = status === 'sent' ? null : (id ?? null);
    clearTimeout(noticeTimer);
    if (held) {
      set({ draft: null, restoredAttachments: undefined, held, notice: null });
      // Past its period (and a little for the answer), a message not reported sent is simply queued.
      noticeTimer = setTimeout(
        () => {
          if (get().held?.id !== held.id) return;
          set({ held: null, notice: 'Message queued: it goes out as soon as the provider can be reached.' });
        },
        held.seconds * 1000 + 3_000,
      );
      return;
    }
    set({
      draft: null,
      notice: status === 'sent' ? 'Message sent.' : 'Message queued: it goes out as soon as the provider can be reached.',
    });
    // A confirmation fades; a queued message's notice stays until it is sent.
    if (status === 'sent') noticeTimer = setTimeout(() => set({ notice: null }), 8_000);
  },
  async undoSend() {
    const held = get().held;
    if (!held) return;
    clearTimeout(noticeTimer);
    set({ held: null });
    try {
      await api.cancelOutbox(held.id);
      queuedId = null;
      set({ draft: held.draft, restoredAttachments: held.attachments, notice: null });
    } catch {
      set({ notice: 'Too late to undo: the message has been sent.' });
      noticeTimer = setTimeout(() => set({ notice: null }), 8_000);
    }
  },
  delivered(id) {
    if (id !== queuedId) return;
    queuedId = null;
    set({ held: null, notice: 'Message sent.' });
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => set({ notice: null }), 8_000);
  },
}));
