import type { MessageChange, PendingChange } from '../../db/queries/pendingChanges.ts';
import { call } from './gmailFullSync.ts';
import type { GmailSession } from './gmailSession.ts';

/** messages.batchModify: 50 quota units, up to 1,000 ids. */
const BATCH_MODIFY_UNITS = 50;
const BATCH_MODIFY_IDS = 1000;

/** A typed change in Gmail's terms: the label ids it adds and removes (read and starred are the UNREAD and STARRED labels). */
export function gmailLabelChange(change: MessageChange): { addLabelIds: string[]; removeLabelIds: string[] } {
  switch (change.type) {
    case 'read':
      return change.read ? { addLabelIds: [], removeLabelIds: ['UNREAD'] } : { addLabelIds: ['UNREAD'], removeLabelIds: [] };
    case 'starred':
      return change.starred ? { addLabelIds: ['STARRED'], removeLabelIds: [] } : { addLabelIds: [], removeLabelIds: ['STARRED'] };
    case 'label':
      return { addLabelIds: change.add.map((l) => l.remoteId), removeLabelIds: change.remove.map((l) => l.remoteId) };
    case 'move':
      // A place is a label on Gmail: the new one added, the old ones taken off (archive only takes INBOX off).
      return {
        addLabelIds: change.to ? [change.to.remoteId] : [],
        removeLabelIds: change.from.map((l) => l.remoteId).filter((id) => id !== change.to?.remoteId),
      };
  }
}

/**
 * Pushes local changes through messages.batchModify: consecutive changes
 * alike (one action over many messages) go out together, up to 1,000 ids a
 * call, and order is kept across different ones (label, unlabel, label again
 * ends labelled). A message deleted meanwhile (404, or 400 for an id Gmail no
 * longer knows) is dropped; rate answers are retried like any Gmail call
 * (call()); other failures leave the rest for the next push.
 */
export async function pushGmailChanges(
  session: GmailSession,
  changes: readonly PendingChange[],
  settle: (ids: readonly number[]) => void,
  signal?: AbortSignal,
): Promise<void> {
  const runs: Array<{ key: string; modify: ReturnType<typeof gmailLabelChange>; changes: PendingChange[] }> = [];
  for (const change of changes) {
    const modify = gmailLabelChange(change.change);
    const key = JSON.stringify(modify);
    const last = runs.at(-1);
    if (last?.key === key) last.changes.push(change);
    else runs.push({ key, modify, changes: [change] });
  }
  for (const run of runs) {
    for (let i = 0; i < run.changes.length; i += BATCH_MODIFY_IDS) {
      const chunk = run.changes.slice(i, i + BATCH_MODIFY_IDS);
      try {
        await call({ session, signal }, BATCH_MODIFY_UNITS, () =>
          session.gmail.users.messages.batchModify(
            { userId: 'me', requestBody: { ids: chunk.map((c) => c.messageRemoteId), ...run.modify } },
            { signal },
          ),
        );
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status !== 404 && status !== 400) throw error;
        session.log.info({ status, messages: chunk.length }, 'gmail dropped changes to messages it no longer has');
      }
      settle(chunk.map((c) => c.id));
    }
  }
}
