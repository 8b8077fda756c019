import { statSync } from 'node:fs';
import { DataDirBusyError } from '../core/dataDirLock.ts';
import { openIndexExclusively } from '../core/indexAccess.ts';
import { OutpostError } from '../core/outpostError.ts';
import { blobsDir } from '../core/paths.ts';
import { BlobStore } from '../db/blobStore.ts';
import { ensureAccount } from '../db/queries/accounts.ts';
import { refreshStatistics } from '../db/statistics.ts';
import { DEFAULT_LOCAL_ACCOUNT, importRawMessages } from '../mail/importRawMessages.ts';
import { readMbox } from '../mail/mbox.ts';

const DEFAULT_ATTACHMENT_CAP = 25 * 1024 * 1024;

/** Seeds the index from an mbox file into a local account, so Outpost shows real mail before any provider is connected. */
export async function importMboxCommand(options: { dataDir: string; file: string; account?: string | undefined }): Promise<void> {
  try {
    if (!statSync(options.file).isFile()) throw new OutpostError('validation_error', `${options.file} is not a file`);
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError('validation_error', `cannot read ${options.file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  const { db, release } = openWriterFor(options.dataDir);
  try {
    const account = ensureAccount(db, 'local', options.account ?? DEFAULT_LOCAL_ACCOUNT);
    const blobs = new BlobStore(db, blobsDir(options.dataDir));
    const result = await importRawMessages(db, blobs, account.id, readMbox(options.file), {
      attachmentSizeCap: DEFAULT_ATTACHMENT_CAP,
    }).catch((error: Error) => {
      throw error instanceof OutpostError ? error : new OutpostError('validation_error', error.message, { cause: error });
    });
    // So every search operator has its plan from the first search on (main/db/statistics.ts).
    refreshStatistics(db);
    process.stdout.write(`imported ${result.imported} messages into ${account.email}`);
    process.stdout.write(result.failed.length ? `; ${result.failed.length} could not be parsed\n` : '\n');
  } finally {
    release();
  }
}

/** The index with the data directory held: an import never writes behind a running serve or sync. */
function openWriterFor(dataDir: string): ReturnType<typeof openIndexExclusively> {
  try {
    return openIndexExclusively(dataDir, 'outpost import-mbox');
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    throw new DataDirBusyError(`${error.message}; stop it, then run this import again`, error.port);
  }
}
