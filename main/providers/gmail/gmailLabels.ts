import type { LabelInput, LabelRole } from '../../db/queries/labels.ts';

/** Gmail system label ids with a role in the index's shared label model. */
const SYSTEM_ROLES: Record<string, LabelRole> = {
  INBOX: 'inbox',
  SENT: 'sent',
  DRAFT: 'drafts',
  TRASH: 'trash',
  SPAM: 'spam',
  STARRED: 'starred',
  IMPORTANT: 'important',
};

/**
 * UNREAD is Gmail's read flag, not a place: the index keeps it as
 * messages.is_unread and never as a label row.
 */
export const FLAG_ONLY_LABELS = new Set(['UNREAD']);

export interface GmailLabel {
  id?: string | null;
  name?: string | null;
  type?: string | null;
}

export function toLabelInput(label: GmailLabel): LabelInput | null {
  const id = label.id ?? '';
  if (!id || FLAG_ONLY_LABELS.has(id)) return null;
  const role = SYSTEM_ROLES[id] ?? null;
  const kind = id.startsWith('CATEGORY_') ? 'category' : label.type === 'system' ? 'system' : 'user';
  // Gmail names its own labels by their ids (CATEGORY_FORUMS, CHAT): shown as words instead.
  const name = label.name && (kind === 'user' || label.name !== id) ? label.name : displayName(id);
  return { remoteId: id, name, kind, role };
}

/** A label id seen on a message before labels.list returned it (rare races): a best-effort row. */
export function placeholderLabel(id: string): LabelInput | null {
  return toLabelInput({ id, name: displayName(id), type: /^[A-Z_]+$/.test(id) ? 'system' : 'user' });
}

function displayName(id: string): string {
  if (id.startsWith('CATEGORY_')) return id.slice('CATEGORY_'.length).charAt(0) + id.slice('CATEGORY_'.length + 1).toLowerCase();
  return id.charAt(0) + id.slice(1).toLowerCase();
}
