import type { WritableDb } from '../db/handles.ts';
import { pendingChanges, settleChanges } from '../db/queries/pendingChanges.ts';
import type { AccountSession } from '../providers/accountProvider.ts';

/**
 * Tells the provider the user's local changes (archive, read, star, labels,
 * moves) before a sync pulls, so the sync brings them back confirmed instead
 * of undoing them. Each change the provider took is forgotten as it goes; a
 * failure leaves the rest queued for the next sync. Returns how many went.
 */
export async function pushPendingChanges(
  db: WritableDb,
  session: AccountSession,
  accountId: string,
  options: { scheduled?: boolean } = {},
): Promise<number> {
  const changes = pendingChanges(db, accountId);
  if (changes.length === 0) return 0;
  let pushed = 0;
  await session.pushChanges(
    changes,
    (ids) => {
      settleChanges(db, ids);
      pushed += ids.length;
    },
    options,
  );
  return pushed;
}
