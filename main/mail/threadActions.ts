import { OutpostError } from '../core/outpostError.ts';
import type { IndexDb } from '../db/openIndex.ts';
import { refreshThread } from '../db/queries/messageWrites.ts';
import { stmt } from '../db/statements.ts';

export type ThreadAction =
  | 'archive'
  | 'move_to_inbox'
  | 'mark_read'
  | 'mark_unread'
  | 'star'
  | 'unstar'
  | 'trash'
  | 'spam'
  | 'not_spam'
  | 'add_label'
  | 'remove_label'
  | 'move_to';

/** The actions that name a label (the index's label id). */
export const LABEL_ACTIONS: ReadonlySet<ThreadAction> = new Set(['add_label', 'remove_label', 'move_to']);

export class ThreadActionError extends OutpostError {
  declare readonly code: 'not_found' | 'validation_error';
  constructor(code: ThreadActionError['code'], message: string) {
    super(code, message);
  }
}

interface LabelRef {
  id: number;
  remote_id: string;
}

interface TargetLabel extends LabelRef {
  account_id: string;
  name: string;
  kind: 'system' | 'user' | 'folder' | 'category';
  role: string | null;
}

/**
 * A thread action in Gmail's model: labels and flags of the thread's
 * messages change in the index at once, and the same change is queued for
 * the provider (pending_changes) in the same transaction. Read/starred are
 * Gmail's UNREAD/STARRED labels; for Outlook, the pusher turns them into
 * isRead/flag, folder changes into moves and category changes into the
 * message's categories.
 *
 * Labels: add_label / remove_label take a Gmail label of the user's or
 * category (the inbox tabs), or an Outlook category; move_to takes a Gmail label (added, the thread leaves the
 * inbox, as Gmail's "Move to") or an Outlook folder.
 */
export function applyThreadAction(
  db: IndexDb,
  threadId: number,
  action: ThreadAction,
  labelId?: number,
): { accountId: string; messages: number } {
  return db.transaction(() => {
    const thread = stmt<[number], { account_id: string; provider: string }>(
      db,
      'SELECT t.account_id, a.provider FROM threads t JOIN accounts a ON a.id = t.account_id WHERE t.id = ?',
    ).get(threadId);
    if (!thread) throw new ThreadActionError('not_found', `no thread thr_${threadId}`);
    const target = LABEL_ACTIONS.has(action) ? labelFor(db, thread, action, labelId) : undefined;
    const role = (r: string) =>
      stmt<[string, string], LabelRef>(db, 'SELECT id, remote_id FROM labels WHERE account_id = ? AND role = ? LIMIT 1').get(
        thread.account_id,
        r,
      );
    const messages = stmt<[number], { id: number; remote_id: string; is_unread: number; is_starred: number }>(
      db,
      'SELECT id, remote_id, is_unread, is_starred FROM messages WHERE thread_id = ? ORDER BY sent_at',
    ).all(threadId);
    const latest = messages.at(-1);
    const queue = stmt(
      db,
      'INSERT INTO pending_changes (account_id, message_remote_id, add_labels, remove_labels, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const change = (
      messageId: number,
      remoteId: string,
      add: LabelRef[],
      remove: LabelRef[],
      flags: { unread?: boolean; starred?: boolean },
    ) => {
      for (const label of remove)
        stmt(db, 'DELETE FROM message_labels WHERE message_id = ? AND label_id = ?').run(messageId, label.id);
      for (const label of add)
        stmt(db, 'INSERT OR IGNORE INTO message_labels (message_id, label_id) VALUES (?, ?)').run(messageId, label.id);
      if (flags.unread !== undefined)
        stmt(db, 'UPDATE messages SET is_unread = ? WHERE id = ?').run(flags.unread ? 1 : 0, messageId);
      if (flags.starred !== undefined)
        stmt(db, 'UPDATE messages SET is_starred = ? WHERE id = ?').run(flags.starred ? 1 : 0, messageId);
      // A role label can be the flag's own label (Gmail's STARRED): each id once.
      const addIds = unique([
        ...add.map((l) => l.remote_id),
        ...(flags.unread === true ? ['UNREAD'] : []),
        ...(flags.starred === true ? ['STARRED'] : []),
      ]);
      const removeIds = unique([
        ...remove.map((l) => l.remote_id),
        ...(flags.unread === false ? ['UNREAD'] : []),
        ...(flags.starred === false ? ['STARRED'] : []),
      ]);
      // Imported mail (local accounts) has no provider to tell.
      if (thread.provider !== 'local')
        queue.run(thread.account_id, remoteId, JSON.stringify(addIds), JSON.stringify(removeIds), Date.now());
    };
    const inbox = role('inbox');
    const trash = role('trash');
    const starred = role('starred');
    const archive = role('archive');
    const spam = role('spam');
    if ((action === 'spam' || action === 'not_spam') && !spam)
      throw new ThreadActionError('validation_error', 'this account has no spam folder');
    // Outlook messages live in exactly one folder: a move leaves the current one.
    const foldersOf = (messageId: number) =>
      thread.provider === 'microsoft'
        ? stmt<[number], LabelRef>(
            db,
            `SELECT l.id, l.remote_id FROM message_labels ml JOIN labels l ON l.id = ml.label_id WHERE ml.message_id = ? AND l.kind = 'folder'`,
          ).all(messageId)
        : [];
    const moveTo = (m: { id: number; remote_id: string }, target: LabelRef | undefined, gmailRemove: LabelRef[]) => {
      if (!target && thread.provider === 'microsoft') return;
      const remove = thread.provider === 'microsoft' ? foldersOf(m.id).filter((f) => f.id !== target?.id) : gmailRemove;
      change(m.id, m.remote_id, target ? [target] : [], remove, {});
    };
    for (const m of messages) {
      switch (action) {
        case 'archive':
          // Gmail archives by removing INBOX; Outlook moves to the Archive folder.
          if (thread.provider === 'microsoft') moveTo(m, archive, []);
          else if (inbox) change(m.id, m.remote_id, [], [inbox], {});
          break;
        case 'move_to_inbox':
          moveTo(m, inbox, trash ? [trash] : []);
          break;
        case 'trash':
          moveTo(m, trash, inbox ? [inbox] : []);
          break;
        case 'spam':
          // Gmail: SPAM on and out of the inbox (Gmail learns from it); Outlook: into Junk Email.
          moveTo(m, spam, inbox ? [inbox] : []);
          break;
        case 'not_spam':
          moveTo(m, inbox, spam ? [spam] : []);
          break;
        case 'mark_read':
          if (m.is_unread) change(m.id, m.remote_id, [], [], { unread: false });
          break;
        case 'mark_unread':
          if (m.id === latest?.id) change(m.id, m.remote_id, [], [], { unread: true });
          break;
        case 'star':
          // Gmail stars the latest message of a thread.
          if (m.id === latest?.id) change(m.id, m.remote_id, starred ? [starred] : [], [], { starred: true });
          break;
        case 'unstar':
          if (m.is_starred) change(m.id, m.remote_id, [], starred ? [starred] : [], { starred: false });
          break;
        case 'add_label':
          if (target && !hasLabel(db, m.id, target.id)) change(m.id, m.remote_id, [target], [], {});
          break;
        case 'remove_label':
          if (target && hasLabel(db, m.id, target.id)) change(m.id, m.remote_id, [], [target], {});
          break;
        case 'move_to':
          if (target && thread.provider === 'microsoft') moveTo(m, target, []);
          else if (target) change(m.id, m.remote_id, [target], inbox && inbox.id !== target.id ? [inbox] : [], {});
          break;
      }
    }
    refreshThread(db, threadId);
    return { accountId: thread.account_id, messages: messages.length };
  })();
}

/** The label an action names: the thread's account's own, of a kind the action applies to. */
function labelFor(
  db: IndexDb,
  thread: { account_id: string; provider: string },
  action: ThreadAction,
  labelId: number | undefined,
): TargetLabel {
  if (labelId === undefined) throw new ThreadActionError('validation_error', `${action} needs a label_id`);
  const label = stmt<[number], TargetLabel>(
    db,
    'SELECT id, remote_id, account_id, name, kind, role FROM labels WHERE id = ?',
  ).get(labelId);
  if (!label) throw new ThreadActionError('not_found', `no label lbl_${labelId}`);
  if (label.account_id !== thread.account_id)
    throw new ThreadActionError('validation_error', `label ${label.name} belongs to another account than the thread`);
  const outlook = thread.provider === 'microsoft';
  if (action === 'move_to') {
    const movable = outlook ? label.kind === 'folder' : label.kind === 'user' || label.role === 'inbox';
    if (!movable)
      throw new ThreadActionError(
        'validation_error',
        outlook
          ? `${label.name} is not a folder: only folders take moves`
          : `cannot move to ${label.name}: choose one of your labels`,
      );
  } else if (!(outlook ? label.kind === 'category' : label.kind === 'user' || label.kind === 'category')) {
    throw new ThreadActionError(
      'validation_error',
      outlook
        ? `${label.name} is not a category (an Outlook folder is a move: use move_to)`
        : `${label.name} is not one of your labels (use archive, trash, star or mark_read for system ones)`,
    );
  }
  return label;
}

function hasLabel(db: IndexDb, messageId: number, labelId: number): boolean {
  return (
    stmt<[number, number], { one: number }>(db, 'SELECT 1 AS one FROM message_labels WHERE message_id = ? AND label_id = ?').get(
      messageId,
      labelId,
    ) !== undefined
  );
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
