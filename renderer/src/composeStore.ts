import { create } from 'zustand';
import { api } from './apiClient.ts';
import { type Draft, draftFor, draftFromMessage, emptyDraft, type ReplyMode } from './composeDrafts.ts';
import { useReaderStore } from './mail/readerStore.ts';
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
  /** Continue a draft of the open thread in compose (its account's, at the provider too). */
  editDraft(messageId: string): Promise<void>;
  close(): void;
  /** The send was accepted: "sent", or "queued" with the outbox id to watch for; `held` while it can be undone. */
  sent(status: string, id?: string, held?: HeldMessage): void;
  /** Takes the held message back out of the outbox and reopens it; too late once it went. */
  undoSend(): Promise<void>;
  /** The core reports a message left the outbox: a queued one's notice turns into "sent". */
  delivered(id: string): void;
  /** The outbox id of the message whose "queued" notice waits for its delivery. */
  queuedId: string | null;
  /** When the notice (or a held message's undo) ends. */
  noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The connected accounts' ids and addresses, read once: reply-all leaves the user out, a reply goes from its thread's account. */
  ownAccounts: Array<{ id: string; email: string }> | null;
}

/** The desktop app writes in a window of its own; a browser tab in the dialog over the mail. */
function open(draft: Draft, set: (state: Partial<ComposeState>) => void): void {
  if (window.outpost?.openCompose) {
    window.outpost.openCompose(draft);
    set({ notice: null });
  } else set({ draft, notice: null });
}

export const useComposeStore = create<ComposeState>((set, get) => {
  const ownAccounts = async (): Promise<Array<{ id: string; email: string }>> => {
    const known = get().ownAccounts;
    if (known) return known;
    try {
      const accounts = (await api.listAccounts()).data.map((a) => ({ id: a.id, email: a.email }));
      set({ ownAccounts: accounts });
      return accounts;
    } catch {
      return [];
    }
  };
  const stopNoticeTimer = () => {
    clearTimeout(get().noticeTimer);
    set({ noticeTimer: undefined });
  };
  /** The notice (or the held message's undo) ends after `ms`, replacing the timer that was running. */
  const noticeFor = (ms: number, end: () => void) => {
    clearTimeout(get().noticeTimer);
    set({ noticeTimer: setTimeout(end, ms) });
  };
  return {
    draft: null,
    notice: null,
    held: null,
    restoredAttachments: undefined,
    queuedId: null,
    noticeTimer: undefined,
    ownAccounts: null,
    compose(draft) {
      set({ restoredAttachments: undefined });
      open(draft ?? emptyDraft(), set);
    },
    async reply(mode, messageId) {
      const thread = useReaderStore.getState().openThread;
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
    async editDraft(messageId) {
      const thread = useReaderStore.getState().openThread;
      const message = thread?.messages.find((m) => m.id === messageId);
      if (!thread || !message) return;
      const from = (await ownAccounts()).find((a) => a.id === thread.account_id)?.email;
      // A reply draft goes into its conversation; a draft alone is a new message.
      const inConversation = thread.messages.some((m) => m.id !== messageId);
      open(draftFromMessage(message, from, inConversation ? thread.id : undefined), set);
    },
    close() {
      set({ draft: null, restoredAttachments: undefined });
    },
    sent(status, id, held) {
      set({ queuedId: status === 'sent' ? null : (id ?? null) });
      stopNoticeTimer();
      if (held) {
        set({ draft: null, restoredAttachments: undefined, held, notice: null });
        // Past its period (and a little for the answer), a message not reported sent is simply queued.
        noticeFor(held.seconds * 1000 + 3_000, () => {
          if (get().held?.id !== held.id) return;
          set({ held: null, notice: 'Message queued: it goes out as soon as the provider can be reached.' });
        });
        return;
      }
      set({
        draft: null,
        notice: status === 'sent' ? 'Message sent.' : 'Message queued: it goes out as soon as the provider can be reached.',
      });
      // A confirmation fades; a queued message's notice stays until it is sent.
      if (status === 'sent') noticeFor(8_000, () => set({ notice: null }));
    },
    async undoSend() {
      const held = get().held;
      if (!held) return;
      stopNoticeTimer();
      set({ held: null });
      try {
        await api.cancelOutbox(held.id);
        set({ queuedId: null, draft: held.draft, restoredAttachments: held.attachments, notice: null });
      } catch {
        set({ notice: 'Too late to undo: the message has been sent.' });
        noticeFor(8_000, () => set({ notice: null }));
      }
    },
    delivered(id) {
      if (id !== get().queuedId) return;
      set({ queuedId: null, held: null, notice: 'Message sent.' });
      noticeFor(8_000, () => set({ notice: null }));
    },
  };
});
