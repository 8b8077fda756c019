import type { Label, ThreadSummary } from '../../../shared/api/threads.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import type { ListView } from './navigationStore.ts';

/**
 * Whether a thread with these labels is listed in a label view: the view's label id
 * (lbl_...), or a role (inbox, starred, ...) matched through the labels' roles, as
 * the core lists a role across accounts.
 */
export function listedIn(view: ListView, labels: readonly Label[], labelIds: readonly string[]): boolean {
  if (view.kind !== 'label') return false;
  if (view.label.startsWith('lbl_')) return labelIds.includes(view.label);
  return labels.some((l) => l.role === view.label && labelIds.includes(l.id));
}

/**
 * Whether a listed thread stays in the view after a change of its labels: in a label view while
 * it carries the label; in a search until it is moved to Trash or Spam (which a search leaves out
 * unless asked), as Gmail's results keep a conversation archived or labelled from them.
 */
export function stillListed(
  view: ListView,
  labels: readonly Label[],
  before: readonly string[],
  after: readonly string[],
): boolean {
  if (view.kind === 'label') return listedIn(view, labels, after);
  const binned = (ids: readonly string[]) => labels.some((l) => (l.role === 'trash' || l.role === 'spam') && ids.includes(l.id));
  return binned(before) || !binned(after);
}

/** Where a thread sits in a list: by its newest message, then by id (the core's keyset order). */
export type ListPosition = Pick<ThreadSummary, 'id' | 'last_message_at'>;

/** For sort(): newest first, as the core lists a label (last_message_at DESC, thread id DESC). */
export function newestFirst(a: ListPosition, b: ListPosition): number {
  const byDate = Date.parse(b.last_message_at) - Date.parse(a.last_message_at);
  if (byDate !== 0) return byDate;
  return (parsePublicId('thr', b.id) ?? 0) - (parsePublicId('thr', a.id) ?? 0);
}
