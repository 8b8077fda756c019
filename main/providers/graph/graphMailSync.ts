import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../../db/blobStore.ts';
import type { WritableDb } from '../../db/handles.ts';
import { deleteLabel, labelsOfKind, upsertLabel } from '../../db/queries/labels.ts';
import { messageHasLabelByRemoteId, remoteIdsWithLabel } from '../../db/queries/messageLookups.ts';
import { deleteMessages, type MessageInput, writeMessages } from '../../db/queries/messageWrites.ts';
import {
  clearSeen,
  cursorsOfKind,
  deleteCursor,
  deleteCursorsOfKind,
  getCursor,
  markSeen,
  seenRemoteIds,
  setCursor,
} from '../../db/queries/syncCursors.ts';
import { transaction } from '../../db/transactions.ts';
import { countsWithModeRun, type SyncCounts } from '../accountProvider.ts';
import { graphAttachmentsOf } from './graphAttachments.ts';
import type { GraphClient } from './graphClient.ts';
import {
  categoryLabel,
  folderLabel,
  type GraphFolder,
  type GraphMessage,
  graphMessageInput,
  MESSAGE_SELECT,
} from './graphMessages.ts';

export interface GraphSyncContext {
  db: WritableDb;
  blobs: BlobStore;
  client: GraphClient;
  accountId: string;
  attachmentSizeCap: number;
  signal?: AbortSignal;
  reportProgress(done: number, total: number | null): void;
}

/** Per-folder position: a nextLink while a (re)sync is under way, the deltaLink once it is complete. */
interface FolderCursor {
  link: string;
  complete: boolean;
  reconcile: boolean;
  /**
   * The $select its links carry (MESSAGE_SELECT then). A delta link keeps the fields it
   * was made with, so a cursor made with other fields is walked again once: messages
   * synced before Outpost asked for inferenceClassification and internetMessageHeaders get them.
   */
  select?: string;
}

const DELTA_CURSOR = 'graph.delta';
const LEFT_CURSOR = 'graph.left';
const PAGE_SIZE = 100;

/** How a folder was read: its delta of changes, its first walk, or walked again and reconciled (asked to, or a 410). */
type FolderWalk = 'changes' | 'first' | 'again';

/**
 * Syncs every mail folder with its own message delta. Each page is applied
 * in one transaction with the folder's next link. A 410 (delta token no
 * longer valid) or a requested full sync resyncs that folder and then
 * removes what it no longer holds — never wiping the index. The counts say
 * a full sync ran when asked, on the first sync, or when any folder was
 * walked again.
 */
export async function graphMailSync(ctx: GraphSyncContext, options: { full: boolean }): Promise<SyncCounts> {
  const counts: SyncCounts = { messagesProcessed: 0, threadsProcessed: 0, messagesDeleted: 0 };
  const threads = new Set<string>();
  const folders = await listAllFolders(ctx.client);
  const folderRowIds = syncFolderLabels(ctx, folders);
  counts.messagesDeleted += folderRowIds.removedMessages;
  let done = 0;
  const expected = expectedTotal(ctx, folders, options.full);
  if (expected !== null) ctx.reportProgress(0, expected);
  const report = (processed: number) => {
    done += processed;
    ctx.reportProgress(done, expected === null ? null : Math.max(expected, done));
  };
  const walks: FolderWalk[] = [];
  for (const folder of folders) {
    ctx.signal?.throwIfAborted();
    const folderRowId = folderRowIds.ids.get(folder.id) as number;
    walks.push(await syncFolder(ctx, folder, folderRowId, { full: options.full, counts, threads, report }));
  }
  counts.messagesDeleted += settleLeftMessages(ctx);
  counts.threadsProcessed = threads.size;
  const firstSync = walks.length > 0 && walks.every((w) => w === 'first');
  return countsWithModeRun(counts, options.full || firstSync || walks.includes('again') ? 'full' : 'incremental');
}

/**
 * Messages a folder's delta reported gone ("@removed") on one page, with that folder's row id:
 * one cursor per page (written in the page's transaction), so a large deletion never rewrites
 * what earlier pages noted, and a run cut short settles them in the next one.
 */
interface LeftMessages {
  folderRowId: number;
  remoteIds: string[];
}

function noteLeftMessages(db: WritableDb, accountId: string, remoteIds: string[], folderRowId: number): void {
  const left: LeftMessages = { folderRowId, remoteIds };
  setCursor(db, accountId, LEFT_CURSOR, `${folderRowId}:${randomUUID()}`, JSON.stringify(left));
}

/**
 * Once every folder was walked: a message that left a folder and was not written by another
 * folder's walk (still labelled with the folder it left) was deleted, and goes; one moved
 * elsewhere was written there whichever folder came first, so it keeps its row, its
 * attachments' ids and stored bytes. Returns how many were deleted.
 */
function settleLeftMessages({ db, accountId }: GraphSyncContext): number {
  return transaction(db, () => {
    const gone: string[] = [];
    for (const stored of cursorsOfKind(db, accountId, LEFT_CURSOR)) {
      const { folderRowId, remoteIds } = JSON.parse(stored) as LeftMessages;
      for (const remoteId of remoteIds) if (messageHasLabelByRemoteId(db, accountId, remoteId, folderRowId)) gone.push(remoteId);
    }
    deleteCursorsOfKind(db, accountId, LEFT_CURSOR);
    return deleteMessages(db, accountId, gone);
  });
}

async function listAllFolders(client: GraphClient): Promise<GraphFolder[]> {
  const all: GraphFolder[] = [];
  const visit = async (url: string) => {
    for (let next: string | undefined = url; next; ) {
      const page: { value: GraphFolder[]; '@odata.nextLink'?: string } = await client.request(next);
      for (const folder of page.value) {
        all.push(folder);
        if ((folder.childFolderCount ?? 0) > 0)
          await visit(`/me/mailFolders/${encodeURIComponent(folder.id)}/childFolders?$top=100`);
      }
      next = page['@odata.nextLink'];
    }
  };
  await visit('/me/mailFolders?$top=100');
  return all;
}

/** Mirrors folders as labels; a folder gone from the mailbox takes its messages and cursor with it. */
function syncFolderLabels(ctx: GraphSyncContext, folders: readonly GraphFolder[]) {
  const { db, accountId } = ctx;
  return transaction(db, () => {
    const ids = new Map<string, number>();
    for (const folder of folders) ids.set(folder.id, upsertLabel(db, accountId, folderLabel(folder)));
    let removedMessages = 0;
    const stale = labelsOfKind(db, accountId, 'folder').filter((l) => !ids.has(l.remote_id));
    for (const label of stale) {
      removedMessages += deleteMessages(db, accountId, remoteIdsWithLabel(db, label.id));
      deleteLabel(db, label.id);
      deleteCursor(db, accountId, DELTA_CURSOR, label.remote_id);
    }
    return { ids, removedMessages };
  });
}

/**
 * The messages a sync that walks every folder from the start (asked to, or the first) will go
 * through: the folders' totalItemCount, announced as the job's total. Null when some folder only
 * reads its changes (their number is not known ahead).
 */
function expectedTotal(ctx: GraphSyncContext, folders: readonly GraphFolder[], full: boolean): number | null {
  let total = 0;
  for (const folder of folders) {
    const stored = getCursor(ctx.db, ctx.accountId, DELTA_CURSOR, folder.id);
    const cursor = stored ? (JSON.parse(stored) as FolderCursor) : null;
    if (!full && cursor?.complete && cursor.select === MESSAGE_SELECT) return null;
    total += folder.totalItemCount ?? 0;
  }
  return total;
}

interface FolderRun {
  full: boolean;
  counts: SyncCounts;
  threads: Set<string>;
  /** Messages of a page gone through (progress). */
  report(processed: number): void;
}

async function syncFolder(
  ctx: GraphSyncContext,
  folder: GraphFolder,
  folderRowId: number,
  { full, counts, threads, report }: FolderRun,
): Promise<FolderWalk> {
  const { db, accountId, client } = ctx;
  const initialLink = `/me/mailFolders/${encodeURIComponent(folder.id)}/messages/delta?$select=${MESSAGE_SELECT}`;
  const stored = getCursor(db, accountId, DELTA_CURSOR, folder.id);
  let cursor: FolderCursor = stored
    ? (JSON.parse(stored) as FolderCursor)
    : { link: initialLink, complete: false, reconcile: false };
  const hasLocal = remoteIdsWithLabel(db, folderRowId).length > 0;
  const startResync = () => {
    cursor = { link: initialLink, complete: false, reconcile: hasLocal || cursor.reconcile || full, select: MESSAGE_SELECT };
    transaction(db, () => {
      clearSeen(db, accountId, folder.id);
      setCursor(db, accountId, DELTA_CURSOR, folder.id, JSON.stringify(cursor));
    });
  };
  if (!stored || (full && cursor.complete) || cursor.select !== MESSAGE_SELECT) startResync();
  // A walk from the start (now, or resumed): reconciling is walking again; otherwise the folder's first walk.
  let walk: FolderWalk = cursor.complete ? 'changes' : cursor.reconcile ? 'again' : 'first';
  let restarts = 0;

  for (;;) {
    ctx.signal?.throwIfAborted();
    let page: { value: GraphMessage[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
    try {
      page = await client.request(cursor.link, { headers: { prefer: `odata.maxpagesize=${PAGE_SIZE}` } });
    } catch (error) {
      if ((error as { status?: number }).status === 410 && restarts++ === 0) {
        startResync(); // the delta token expired: walk the folder again and reconcile
        walk = 'again';
        continue;
      }
      throw error;
    }
    const removed = page.value.filter((m) => m['@removed']).map((m) => m.id);
    const present = page.value.filter((m) => !m['@removed']);
    const inputs: MessageInput[] = [];
    // The page's attachments at once: the mailbox limiter (graphClient) keeps it within Exchange's 4 in flight.
    const attachmentsOf = await Promise.all(present.map((message) => graphAttachmentsOf(ctx, message)));
    for (const [index, message] of present.entries()) {
      const attachments = attachmentsOf[index] ?? [];
      const labelIds = [
        folderRowId,
        ...(message.categories ?? []).map((name) => upsertLabel(db, accountId, categoryLabel(name))),
      ];
      inputs.push(graphMessageInput(message, labelIds, attachments, ctx));
      if (message.conversationId) threads.add(message.conversationId);
    }
    const nextLink = page['@odata.nextLink'];
    const deltaLink = page['@odata.deltaLink'];
    const next: FolderCursor = nextLink
      ? { ...cursor, link: nextLink }
      : { link: deltaLink ?? cursor.link, complete: true, reconcile: false, select: MESSAGE_SELECT };
    transaction(db, () => {
      writeMessages(db, accountId, inputs);
      // "@removed" from this folder: deleted, or moved away; settled once every folder was walked (settleLeftMessages).
      if (removed.length > 0) noteLeftMessages(db, accountId, removed, folderRowId);
      if (cursor.reconcile)
        markSeen(
          db,
          accountId,
          folder.id,
          present.map((m) => m.id),
        );
      if (!nextLink && cursor.reconcile) {
        const seen = seenRemoteIds(db, accountId, folder.id);
        counts.messagesDeleted += deleteMessages(
          db,
          accountId,
          remoteIdsWithLabel(db, folderRowId).filter((id) => !seen.has(id)),
        );
        clearSeen(db, accountId, folder.id);
      }
      setCursor(db, accountId, DELTA_CURSOR, folder.id, JSON.stringify(next));
    });
    counts.messagesProcessed += inputs.length + removed.length;
    report(page.value.length);
    cursor = next;
    if (!nextLink) return walk;
  }
}
