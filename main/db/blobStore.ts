import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../core/privateFiles.ts';
import type { IndexDb } from './openIndex.ts';
import { blobRowExists, recordStoredBlob } from './queries/blobReferences.ts';

/**
 * Content-addressed files (attachments, raw messages) under <dataDir>/blobs.
 * The same bytes are stored once however many messages carry them. The file
 * is written (temp + rename) before its row, so a row never points at a
 * missing or half-written file.
 *
 * Files are deleted only by deleteFiles, after the clean-up
 * (main/sync/blobCleanup.ts) committed the removal of their rows. A blob
 * stored again meanwhile keeps its file: put writes the file again when it
 * is missing, and deleteFiles leaves any file whose row is back. Put, and
 * deleteFiles' check-then-delete of each file, are synchronous, so within the
 * one engine that holds the data directory (main/core/dataDirLock.ts) neither
 * can come between the other's check and its write; and put notes every blob
 * it stores, so one not yet referred to (its message written a page later) is
 * not freed before the grace period.
 */
export class BlobStore {
  readonly dir: string;
  readonly #db: IndexDb;

  constructor(db: IndexDb, dir: string) {
    this.#db = db;
    this.dir = dir;
  }

  put(bytes: Uint8Array): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      // Only the user may read what is stored (main/core/privateFiles.ts), whatever the umask.
      mkdirSync(join(this.dir, sha256.slice(0, 2)), { recursive: true, mode: PRIVATE_DIR_MODE });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(temp, bytes, { mode: PRIVATE_FILE_MODE });
      renameSync(temp, path);
    }
    recordStoredBlob(this.#db, sha256, bytes.byteLength, Date.now());
    return sha256;
  }

  /**
   * Deletes the files of freed blobs (their rows already deleted and committed). Each file's row
   * is checked and the file deleted in one synchronous step, so a blob stored again before
   * (its row back) keeps its file, and callers may let the event loop run between calls.
   */
  deleteFiles(sha256s: readonly string[]): void {
    for (const sha256 of sha256s) {
      if (blobRowExists(this.#db, sha256)) continue;
      rmSync(this.pathOf(sha256), { force: true });
    }
  }

  read(sha256: string): Buffer {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a blob id: ${sha256}`);
    return readFileSync(this.pathOf(sha256));
  }

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }
}
