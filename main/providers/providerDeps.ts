import type { TokenVault } from '../auth/tokenVault.ts';
import type { Log } from '../core/log.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';

/** What every provider module is built with, in the composition root: the index's writer, blobs, secrets and the log. */
export interface ProviderDeps {
  db: WritableDb;
  blobs: BlobStore;
  vault: TokenVault;
  log: Log;
  /** Attachments larger than this keep metadata only. */
  attachmentSizeCap: number;
}
