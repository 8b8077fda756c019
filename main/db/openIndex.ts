import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { latestSchemaVersion, migrate, SchemaTooNewError } from './migrations/index.ts';

export type IndexDb = Database.Database;

/** A problem with the index file that the user must act on; never "fixed" by deleting data. */
export class IndexOpenError extends Error {
  readonly code: 'index_corrupt' | 'index_unwritable' | 'index_too_new' | 'index_locked';
  constructor(code: IndexOpenError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Opens (creating if needed) the SQLite index at `path` and migrates it.
 * WAL lets readers (API requests) run while the sync writer commits.
 */
export function openIndex(path: string, options: { readonly?: boolean } = {}): IndexDb {
  if (path !== ':memory:') checkLocation(path, options.readonly ?? false);
  let db: IndexDb;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw classifyOpenError(path, error);
  }
  try {
    db.pragma('busy_timeout = 5000');
    // Read the header before any write: a file that is not SQLite fails here,
    // and an index from a newer Outpost is refused before WAL mode rewrites it.
    db.pragma('schema_version');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestSchemaVersion) throw new SchemaTooNewError(version);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536'); // 64 MiB page cache
    if (!options.readonly) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw classifyOpenError(path, error);
  }
}

function checkLocation(path: string, readonly: boolean): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new IndexOpenError(
      'index_unwritable',
      `cannot create data directory ${dir}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
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

function classifyOpenError(path: string, error: unknown): Error {
  if (error instanceof IndexOpenError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'index_too_new') return error as Error;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new IndexOpenError(
      'index_corrupt',
      `${path} is not a valid Outpost index (${code}); it was left untouched — move it aside to start a new index`,
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new IndexOpenError('index_locked', `${path} is locked by another process`);
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return new IndexOpenError('index_unwritable', `cannot open ${path} for writing (${code})`);
  }
  return error as Error;
}
