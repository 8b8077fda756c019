import type { gmail_v1 } from '@googleapis/gmail';
import { existingRemoteIds } from '../../db/queries/messageLookups.ts';
import { deleteMessages, updateMessageState, writeMessages } from '../../db/queries/messageWrites.ts';
import { getCursor, setCursor } from '../../db/queries/syncCursors.ts';
import { transaction } from '../../db/transactions.ts';
import { CursorExpiredError } from '../providerErrors.ts';
import { httpStatusOf } from './gmailErrors.ts';
import { fetchMessages, QUOTA_UNITS } from './gmailFetch.ts';
import { call } from './gmailFullSync.ts';
import { syncGmailLabels } from './gmailLabelSync.ts';
import { messageState, toMessageInputs } from './gmailPageWriter.ts';
import { type GmailSyncContext, HISTORY_CURSOR, type SyncCounts } from './gmailSyncContext.ts';

/** The net effect of a page of history records, in record order: last word wins per message. */
interface PageEffects {
  added: Set<string>;
  deleted: Set<string>;
  /** Message id -> its full label set as of its latest record on the page. */
  labelSets: Map<string, string[]>;
  /** Messages whose latest record did not carry labels: fetch them (minimal). */
  needLabels: Set<string>;
  threads: Set<string>;
}

export function pageEffects(records: readonly gmail_v1.Schema$History[]): PageEffects {
  const effects: PageEffects = {
    added: new Set(),
    deleted: new Set(),
    labelSets: new Map(),
    needLabels: new Set(),
    threads: new Set(),
  };
  const touch = (message: gmail_v1.Schema$Message | undefined, kind: 'added' | 'deleted' | 'labels') => {
    if (!message?.id) return;
    const id = message.id;
    if (message.threadId) effects.threads.add(message.threadId);
    if (kind === 'deleted') {
      effects.deleted.add(id);
      effects.added.delete(id);
      effects.labelSets.delete(id);
      effects.needLabels.delete(id);
      return;
    }
    if (kind === 'added') {
      effects.added.add(id);
      effects.deleted.delete(id);
    }
    if (message.labelIds) {
      effects.labelSets.set(id, message.labelIds);
      effects.needLabels.delete(id);
    } else {
      effects.labelSets.delete(id);
      effects.needLabels.add(id);
    }
  };
  for (const record of records) {
    for (const r of record.messagesAdded ?? []) touch(r.message, 'added');
    for (const r of record.messagesDeleted ?? []) touch(r.message, 'deleted');
    for (const r of record.labelsAdded ?? []) touch(r.message, 'labels');
    for (const r of record.labelsRemoved ?? []) touch(r.message, 'labels');
  }
  return effects;
}

/**
 * Applies Gmail history since the stored historyId. Each page is one
 * transaction with the cursor (the page's last record id; the mailbox's
 * historyId after the last page). A 404 means the id is older than Gmail
 * keeps history for: the caller falls back to a reconciling full sync.
 */
export async function gmailHistorySync(ctx: GmailSyncContext): Promise<SyncCounts> {
  const { db, session, accountId, signal } = ctx;
  const startHistoryId = getCursor(db, accountId, HISTORY_CURSOR);
  if (!startHistoryId) throw new CursorExpiredError('no history position stored yet');
  const counts: SyncCounts = { messagesProcessed: 0, threadsProcessed: 0, messagesDeleted: 0 };
  const threads = new Set<string>();
  const labels = await syncGmailLabels(db, session, accountId, signal);
  let pageToken: string | undefined;
  let done = 0;

  do {
    let page: gmail_v1.Schema$ListHistoryResponse;
    try {
      page = (
        await call(ctx, QUOTA_UNITS.historyList, () =>
          session.gmail.users.history.list(
            {
              userId: 'me',
              startHistoryId,
              maxResults: 500,
              historyTypes: ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'],
              ...(pageToken ? { pageToken } : {}),
            },
            { signal },
          ),
        )
      ).data;
    } catch (error) {
      if (httpStatusOf((error as { cause?: unknown }).cause) === 404)
        throw new CursorExpiredError(`Gmail no longer has history since ${startHistoryId}`);
      throw error;
    }
    const records = page.history ?? [];
    const effects = pageEffects(records);
    const labelled = [...effects.labelSets.keys()];
    const present = existingRemoteIds(db, accountId, [...effects.added, ...labelled, ...effects.needLabels]);
    // Added messages, and label changes to messages the index never had, need the full message.
    const fetchFull = [...new Set([...effects.added, ...labelled, ...effects.needLabels])].filter((id) => !present.has(id));
    const fetchLabels = [...effects.needLabels].filter((id) => present.has(id));
    const [full, minimal] = await Promise.all([
      fetchMessages(session, fetchFull, 'raw', signal),
      fetchMessages(session, fetchLabels, 'minimal', signal),
    ]);
    const inputs = await toMessageInputs(
      [...full.values()].filter((m) => m !== null),
      labels,
      ctx,
    );
    const lastRecordId = records.at(-1)?.id;
    const cursor = page.nextPageToken
      ? (lastRecordId ?? startHistoryId)
      : String(page.historyId ?? lastRecordId ?? startHistoryId);
    transaction(db, () => {
      writeMessages(db, accountId, inputs);
      for (const [id, labelIds] of effects.labelSets)
        if (present.has(id)) updateMessageState(db, accountId, id, messageState(labels, labelIds));
      for (const message of minimal.values())
        if (message) updateMessageState(db, accountId, message.id, messageState(labels, message.labelIds));
      counts.messagesDeleted += deleteMessages(db, accountId, [
        ...effects.deleted,
        ...[...full].filter(([, m]) => m === null).map(([id]) => id),
      ]);
      setCursor(db, accountId, HISTORY_CURSOR, '', cursor);
    });
    counts.messagesProcessed += inputs.length + effects.labelSets.size + effects.deleted.size;
    for (const t of effects.threads) threads.add(t);
    done += records.length;
    ctx.reportProgress(done, null);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);

  counts.threadsProcessed = threads.size;
  return counts;
}
