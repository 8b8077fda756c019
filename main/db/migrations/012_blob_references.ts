import type { Database } from 'better-sqlite3';

/**
 * Removing an account frees the blobs only its messages used. Blobs are
 * content-addressed and shared (the same message in two accounts is stored
 * once), so each candidate is looked up among the raw messages still kept:
 * this index answers that lookup without scanning every message.
 */
export function up(db: Database): void {
  db.exec('CREATE INDEX messages_by_raw_blob ON messages (raw_sha256) WHERE raw_sha256 IS NOT NULL');
}
