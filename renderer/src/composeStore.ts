import { create } from 'zustand';
import { api } from './apiClient.ts';
import { type Draft, draftFor, draftFromMessage, emptyDraft, type ReplyMode } from './composeDrafts.ts';
import { useReaderStore } from './mail/readerStore.ts';
import type { HeldMessage } from './undoSend.ts';

/** One message being written, docked at the bottom right of the mail (several side by side, as in Gmail). */
export interface DockedCompose {
  /** Stable for the window's life: its React key. */
  key: string;
  draft: Draft;
  /** Folded down to its title bar; what was typed stays. */
  minimised: boolean;
  /** Files to attach again to a draft reopened by Undo. */
  attachments: HeldMessage['attachments'] | undefined;
  /** Where the keyboard was when it opened: it goes back there when the window closes. */
  returnFocus: Element | null;
}

/** At most this many stay unfolded side by side; opening another folds the oldest open one (nothing is closed). */
const MAX_OPEN = 3;

interface ComposeState {
  /** The messages being written in the dock, oldest first (the dock shows the newest at the right). */
  windows: DockedCompose[];
  /** One line after a send: "Sent" or "Queued: it goes out when the provider is reachable". */
  notice: string | null;
  /** A message waiting out its undo period ("Sending… Undo"), or null. */
  held: HeldMessage | null;
  compose(draft?: Draft): void;
  /** Reply, reply all or forward the open thread's newest message, or the one named. */
  reply(mode: ReplyMode, messageId?: string): Promise<void>;
  /** Continue a draft of the open thread in compose (its account's, at the provider too). */
  editDraft(messageId: string): Promise<void>;
  /** Closes one docked window (what it asked first is the form's: discard or keep). */
  close(key: string): void;
  /** Folds a window to its title bar, or opens it again. */
  setMinimised(key: string, minimised: boolean): void;
  /** A window's empty message gives way to a saved one (its "Unsent" choices). */
  replace(key: string, draft: Draft): void;
  /** The send was accepted: "sent", or "queued" with the outbox id to watch for; `held` while it can be undone. */
  sent(key: string, status: string, id?: string, held?: HeldMessage): void;
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

/** The same message already open: a saved draft, or a provider draft continued. */
function sameMessage(a: Draft, b: Draft): boolean {
  return Boolean((a.draftId && a.draftId === b.draftId) || (a.sourceMessageId && a.sourceMessageId === b.sourceMessageId));
}

/**
 * The desktop app writes in a window of its own; a browser tab in a window docked over the mail, which
 * stays usable. A message already open is brought back instead of opened twice; past MAX_OPEN windows
 * the oldest open one folds down.
 */
function open(
  draft: Draft,
  set: (state: Partial<ComposeState>) => void,
  get: () => ComposeState,
  attachments?: HeldMessage['attachments'],
): void {
  if (window.outpost?.openCompose) {
    window.outpost.openCompose(draft);
    set({ notice: null });
    return;
  }
  const windows = get().windows;
  const existing = windows.find((w) => sameMessage(w.draft, draft));
  if (existing) {
    set({ windows: windows.map((w) => (w === existing ? { ...w, minimised: false } : w)), notice: null });
    return;
  }
  const docked: DockedCompose = {
    key: crypto.randomUUID(),
    draft,
    minimised: false,
    attachments,
    returnFocus: document.activeElement,
  };
  const open = windows.filter((w) => !w.minimised);
  const fold = open.length >= MAX_OPEN ? open[0]?.key : undefined;
  set({ windows: [...windows.map((w) => (w.key === fold ? { ...w, minimised: true } : w)), docked], notice: null });
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
    windows: [],
    notice: null,
    held: null,
    queuedId: null,
    noticeTimer: undefined,
    ownAccounts: null,
    compose(draft) {
      open(draft ?? emptyDraft(), set, get);
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
        get,
      );
    },
    async editDraft(messageId) {
      const thread = useReaderStore.getState().openThread;
      const message = thread?.messages.find((m) => m.id === messageId);
      if (!thread || !message) return;
      const from = (await ownAccounts()).find((a) => a.id === thread.account_id)?.email;
      // A reply draft goes into its conversation; a draft alone is a new message.
      const inConversation = thread.messages.some((m) => m.id !== messageId);
      open(draftFromMessage(message, from, inConversation ? thread.id : undefined), set, get);
    },
    close(key) {
      set({ windows: get().windows.filter((w) => w.key !== key) });
    },
    setMinimised(key, minimised) {
      set({ windows: get().windows.map((w) => (w.key === key ? { ...w, minimised } : w)) });
    },
    replace(key, draft) {
      const windows = get().windows;
      // Already open in another window: that one comes forward, this empty one goes.
      if (windows.some((w) => w.key !== key && sameMessage(w.draft, draft))) {
        set({ windows: windows.filter((w) => w.key !== key) });
        return open(draft, set, get);
      }
      set({
        windows: windows.map((w) => (w.key === key ? { ...w, key: crypto.randomUUID(), draft, attachments: undefined } : w)),
      });
    },
    sent(key, status, id, held) {
      set({ queuedId: status === 'sent' ? null : (id ?? null), windows: get().windows.filter((w) => w.key !== key) });
      stopNoticeTimer();
      if (held) {
        set({ held, notice: null });
        // Past its period (and a little for the answer), a message not reported sent is simply queued.
        noticeFor(held.seconds * 1000 + 3_000, () => {
          if (get().held?.id !== held.id) return;
          set({ held: null, notice: 'Message queued: it goes out as soon as the provider can be reached.' });
        });
        return;
      }
      set({
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
        set({ queuedId: null });
        open(held.draft, set, get, held.attachments);
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
