import type { BlobStore } from '../../db/blobStore.ts';
import type { WritableDb } from '../../db/handles.ts';
import type { GmailSession } from './gmailSession.ts';

export type { SyncCounts } from '../accountProvider.ts';

/** What one Gmail sync run works with. */
export interface GmailSyncContext {
  db: WritableDb;
  blobs: BlobStore;
  session: GmailSession;
  accountId: string;
  attachmentSizeCap: number;
  signal?: AbortSignal;
  reportProgress(done: number, total: number | null): void;
}

export const HISTORY_CURSOR = 'gmail.history';
export const FULL_SYNC_CURSOR = 'gmail.full';
export const RESYNC_SCOPE = 'mail';
