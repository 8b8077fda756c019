import { create } from 'zustand';
import type { ThreadActionBody } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import { useLabelStore } from './labelStore.ts';
import { useListStore } from './listStore.ts';
import { useReaderStore } from './readerStore.ts';

/** The last archive, delete or spam report of inbox threads, and how to put them back. */
export interface UndoableAction {
  text: string;
  threadIds: readonly string[];
  inverse: 'move_to_inbox' | 'not_spam';
}

interface UndoState {
  /** What Undo (z, the toast) puts back; null when there is nothing to undo. */
  undo: UndoableAction | null;
  /** After an action on threads that were in the inbox: offers its undo, or clears the last one. */
  offer(action: ThreadActionBody['action'], threadIds: readonly string[]): void;
  undoLast(): Promise<void>;
  dismissUndo(): void;
}

export const useUndoStore = create<UndoState>((set, get) => ({
  undo: null,
  offer(action, threadIds) {
    set({ undo: threadIds.length ? undoFor(action, threadIds) : null });
  },
  async undoLast() {
    const undo = get().undo;
    if (!undo) return;
    set({ undo: null });
    const failures: string[] = [];
    // A thousand a request (the bulk route's limit): a whole view archived comes back in a few.
    for (let i = 0; i < undo.threadIds.length; i += 1000) {
      await api
        .bulkThreadAction(undo.threadIds.slice(i, i + 1000), undo.inverse)
        .then(({ data }) => failures.push(...data.failed.map((f) => f.message)))
        .catch((e: Error) => failures.push(e.message));
    }
    if (failures.length) useListStore.getState().showError(`Undo failed: ${failures[0]}`);
    void useLabelStore.getState().loadLabels();
    // The threads come back into the list with the core's mail.changed; one undone thread opens again.
    if (undo.threadIds.length === 1) await useReaderStore.getState().selectThread(undo.threadIds[0] as string);
  },
  dismissUndo() {
    set({ undo: null });
  },
}));

/**
 * What Undo offers after an action: archive, delete and spam of threads that were in
 * the inbox, undone by moving them back there (the one inverse that is exact
 * for both providers; spam's also takes the spam mark off); nothing for the other
 * actions, which are their own undo.
 */
function undoFor(action: ThreadActionBody['action'], threadIds: readonly string[]): UndoableAction | null {
  const count = threadIds.length === 1 ? 'Conversation' : `${threadIds.length} conversations`;
  if (action === 'archive') return { text: `${count} archived.`, threadIds, inverse: 'move_to_inbox' };
  if (action === 'trash') return { text: `${count} moved to Trash.`, threadIds, inverse: 'move_to_inbox' };
  if (action === 'spam') return { text: `${count} reported as spam.`, threadIds, inverse: 'not_spam' };
  return null;
}
