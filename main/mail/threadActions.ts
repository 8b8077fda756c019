import type { IndexDb } from '../db/openIndex.ts';
import { refreshThread } from '../db/queries/messageWrites.ts';
import { stmt } from '../db/statements.ts';

export type ThreadAction = 'archive' | 'move_to_inbox' | 'mark_read' | 'mark_unread' | 'star' | 'unstar' | 'trash';

export const THREAD_ACTIONS: readonly ThreadAction[] = [
  'archive',
  'move_to_inbox',
  'mark_read',
  'mark_unread',
  'star',
  'unstar',
  'trash',
];

export class ThreadActionError extends Error {
  readonly code: 'not_found' | 'validation_error';
  constructor(code: ThreadActionError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

interface LabelRef {
  id: number;
  remote_id: string;
}

/**
 * A thread action in Gmail's model: labels and flags of the thread's
 * messages change in the index at once, and the same change is queued for
 * the provider (pending_changes) in the same transaction. Read/starred are
 * Gmail's UNREAD/STARRED labels; for Outlook, the pusher turns them into
 * isRead/flag and folder changes into moves.
 */
export function applyThreadAction(db: IndexDb, threadId: number, action: ThreadAction): { accountId: string; messages: number } {
  return db.transaction(() => {
    const thread = stmt<[number], { account_id: string; provider: string }>(
      db,
      'SELECT t.account_id, a.provider FROM threads t JOIN accounts a ON a.id = t.account_id WHERE t.id = ?',
    ).get(threadId);
    if (!thread) throw new ThreadActionError('not_found', `no thread thr_${threadId}`);
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
      }
    }
    refreshThread(db, threadId);
    return { accountId: thread.account_id, messages: messages.length };
  })();
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
