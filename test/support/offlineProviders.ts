import { randomBytes } from 'node:crypto';
import { TokenVault } from '../../main/auth/tokenVault.ts';
import { silentLog } from '../../main/core/log.ts';
import type { BlobStore } from '../../main/db/blobStore.ts';
import type { WritableDb } from '../../main/db/handles.ts';
import { DEFAULT_GMAIL_QUOTA } from '../../main/providers/gmail/gmailSession.ts';
import { ProviderRegistry } from '../../main/providers/registry.ts';

/** Providers with no OAuth client configured: nothing reaches Google or Microsoft (tests of the index and the API). */
export function offlineProviders(db: WritableDb, blobs: BlobStore): ProviderRegistry {
  return ProviderRegistry.create(
    { google: null, microsoft: null },
    {
      db,
      blobs,
      vault: new TokenVault(db, randomBytes(32)),
      log: silentLog,
      attachmentSizeCap: 25 * 1024 * 1024,
      gmailQuota: DEFAULT_GMAIL_QUOTA,
    },
  );
}
