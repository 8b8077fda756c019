import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import { getLabel, type LabelRole, type LabelRow, labelByRole } from '../db/queries/labels.ts';
import {
  type ActionMessage,
  changeMessage,
  foldersOfMessage,
  messageHasLabel,
  messagesForAction,
  threadOwner,
} from '../db/queries/messageActions.ts';
import { refreshThreads } from '../db/queries/messageWrites.ts';
import { type MessageChange, type PlaceRef, queueChange } from '../db/queries/pendingChanges.ts';
import { transaction } from '../db/transactions.ts';
import { describeProvider } from '../providers/descriptions.ts';

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

/** What one message of the thread undergoes: labels in the index, flags, and the record queued for its provider. */
interface MessageEffect {
  add: LabelRow[];
  remove: LabelRow[];
  unread?: boolean;
  starred?: boolean;
  change: MessageChange;
}

/**
 * A thread action: its messages' labels and flags change in the index at
 * once, and a typed change (read, starred, label, move) is queued for the
 * provider in the same transaction; the provider's module translates it.
 * How an action lands depends on how the account organizes mail
 * (capabilities.organization): with labels (Gmail) archive takes the inbox
 * label off and a move adds a label and leaves the inbox; with folders
 * (Outlook) every move takes the message out of its folder into another, and
 * archive is a move into the Archive folder.
 *
 * add_label / remove_label take one of the user's labels or categories (Gmail
 * labels and inbox tabs, Outlook categories); move_to takes a Gmail label of
 * the user's (or the inbox) or an Outlook folder.
 */
export function applyThreadAction(
  db: WritableDb,
  threadId: number,
  action: ThreadAction,
  labelId?: number,
): { accountId: string; messages: number } {
  return transaction(db, () => {
    const owner = threadOwner(db, threadId);
    if (!owner) throw new ThreadActionError('not_found', `no thread thr_${threadId}`);
    const capabilities = describeProvider(owner.provider).capabilities;
    const folders = capabilities.organization === 'folders';
    const target = LABEL_ACTIONS.has(action) ? labelFor(db, owner.accountId, folders, action, labelId) : undefined;
    const role = (r: LabelRole) => labelByRole(db, owner.accountId, r);
    if ((action === 'spam' || action === 'not_spam') && !role('spam'))
      throw new ThreadActionError('validation_error', 'this account has no spam folder');
    const messages = messagesForAction(db, threadId);
    const latest = messages.at(-1);
    const plan = (message: ActionMessage): MessageEffect | null => {
      const move = (to: LabelRow | undefined, labelsLeft: LabelRow[]): MessageEffect | null => {
        // A folder is left for another; a label place is added and the places it replaces taken off.
        if (folders && !to) return null;
        const from = folders ? foldersOfMessage(db, message.id).filter((f) => f.id !== to?.id) : labelsLeft;
        return { add: to ? [to] : [], remove: from, change: { type: 'move', to: to ? ref(to) : null, from: from.map(ref) } };
      };
      const places = (...roles: LabelRole[]) => roles.map(role).filter((l): l is LabelRow => l !== undefined);
      switch (action) {
        case 'archive':
          // Labels: archiving takes the inbox label off; folders: into the Archive folder.
          return folders ? move(role('archive'), []) : places('inbox').length ? move(undefined, places('inbox')) : null;
        case 'move_to_inbox':
          return move(role('inbox'), places('trash'));
        case 'trash':
          return move(role('trash'), places('inbox'));
        case 'spam':
          // Labels: the spam label on and out of the inbox (the provider learns from it); folders: into Junk.
          return move(role('spam'), places('inbox'));
        case 'not_spam':
          return move(role('inbox'), places('spam'));
        case 'mark_read':
          return message.isUnread ? { add: [], remove: [], unread: false, change: { type: 'read', read: true } } : null;
        case 'mark_unread':
          // Gmail marks the newest message unread.
          return message.id === latest?.id ? { add: [], remove: [], unread: true, change: { type: 'read', read: false } } : null;
        case 'star':
          // Gmail stars the newest message; where starring is also a label (Gmail's STARRED), it is added too.
          return message.id === latest?.id
            ? { add: places('starred'), remove: [], starred: true, change: { type: 'starred', starred: true } }
            : null;
        case 'unstar':
          return message.isStarred
            ? { add: [], remove: places('starred'), starred: false, change: { type: 'starred', starred: false } }
            : null;
        case 'add_label':
          return target && !messageHasLabel(db, message.id, target.id)
            ? { add: [target], remove: [], change: { type: 'label', add: [ref(target)], remove: [] } }
            : null;
        case 'remove_label':
          return target && messageHasLabel(db, message.id, target.id)
            ? { add: [], remove: [target], change: { type: 'label', add: [], remove: [ref(target)] } }
            : null;
        case 'move_to':
          if (!target) return null;
          // Gmail's "Move to": the label added and the inbox left (unless the label is the inbox).
          return move(
            target,
            places('inbox').filter((l) => l.id !== target.id),
          );
      }
    };
    let what: 'flags' | 'labels' = 'labels';
    for (const message of messages) {
      const effect = plan(message);
      if (!effect) continue;
      if (effect.change.type === 'read' || effect.change.type === 'starred') what = 'flags';
      changeMessage(db, message.id, {
        add: effect.add.map((l) => l.id),
        remove: effect.remove.map((l) => l.id),
        ...(effect.unread !== undefined ? { unread: effect.unread } : {}),
        ...(effect.starred !== undefined ? { starred: effect.starred } : {}),
      });
      // Imported mail has no provider to tell.
      if (capabilities.sync) queueChange(db, owner.accountId, message.remoteId, effect.change);
    }
    refreshThreads(db, owner.accountId, [threadId], what);
    return { accountId: owner.accountId, messages: messages.length };
  });
}

function ref(label: LabelRow): PlaceRef {
  return { remoteId: label.remote_id, kind: label.kind, role: label.role };
}

/** The label an action names: the thread's account's own, of a kind the action applies to. */
function labelFor(
  db: WritableDb,
  accountId: string,
  folders: boolean,
  action: ThreadAction,
  labelId: number | undefined,
): LabelRow {
  if (labelId === undefined) throw new ThreadActionError('validation_error', `${action} needs a label_id`);
  const label = getLabel(db, labelId);
  if (!label) throw new ThreadActionError('not_found', `no label lbl_${labelId}`);
  if (label.account_id !== accountId)
    throw new ThreadActionError('validation_error', `label ${label.name} belongs to another account than the thread`);
  if (action === 'move_to') {
    const movable = folders ? label.kind === 'folder' : label.kind === 'user' || label.role === 'inbox';
    if (!movable)
      throw new ThreadActionError(
        'validation_error',
        folders
          ? `${label.name} is not a folder: only folders take moves`
          : `cannot move to ${label.name}: choose one of your labels`,
      );
  } else if (!(folders ? label.kind === 'category' : label.kind === 'user' || label.kind === 'category')) {
    throw new ThreadActionError(
      'validation_error',
      folders
        ? `${label.name} is not a category (a folder is a move: use move_to)`
        : `${label.name} is not one of your labels (use archive, trash, star or mark_read for system ones)`,
    );
  }
  return label;
}
