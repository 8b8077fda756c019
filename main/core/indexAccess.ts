import type { ReadableDb, WritableDb } from '../db/handles.ts';
import { migrateIndex, needsMigration, openIndex, openIndexReadOnly } from '../db/openIndex.ts';
import { acquireDataDirLock, DataDirBusyError } from './dataDirLock.ts';
import { refuseDamagedIndex } from './indexCondition.ts';
import type { Log } from './log.ts';
import { indexPath } from './paths.ts';

/**
 * How commands that run no engine open a data directory's index. (`serve`,
 * `sync` and `accounts connect|remove` open an engine, which holds the data
 * directory's lock for as long as it runs.)
 */

/**
 * For commands that only read (`search`, `agenda`, `accounts list`, `keys
 * list`): the index read-only, never created or migrated; null when there is
 * none yet. An index older than this build is refused (index_outdated) and
 * left as it is. A damaged index (main/core/indexCondition.ts) is refused
 * with one line (IndexDamagedError) in every opening below.
 */
export function openIndexForReading(dataDir: string, options: { log?: Log } = {}): ReadableDb | null {
  refuseDamagedIndex(dataDir);
  return openIndexReadOnly(indexPath(dataDir), options);
}

/**
 * For commands that write without an engine (`keys create|revoke`, `session
 * create`, `import-mbox`): the writer, created if needed. Only when the index
 * is older than this build is the data directory's lock taken, around the
 * migration alone, so a newer command never upgrades the index under a
 * running older `outpost serve`: it fails with data_dir_busy instead.
 */
export function openIndexForWriting(dataDir: string, options: { log?: Log } = {}): WritableDb {
  refuseDamagedIndex(dataDir);
  const db = openIndex(indexPath(dataDir), { migrate: false, ...options });
  try {
    if (needsMigration(db)) migrateHoldingLock(dataDir, db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * For commands that change mail without an engine (`import-mbox`): the
 * writer, with the data directory's lock held until `release()`, so such a
 * command never writes behind a running `outpost serve` or `sync` (it is
 * refused with data_dir_busy, naming the holder). `what` names this command
 * to whoever is refused meanwhile.
 */
export function openIndexExclusively(
  dataDir: string,
  what: string,
  options: { log?: Log } = {},
): { db: WritableDb; release(): void } {
  const lock = acquireDataDirLock(dataDir, null, what);
  try {
    refuseDamagedIndex(dataDir);
    const db = openIndex(indexPath(dataDir), options);
    return {
      db,
      release() {
        db.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function migrateHoldingLock(dataDir: string, db: WritableDb): void {
  let lock: ReturnType<typeof acquireDataDirLock>;
  try {
    lock = acquireDataDirLock(dataDir, null);
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    throw new DataDirBusyError(
      `the index needs an upgrade this Outpost makes, but ${error.message}; stop it, then run this again`,
      error.port,
    );
  }
  try {
    // Asked again under the lock: another command may have migrated it in between.
    if (needsMigration(db)) migrateIndex(db);
  } finally {
    lock.release();
  }
}
