import type { Database } from 'better-sqlite3';

/** Each account's signature, added below what is written in Compose (plain text; empty: none). */
export function up(db: Database): void {
  db.exec(`ALTER TABLE accounts ADD COLUMN signature TEXT NOT NULL DEFAULT ''`);
}
