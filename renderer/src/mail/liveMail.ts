import type { CoreEvent } from '../../../shared/events.ts';
import { onCoreEvent, onEventGap } from '../liveEvents.ts';
import { useLabelStore } from './labelStore.ts';
import { useListStore } from './listStore.ts';
import { useReaderStore } from './readerStore.ts';
import { useSelectionStore } from './selectionStore.ts';
import { useUndoStore } from './undoStore.ts';

/** How long label counts wait for a burst of changes (a sync's pages) to end before they are read again. */
const LABELS_DEBOUNCE_MS = 250;

/**
 * Keeps the mail views live from the core's events: `mail.changed` patches the list's cache and
 * re-reads the open thread when it is touched; a removed account is forgotten at once; after the
 * stream was down (events missed) the loaded rows are read again. Returns the unsubscribe.
 */
export function subscribeLiveMail(): () => void {
  let labelsTimer: ReturnType<typeof setTimeout> | undefined;
  const loadLabelsSoon = () => {
    clearTimeout(labelsTimer);
    labelsTimer = setTimeout(() => void useLabelStore.getState().loadLabels(), LABELS_DEBOUNCE_MS);
  };
  const stopEvents = onCoreEvent((event: CoreEvent) => {
    if (event.type === 'mail.changed') {
      mailChanged(event);
      loadLabelsSoon();
    } else if (event.type === 'account.removed') accountRemoved(event.account_id);
  });
  const stopGaps = onEventGap(() => void readAgain());
  return () => {
    clearTimeout(labelsTimer);
    stopEvents();
    stopGaps();
  };
}

function mailChanged(event: Extract<CoreEvent, { type: 'mail.changed' }>): void {
  useListStore.getState().mailChanged(event);
  const reader = useReaderStore.getState();
  const openId = reader.openThread?.id;
  if (!openId) return;
  if (event.removed_thread_ids.includes(openId)) reader.closeThread();
  else if (event.thread_ids.includes(openId)) void reader.reread(openId);
}

/** The loaded rows, the labels and the open thread read again from the core: events were missed while the stream was down. */
async function readAgain(): Promise<void> {
  await useListStore.getState().refresh();
  const open = useReaderStore.getState().openThread;
  if (open) await useReaderStore.getState().reread(open.id);
}

/** Forgets a removed account at once (here, or elsewhere: the CLI, a script): its rows, hits, ticks, open thread, undo. */
export function accountRemoved(accountId: string): void {
  const reader = useReaderStore.getState();
  if (reader.openThread?.account_id === accountId) reader.closeThread();
  useListStore.getState().dropAccount(accountId);
  useSelectionStore.getState().clearChecked();
  useUndoStore.getState().dismissUndo();
  void useLabelStore.getState().loadLabels();
}
