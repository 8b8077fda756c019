import type { Label } from '../../shared/api/threads.ts';

/**
 * The names of the thread's own labels, as Gmail shows them in the list: the user's labels and
 * Outlook's categories (not system labels, not Gmail's inbox tabs, not the folder a message is in),
 * without the label being looked at.
 */
export function chipLabels(labels: readonly Label[], labelIds: readonly string[], viewing: string | null): string[] {
  const outlookAccounts = new Set(labels.filter((l) => l.kind === 'folder').map((l) => l.account_id));
  return labels
    .filter(
      (l) =>
        labelIds.includes(l.id) &&
        l.id !== viewing &&
        (l.kind === 'user' || (l.kind === 'category' && outlookAccounts.has(l.account_id))),
    )
    .map((l) => l.name);
}
