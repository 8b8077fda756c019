import type { Log } from '../../core/log.ts';
import type { ReadableDb } from '../../db/handles.ts';
import { categoryNamesOfMessage } from '../../db/queries/messageLookups.ts';
import type { PendingChange } from '../../db/queries/pendingChanges.ts';
import type { GraphClient } from './graphClient.ts';

/**
 * Pushes local changes to Outlook, one message at a time: read becomes
 * isRead, starred the follow-up flag, a category change the message's whole
 * category list as the index has it now (Graph sets them as one list; later
 * changes agree with it), a move a POST .../move into the folder. A message
 * gone meanwhile (deleted or moved elsewhere by another client, 404) has
 * nothing left to change: the change is dropped, and the log says so (with
 * immutable ids a 404 means the message is gone; if ids ever stopped being
 * immutable, this line is where it would show).
 */
export async function pushGraphChanges(
  db: ReadableDb,
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
      log.info(
        { account_id: accountId, change: change.type, message: messageRemoteId },
        'outlook dropped a change to a message it no longer has (404)',
      );
    }
    settle([id]);
  }
}
