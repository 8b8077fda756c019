import type { ThreadActionBody, ThreadView } from '../../../shared/api/threads.ts';
import { api } from '../apiClient.ts';
import { inInbox } from '../threadLabels.ts';
import { useLabelStore } from './labelStore.ts';
import { useListStore } from './listStore.ts';
import { type ListView, useNavigationStore } from './navigationStore.ts';
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

/** The actions after which the ticks stay (more may follow, as in Gmail): they leave every row where it is. */
const KEEPS_TICKS: ReadonlySet<Action> = new Set(['add_label', 'remove_label', 'mark_read', 'mark_unread', 'star', 'unstar']);

/**
 * Applies an action to every ticked thread, a thousand a request, or, when the whole view is
 * selected, to every conversation of the view in one request the core resolves. `accountId`: to the
 * ticked threads of that account only (labels and folders belong to one account). Marking, starring
 * and labelling keep the ticks; anything else is done with them. The rows change as the core
 * announces the change (mail.changed), not by reloading the list.
 */
export async function actOnChecked(action: Action, labelId?: string, accountId?: string): Promise<void> {
  const selection = useSelectionStore.getState();
  const { threads } = useListStore.getState();
  const { labels } = useLabelStore.getState();
  const ids = [...selection.checked].filter((id) => accountId === undefined || threads[id]?.account_id === accountId);
  const wasInInbox = new Set(ids.filter((id) => threads[id] && inInbox(labels, threads[id].label_ids)));
  const failures: string[] = [];
  const updated: string[] = [];
  let asked = ids.length;
  if (selection.wholeView) {
    const { view } = useNavigationStore.getState();
    try {
      const { data } = await api.viewThreadAction(viewDefinition(view, accountId), action, labelId);
      updated.push(...data.updated);
      failures.push(...data.failed.map((f) => f.message));
      asked = data.matched;
      // The inbox's conversations were all in it; elsewhere those loaded tell.
      if (view.kind === 'label' && view.label === 'inbox') for (const id of data.updated) wasInInbox.add(id);
    } catch (error) {
      failures.push((error as Error).message);
    }
  } else {
    for (let i = 0; i < ids.length; i += BULK_LIMIT) {
      try {
        const { data } = await api.bulkThreadAction(ids.slice(i, i + BULK_LIMIT), action, labelId);
        updated.push(...data.updated);
        failures.push(...data.failed.map((f) => f.message));
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  }
  useUndoStore.getState().offer(
    action,
    updated.filter((id) => wasInInbox.has(id)),
  );
  if (!KEEPS_TICKS.has(action)) useSelectionStore.getState().clearChecked();
  useListStore.getState().showError(failures.length ? `${failures.length} of ${asked} failed: ${failures[0]}` : null);
  void useLabelStore.getState().loadLabels();
}

/** What the core lists for a view: a label's threads or a search's (as the UI searches: the last word as typed). */
function viewDefinition(view: ListView, accountId: string | undefined): ThreadView {
  const account = accountId ?? view.account;
  const scope = account === undefined ? {} : { account_id: account };
  return view.kind === 'label' ? { label: view.label, ...scope } : { query: view.query, prefix: true, ...scope };
}

/**
 * An action from a row's hover buttons on that row's thread: its row shows the result, or leaves
 * the list when the action takes it out; an archive or delete from the inbox can be undone.
 */
export async function actOnRow(id: string, action: Action): Promise<void> {
  const thread = useListStore.getState().threads[id];
  if (!thread) return;
  const wasInInbox = inInbox(useLabelStore.getState().labels, thread.label_ids);
  try {
    const { data } = await api.threadAction(id, action);
    useUndoStore.getState().offer(action, wasInInbox ? [id] : []);
    const leavesList = !stillListed(
      useNavigationStore.getState().view,
      useLabelStore.getState().labels,
      thread.label_ids,
      data.label_ids,
    );
    if (leavesList) useListStore.getState().dropThreads([id]);
    else useListStore.getState().updateThread(data);
    void useLabelStore.getState().loadLabels();
  } catch (error) {
    useListStore.getState().showError((error as Error).message);
  }
}
