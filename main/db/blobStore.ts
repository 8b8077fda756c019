import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../core/privateFiles.ts';
import type { IndexDb } from './openIndex.ts';
import { stmt } from './statements.ts';

/**
 * Content-addressed files (attachments, raw messages) under <dataDir>/blobs.
 * The same bytes are stored once however many messages carry them. The file
 * is written (temp + rename) before its row, so a row never points at a
 * missing or half-written file.
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
    stmt(this.#db, 'INSERT OR IGNORE INTO blobs (sha256, size_bytes) VALUES (?, ?)').run(sha256, bytes.byteLength);
    return sha256;
  }

  read(sha256: string): Buffer {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a blob id: ${sha256}`);
    return readFileSync(this.pathOf(sha256));
  }

  pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }
}
