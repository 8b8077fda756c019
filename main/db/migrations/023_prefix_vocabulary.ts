import type { Database } from 'better-sqlite3';

/**
 * The words messages_prefix holds, each once (an fts5vocab view: no storage,
 * read from the index itself). A typed prefix longer than the prefix indexes
 * (migration 020: 2, 3 and 4 characters) is looked up here and searched as
 * the few whole words it starts: FTS5 merges every doclist of a `linux*`
 * prefix into one before the first row (~35 ms over 100,000 messages, for the
 * total, the page and its conversations each), while `linux OR linuxconf OR ...`
 * is read lazily, newest first, and stops at the page.
 */
export function up(db: Database): void {
  db.exec('CREATE VIRTUAL TABLE messages_prefix_vocab USING fts5vocab(messages_prefix, row)');
}
