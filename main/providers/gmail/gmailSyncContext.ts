import type { BlobStore } from '../../db/blobStore.ts';
import type { IndexDb } from '../../db/openIndex.ts';
import type { GmailSession } from './gmailSession.ts';

/** What one Gmail sync run works with. */
export interface GmailSyncContext {
  db: IndexDb;
  blobs: BlobStore;
  session: GmailSession;
  accountId: string;
  attachmentSizeCap: number;
  signal?: AbortSignal;
  reportProgress(done: number, total: number | null): void;
}

/** Counts a sync reports (the API's messagesProcessed / threadsProcessed). */
export interface SyncCounts {
  messagesProcessed: number;
  threadsProcessed: number;
  messagesDeleted: number;
  [key: string]: number;
}

export const HISTORY_CURSOR = 'gmail.history';
export const FULL_SYNC_CURSOR = 'gmail.full';
export const RESYNC_SCOPE = 'mail';
