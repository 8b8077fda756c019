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

/** Whether the thread is in its account's inbox (a message of it carries the inbox label). */
export function inInbox(labels: readonly Label[], labelIds: readonly string[]): boolean {
  return labels.some((l) => l.role === 'inbox' && labelIds.includes(l.id));
}

/**
 * Whether the thread is spam: it carries its account's spam label (Gmail's SPAM, Outlook's Junk
 * Email) and is not in the inbox (a conversation whose one reply was marked spam is still inbox mail).
 */
/** A message in its account's Drafts (Gmail's DRAFT label, Outlook's Drafts folder). */
export function isDraft(labels: readonly Label[], labelIds: readonly string[]): boolean {
  return labels.some((l) => l.role === 'drafts' && labelIds.includes(l.id));
}

export function inSpam(labels: readonly Label[], labelIds: readonly string[]): boolean {
  return labels.some((l) => l.role === 'spam' && labelIds.includes(l.id)) && !inInbox(labels, labelIds);
}
