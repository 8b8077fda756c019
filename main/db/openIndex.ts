import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Log } from '../core/log.ts';
import { OutpostError } from '../core/outpostError.ts';
import { createPrivateFile, makePrivateDir } from '../core/privateFiles.ts';
import { asReadable, asWritable, type ReadableDb, type WritableDb } from './handles.ts';
import { latestSchemaVersion, migrate, SchemaTooNewError } from './migrations/index.ts';
import { setQueryLog } from './statements.ts';
import { onAfterCommitError } from './transactions.ts';

export type { ReadableDb, WritableDb };

/** @deprecated during the move to branded handles: the writer. */
export type IndexDb = WritableDb;

/** A problem with the index file that the user must act on; never "fixed" by deleting data. */
export class IndexOpenError extends OutpostError {}

export interface OpenWriterOptions {
  /**
   * Bring the schema up to date (default). The caller must hold the data
   * directory's lock when a migration is due (main/core/indexAccess.ts does
   * both), so a newer Outpost never upgrades the index under an older one.
   */
  migrate?: boolean;
  /** Slow statements and failing after-commit effects are reported here. */
  log?: Log;
}

/**
 * Opens (creating if needed) the SQLite index at `path` read-write.
 * WAL lets readers (API requests, read-only commands) run while the writer commits.
 */
export function openIndex(path: string, options: OpenWriterOptions = {}): WritableDb {
  if (path !== ':memory:') checkLocation(path, false);
  let db: Database.Database;
  try {
    // 0600 before SQLite creates it: its -wal, -shm and -journal take the main file's mode.
    if (path !== ':memory:') createPrivateFile(path);
    db = new Database(path);
  } catch (error) {
    throw classifyOpenError(path, error, false);
  }
  try {
    db.pragma('busy_timeout = 5000');
    // Read the header before any write: a file that is not SQLite fails here,
    // and an index from a newer Outpost is refused before WAL mode rewrites it.
    db.pragma('schema_version');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestSchemaVersion) throw new SchemaTooNewError(version);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536'); // 64 MiB page cache
    const writer = asWritable(db);
    if (options.log) {
      const log = options.log;
      setQueryLog(writer, log);
      onAfterCommitError(writer, (error) => log.error({ err: error }, 'an after-commit listener failed'));
    }
    if (options.migrate ?? true) migrate(writer, options.log);
    return writer;
  } catch (error) {
    db.close();
    throw classifyOpenError(path, error, false);
  }
}

/**
 * Opens an existing index read-only: it is never created, migrated or
 * written. Null when there is no index yet. An index older than this build
 * is refused (index_outdated) rather than misread.
 */
export function openIndexReadOnly(path: string, options: { log?: Log } = {}): ReadableDb | null {
  if (!existsSync(path)) return null;
  checkLocation(path, true);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw classifyOpenError(path, error, true);
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('schema_version');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestSchemaVersion) throw new SchemaTooNewError(version);
    if (version < latestSchemaVersion)
      throw new IndexOpenError(
        'index_outdated',
        `${path} is from an older Outpost (schema ${version}, this build knows ${latestSchemaVersion}); run outpost serve or outpost sync once to upgrade it`,
      );
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -16384'); // 16 MiB: a reader's pages, the writer has its own cache
    const reader = asReadable(db);
    if (options.log) setQueryLog(reader, options.log);
    return reader;
  } catch (error) {
    db.close();
    throw classifyOpenError(path, error, true);
  }
}

/** A second connection to the writer's index for read paths: read-only, so SQLite refuses any write through it. */
export function openReader(writer: WritableDb, options: { log?: Log } = {}): ReadableDb {
  // An in-memory index (tests) cannot be opened twice: its writer is its reader.
  if (writer.memory) return writer;
  const reader = openIndexReadOnly(writer.name, options);
  if (!reader) throw new IndexOpenError('index_missing', `${writer.name} disappeared`);
  return reader;
}

/** Whether the index's schema is older than this build's (a migration is due). */
export function needsMigration(db: ReadableDb): boolean {
  return (db.pragma('user_version', { simple: true }) as number) < latestSchemaVersion;
}

/** Migrates an index opened with `migrate: false`; the caller holds the data directory's lock. */
export function migrateIndex(db: WritableDb): { from: number; to: number } {
  return migrate(db);
}

function checkLocation(path: string, readonly: boolean): void {
  const dir = dirname(path);
  if (!readonly) {
    try {
      makePrivateDir(dir);
    } catch (error) {
      throw new IndexOpenError(
        'index_unwritable',
        `cannot create data directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  if (!statSync(dir).isDirectory()) {
    throw new IndexOpenError('index_unwritable', `data directory ${dir} is not a directory`);
  }
  if (readonly) return;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new IndexOpenError('index_unwritable', `data directory ${dir} is not writable`);
  }
}

function classifyOpenError(path: string, error: unknown, readonly: boolean): Error {
  if (error instanceof OutpostError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new IndexOpenError(
      'index_corrupt',
      `${path} is not a valid Outpost index (${code}); it was left untouched: run outpost repair`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new IndexOpenError('index_locked', `${path} is locked by another process`);
  }
  if (
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_READONLY' ||
    code === 'SQLITE_PERM' ||
    code === 'EACCES' ||
    code === 'EPERM'
  ) {
    return new IndexOpenError('index_unwritable', `cannot open ${path}${readonly ? '' : ' for writing'} (${code})`);
  }
  return error as Error;
}
