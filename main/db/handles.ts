import type Database from 'better-sqlite3';

declare const READABLE: unique symbol;
declare const WRITABLE: unique symbol;

/**
 * A connection to the index that read paths receive: the API's read routes,
 * read-only commands (`outpost search`, `agenda`), renderers of pages. Query
 * functions that only read take this type. A handle opened read-only is one
 * of these and nothing more, so SQLite itself refuses a write through it.
 */
export type ReadableDb = Database.Database & { readonly [READABLE]: true };

/**
 * The writer: the engine's one read-write connection. Functions that write
 * take this type, so a read path cannot be handed one by mistake, and a
 * writer can be passed wherever a reader is expected (reads inside a write
 * transaction must see its own uncommitted rows).
 */
export type WritableDb = ReadableDb & { readonly [WRITABLE]: true };

/** Brands a connection opened read-write. Only main/db opens connections. */
export function asWritable(db: Database.Database): WritableDb {
  return db as WritableDb;
}

/** Brands a connection opened read-only (or a writer handed to a read path as a reader). */
export function asReadable(db: Database.Database): ReadableDb {
  return db as ReadableDb;
}
