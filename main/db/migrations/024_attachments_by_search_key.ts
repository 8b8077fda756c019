import type { Database } from 'better-sqlite3';

/**
 * Messages with attachments, newest first: has:attachment is about 1 % of
 * mail, so its first page walked ~100 messages of messages_by_search_key per
 * result (and its conversations' batch ~15,000 over 100,000 messages). This
 * partial index holds only those messages (a few hundred kB per 100,000
 * messages), so the page reads just its rows and the total counts them exactly.
 */
export function up(db: Database): void {
  db.exec('CREATE INDEX messages_with_attachments ON messages (search_key) WHERE has_attachments = 1');
}
