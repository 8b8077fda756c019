import type { Log } from '../../core/log.ts';
import type { WritableDb } from '../../db/handles.ts';
import { labelIdByRemoteId } from '../../db/queries/labels.ts';
import { returnMessageToFolder } from '../../db/queries/messageActions.ts';
import { categoryNamesOfMessage } from '../../db/queries/messageLookups.ts';
import { refreshThreads } from '../../db/queries/messageWrites.ts';
import type { PendingChange } from '../../db/queries/pendingChanges.ts';
import { transaction } from '../../db/transactions.ts';
import type { GraphClient } from './graphClient.ts';

/**
 * Pushes local changes to Outlook, one message at a time: read becomes
 * isRead, starred the follow-up flag, a category change the message's whole
 * category list as the index has it now (Graph sets them as one list; later
 * changes agree with it), a move a POST .../move into the folder. A message
 * gone meanwhile (deleted or moved elsewhere by another client, 404) has
 * nothing left to change: the change is dropped, and the log says so (with
 * immutable ids a 404 means the message is gone; if ids ever stopped being
 * immutable, this line is where it would show). A move answered 404 may
 * instead have lost its destination (a folder another client deleted): then
 * Outlook still has the message where it was, and the index puts it back there
 * (else the folder's removal would take the message out of the index).
 */
export async function pushGraphChanges(
  db: WritableDb,
  client: GraphClient,
  accountId: string,
  changes: readonly PendingChange[],
  settle: (ids: readonly number[]) => void,
  log: Log,
): Promise<void> {
  for (const { id, messageRemoteId, change } of changes) {
    const path = `/me/messages/${encodeURIComponent(messageRemoteId)}`;
    try {
      switch (change.type) {
        case 'read':
          await client.request(path, { method: 'PATCH', body: { isRead: change.read } });
          break;
        case 'starred':
          await client.request(path, {
            method: 'PATCH',
            body: { flag: { flagStatus: change.starred ? 'flagged' : 'notFlagged' } },
          });
          break;
        case 'label':
          await client.request(path, {
            method: 'PATCH',
            body: { categories: categoryNamesOfMessage(db, accountId, messageRemoteId) },
          });
          break;
        case 'move':
          if (change.to) await client.request(`${path}/move`, { method: 'POST', body: { destinationId: change.to.remoteId } });
          break;
      }
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      const stays = change.type === 'move' && (await returnedToItsFolder(db, client, accountId, messageRemoteId));
      log.info(
        { account_id: accountId, change: change.type, message: messageRemoteId },
        stays
          ? 'outlook refused a move into a folder it no longer has (404): the message stays where it is'
          : 'outlook dropped a change to a message it no longer has (404)',
      );
    }
    settle([id]);
  }
}

/** After a refused move: where Outlook has the message, if it still has it, becomes the index's folder for it too. */
async function returnedToItsFolder(db: WritableDb, client: GraphClient, accountId: string, remoteId: string): Promise<boolean> {
  let where: { parentFolderId?: string };
  try {
    where = await client.request(`/me/messages/${encodeURIComponent(remoteId)}?$select=parentFolderId`);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false; // the message itself is gone
    throw error;
  }
  const folder = where.parentFolderId ? labelIdByRemoteId(db, accountId, where.parentFolderId) : undefined;
  if (folder === undefined) return false;
  transaction(db, () => {
    const thread = returnMessageToFolder(db, accountId, remoteId, folder);
    if (thread !== undefined) refreshThreads(db, accountId, [thread], 'labels');
  });
  return true;
}
