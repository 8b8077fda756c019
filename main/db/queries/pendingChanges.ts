import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';
import type { LabelKind, LabelRole } from './labels.ts';

/** A label, folder or category as a change names it: the provider's id for it, and what it is. */
export interface PlaceRef {
  remoteId: string;
  kind: LabelKind;
  role: LabelRole | null;
}

/**
 * A change the user made to one message here, waiting to be told to its
 * provider. Typed, in the product's terms; each provider module in
 * main/providers/ translates it into its own API (Gmail label ids and
 * batchModify, Graph's isRead, flag, categories and move).
 */
export type MessageChange =
  | { type: 'read'; read: boolean }
  | { type: 'starred'; starred: boolean }
  /** User labels, Gmail's inbox tabs, Outlook categories: added or removed beside the message's place. */
  | { type: 'label'; add: PlaceRef[]; remove: PlaceRef[] }
  /**
   * The message changed place: into `to` (the inbox, archive, trash, spam, a folder; on Gmail also a label
   * that replaces the inbox) and out of `from`. `to` is null when it only left (Gmail's archive leaves the inbox).
   */
  | { type: 'move'; to: PlaceRef | null; from: PlaceRef[] };

export interface PendingChange {
  id: number;
  messageRemoteId: string;
  change: MessageChange;
}

interface PendingRow {
  id: number;
  message_remote_id: string;
  change_json: string;
}

/** Queues a change for the provider, in the caller's transaction (the local change and its record commit together). */
export function queueChange(db: WritableDb, accountId: string, messageRemoteId: string, change: MessageChange): void {
  stmt(db, 'INSERT INTO pending_changes (account_id, message_remote_id, change_json, created_at) VALUES (?, ?, ?, ?)').run(
    accountId,
    messageRemoteId,
    JSON.stringify(change),
    Date.now(),
  );
}

/** The account's waiting changes, in the order they were made. */
export function pendingChanges(db: ReadableDb, accountId: string): PendingChange[] {
  return stmt<[string], PendingRow>(
    db,
    'SELECT id, message_remote_id, change_json FROM pending_changes WHERE account_id = ? ORDER BY id',
  )
    .all(accountId)
    .map((row) => ({ id: row.id, messageRemoteId: row.message_remote_id, change: JSON.parse(row.change_json) as MessageChange }));
}

/** One message's waiting changes, in order (pending_changes_by_message). */
export function pendingChangesOfMessage(db: ReadableDb, accountId: string, messageRemoteId: string): MessageChange[] {
  return stmt<[string, string], { change_json: string }>(
    db,
    'SELECT change_json FROM pending_changes WHERE account_id = ? AND message_remote_id = ? ORDER BY id',
  )
    .all(accountId, messageRemoteId)
    .map((row) => JSON.parse(row.change_json) as MessageChange);
}

/** Forgets changes the provider has taken (or that no longer apply: the message is gone there). */
export function settleChanges(db: WritableDb, ids: readonly number[]): void {
  const remove = stmt(db, 'DELETE FROM pending_changes WHERE id = ?');
  transaction(db, () => {
    for (const id of ids) remove.run(id);
  });
}
