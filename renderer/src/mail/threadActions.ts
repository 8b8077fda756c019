import type { ThreadActionBody } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import { inInbox } from '../threadLabels.ts';
import { useLabelStore } from './labelStore.ts';
import { useListStore } from './listStore.ts';
import { useNavigationStore } from './navigationStore.ts';
import { useReaderStore } from './readerStore.ts';
import { useSelectionStore } from './selectionStore.ts';
import { useUndoStore } from './undoStore.ts';
import { stillListed } from './viewMembership.ts';

type Action = ThreadActionBody['action'];

/** The bulk route takes this many threads a request (BulkThreadActionBody's maxItems; one transaction in the core each). */
const BULK_LIMIT = 1000;

/**
 * Applies an action to the open thread (a label action names its label). Its row shows the result at
 * once; one that takes it out of the list shown opens the next thread (Gmail's auto-advance), and an
 * archive, delete or spam report from the inbox can be undone.
 */
export async function actOnOpenThread(action: Action, labelId?: string): Promise<void> {
  const reader = useReaderStore.getState();
  const open = reader.openThread;
  if (!open) return;
  const { labels } = useLabelStore.getState();
  const wasInInbox = inInbox(labels, open.label_ids);
  try {
    const { data } = await api.threadAction(open.id, action, labelId);
    useUndoStore.getState().offer(action, wasInInbox ? [open.id] : []);
    const { view } = useNavigationStore.getState();
    const leavesList = !stillListed(view, useLabelStore.getState().labels, open.label_ids, data.label_ids);
    const { ids } = useListStore.getState();
    const index = ids.indexOf(open.id);
    const next = leavesList ? (ids[index + 1] ?? ids[index - 1]) : undefined;
    reader.showActionResult(leavesList ? null : data);
    if (leavesList) useListStore.getState().dropThreads([data.id]);
    else useListStore.getState().updateThread(data);
    if (next && next !== open.id) await useReaderStore.getState().selectThread(next);
    void useLabelStore.getState().loadLabels();
  } catch (error) {
    reader.showActionError((error as Error).message);
  }
}

/**
 * Applies an action to every ticked thread, a thousand a request. Labelling keeps the ticks (more
 * labels may follow, as in Gmail); anything else is done with them. The rows change as the core
 * announces the change (mail.changed), not by reloading the list.
 */
export async function actOnChecked(action: Action, labelId?: string): Promise<void> {
  const ids = [...useSelectionStore.getState().checked];
  const { threads } = useListStore.getState();
  const { labels } = useLabelStore.getState();
  const wasInInbox = new Set(ids.filter((id) => threads[id] && inInbox(labels, threads[id].label_ids)));
  const failures: string[] = [];
  const updated: string[] = [];
  for (let i = 0; i < ids.length; i += BULK_LIMIT) {
    try {
      const { data } = await api.bulkThreadAction(ids.slice(i, i + BULK_LIMIT), action, labelId);
      updated.push(...data.updated);
      failures.push(...data.failed.map((f) => f.message));
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  useUndoStore.getState().offer(
    action,
    updated.filter((id) => wasInInbox.has(id)),
  );
  const keepTicks = action === 'add_label' || action === 'remove_label';
  if (!keepTicks) useSelectionStore.getState().clearChecked();
  useListStore.getState().showError(failures.length ? `${failures.length} of ${ids.length} failed: ${failures[0]}` : null);
  void useLabelStore.getState().loadLabels();
}
