import type { Label } from '../../../shared/api/threads.ts';

/** One of an account's own mailboxes: the list it opens (a role, a label id, or "all") and whether a count shows. */
export interface Mailbox {
  key: string;
  title: string;
  /** The threads API's label: a role, a label id, or "all" (the account's All Mail). */
  label: string;
  /** The number beside it: unread conversations (Inbox), drafts (Drafts), or none (Sent, Trash, Spam, All Mail). */
  count: number;
}

/** The mailboxes every account lists first, in the order mail clients show them. */
const ROLE_ORDER: ReadonlyArray<{ role: string; title: string; count: 'unread' | 'threads' | null }> = [
  { role: 'inbox', title: 'Inbox', count: 'unread' },
  { role: 'starred', title: 'Starred', count: null },
  { role: 'sent', title: 'Sent', count: null },
  { role: 'drafts', title: 'Drafts', count: 'threads' },
  { role: 'archive', title: 'Archive', count: null },
  { role: 'spam', title: 'Spam', count: null },
  { role: 'trash', title: 'Trash', count: null },
];

/**
 * An account's mailboxes from its labels: each role it has, titled as its provider names the folder
 * (Outlook's "Junk Email") or by the role (Gmail's system labels); an account with no Archive folder
 * gets All Mail (every message of the account) in its place, one with no Starred label its Flagged mail.
 */
export function accountMailboxes(labels: readonly Label[]): Mailbox[] {
  const mailboxes: Mailbox[] = [];
  for (const { role, title, count } of ROLE_ORDER) {
    const label = labels.find((l) => l.role === role);
    if (!label) {
      if (role === 'archive') mailboxes.push({ key: 'all', title: 'All Mail', label: 'all', count: 0 });
      // Without a Starred label (Outlook) the flag is the star: its Flagged list.
      if (role === 'starred') mailboxes.push({ key: 'starred', title: 'Flagged', label: 'starred', count: 0 });
      continue;
    }
    mailboxes.push({
      key: role,
      title: label.kind === 'folder' ? label.name : title,
      label: role,
      count: count === 'unread' ? label.unread_thread_count : count === 'threads' ? label.thread_count : 0,
    });
  }
  return mailboxes;
}

/** A label in the sidebar's tree: its last name part, and the labels nested under it ("Lists/SpamAssassin"). */
export interface LabelNode {
  /** The label, or null for a parent that exists only as a prefix of others' names. */
  label: Label | null;
  path: string;
  name: string;
  children: LabelNode[];
}

/**
 * The labels and folders a user made (and categories) as a tree, each level by name: inside its parent
 * folder (Outlook's parent_id), and by "/" in names (Gmail's "Lists/SpamAssassin").
 */
export function labelTree(labels: readonly Label[]): LabelNode[] {
  const roots: LabelNode[] = [];
  const byPath = new Map<string, LabelNode>();
  const nodeAt = (path: string): LabelNode => {
    const existing = byPath.get(path);
    if (existing) return existing;
    const cut = path.lastIndexOf('/');
    const node: LabelNode = { label: null, path, name: path.slice(cut + 1), children: [] };
    byPath.set(path, node);
    (cut > 0 ? nodeAt(path.slice(0, cut)).children : roots).push(node);
    return node;
  };
  const own = labels.filter((l) => !l.role && l.kind !== 'system');
  const byId = new Map(own.map((l) => [l.id, l]));
  const pathOf = (label: Label, depth = 0): string => {
    const parent = label.parent_id ? byId.get(label.parent_id) : undefined;
    return parent && depth < 20 ? `${pathOf(parent, depth + 1)}/${label.name}` : label.name;
  };
  const placed = own.map((label) => ({ label, path: pathOf(label) }));
  for (const { label, path } of placed.sort((a, b) => a.path.localeCompare(b.path))) nodeAt(path).label = label;
  return roots;
}

/** Whether the user can rename or delete it here: their own labels and folders (not the provider's, not categories). */
export function isEditable(label: Label): boolean {
  return !label.role && (label.kind === 'user' || label.kind === 'folder');
}
