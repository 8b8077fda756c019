import type { IndexDb } from '../db/openIndex.ts';
import { stmt } from '../db/statements.ts';
import { httpStatusOf } from '../providers/gmail/gmailErrors.ts';
import type { GmailSession } from '../providers/gmail/gmailSession.ts';
import type { GraphClient } from '../providers/graph/graphClient.ts';

interface PendingChange {
  id: number;
  message_remote_id: string;
  add_labels: string;
  remove_labels: string;
}

function pending(db: IndexDb, accountId: string): PendingChange[] {
  return stmt<[string], PendingChange>(
    db,
    'SELECT id, message_remote_id, add_labels, remove_labels FROM pending_changes WHERE account_id = ? ORDER BY id',
  ).all(accountId);
}

function done(db: IndexDb, ids: readonly number[]): void {
  const remove = stmt(db, 'DELETE FROM pending_changes WHERE id = ?');
  db.transaction(() => {
    for (const id of ids) remove.run(id);
  })();
}

/**
 * Gmail: changes with the same labels go out together through
 * messages.batchModify (up to 1,000 ids). A message deleted meanwhile (404) is
 * dropped; other failures leave the rows for the next push.
 */
export async function pushGmailChanges(db: IndexDb, session: GmailSession, accountId: string): Promise<number> {
  // Consecutive changes alike (one action over many messages) go in one batchModify; order is kept
  // across different ones (label, unlabel, label again ends labelled).
  const runs: PendingChange[][] = [];
  const key = (change: PendingChange) => `${change.add_labels}|${change.remove_labels}`;
  for (const change of pending(db, accountId)) {
    const last = runs.at(-1);
    if (last && key(last[0] as PendingChange) === key(change)) last.push(change);
    else runs.push([change]);
  }
  let pushed = 0;
  for (const changes of runs) {
    for (let i = 0; i < changes.length; i += 1000) {
      const chunk = changes.slice(i, i + 1000);
      await session.quota.take(50);
      try {
        await session.gmail.users.messages.batchModify({
          userId: 'me',
          requestBody: {
            ids: chunk.map((c) => c.message_remote_id),
            addLabelIds: JSON.parse((chunk[0] as PendingChange).add_labels) as string[],
            removeLabelIds: JSON.parse((chunk[0] as PendingChange).remove_labels) as string[],
          },
        });
      } catch (error) {
        if (httpStatusOf(error) !== 404 && httpStatusOf(error) !== 400) throw error;
      }
      done(
        db,
        chunk.map((c) => c.id),
      );
      pushed += chunk.length;
    }
  }
  return pushed;
}

function categoriesOf(db: IndexDb, accountId: string, remoteId: string): string[] {
  return stmt<[string, string], { name: string }>(
    db,
    `SELECT l.name FROM messages m JOIN message_labels ml ON ml.message_id = m.id JOIN labels l ON l.id = ml.label_id
      WHERE m.account_id = ? AND m.remote_id = ? AND l.kind = 'category' ORDER BY l.name`,
  )
    .all(accountId, remoteId)
    .map((r) => r.name);
}

/** Outlook: UNREAD/STARRED become isRead/flag; an added folder becomes a move; categories are set from the index. */
export async function pushGraphChanges(db: IndexDb, client: GraphClient, accountId: string): Promise<number> {
  let pushed = 0;
  for (const change of pending(db, accountId)) {
    const add = JSON.parse(change.add_labels) as string[];
    const remove = JSON.parse(change.remove_labels) as string[];
    const path = `/me/messages/${encodeURIComponent(change.message_remote_id)}`;
    const patch: Record<string, unknown> = {};
    if (add.includes('UNREAD')) patch.isRead = false;
    if (remove.includes('UNREAD')) patch.isRead = true;
    if (add.includes('STARRED')) patch.flag = { flagStatus: 'flagged' };
    if (remove.includes('STARRED')) patch.flag = { flagStatus: 'notFlagged' };
    // Graph sets categories as a whole list: the message's categories in the index now (later changes agree).
    if ([...add, ...remove].some((l) => l.startsWith('category:')))
      patch.categories = categoriesOf(db, accountId, change.message_remote_id);
    const folder = add.find((l) => l !== 'UNREAD' && l !== 'STARRED' && !l.startsWith('category:'));
    try {
      if (Object.keys(patch).length) await client.request(path, { method: 'PATCH', body: patch });
      if (folder) await client.request(`${path}/move`, { method: 'POST', body: { destinationId: folder } });
    } catch (error) {
      // The message is gone (deleted or moved elsewhere by another client): nothing left to change.
      if ((error as { status?: number }).status !== 404) throw error;
    }
    done(db, [change.id]);
    pushed++;
  }
  return pushed;
}
