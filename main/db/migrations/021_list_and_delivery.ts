import type { Database } from 'better-sqlite3';

/**
 * What `list:`, `deliveredto:` and `category:focused|other` search, from what
 * the messages say:
 * - message_header_addresses: a message's mailing lists (List-Id and List-Post
 *   as one dotted name each, its labels reversed: "ilug.linux.ie" is stored as
 *   "ie.linux.ilug", so a list's domain, `list:linux.ie`, is a range of the key)
 *   and its Delivered-To addresses. The primary key (kind, value, message_id)
 *   is the lookup of both operators; by_message serves rewrites and deletes.
 * - messages.inference_classification: Outlook's Focused Inbox verdict
 *   ('focused' | 'other'), NULL where the provider has none. Not indexed: the
 *   two values split a mailbox broadly, and a search walks messages newest
 *   first and filters (queryPlans test: no sort, no scan of all messages).
 * - messages.headers_to_read: 1 for messages stored before this version whose
 *   raw message is kept; main/mail/reindexStoredMessages.ts reads them again in
 *   the background (as for migration 018) and clears it. Outlook messages keep
 *   no raw message: theirs come with the next full sync.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE message_header_addresses (
      kind       TEXT NOT NULL CHECK (kind IN ('list', 'delivered_to')),
      value      TEXT NOT NULL,
      message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      PRIMARY KEY (kind, value, message_id)
    ) WITHOUT ROWID;
    CREATE INDEX message_header_addresses_by_message ON message_header_addresses (message_id);

    ALTER TABLE messages ADD COLUMN inference_classification TEXT
      CHECK (inference_classification IN ('focused', 'other'));
    ALTER TABLE messages ADD COLUMN headers_to_read INTEGER NOT NULL DEFAULT 0;
    UPDATE messages SET headers_to_read = 1 WHERE raw_sha256 IS NOT NULL;
    -- The messages still to be read again, and only them.
    CREATE INDEX messages_headers_to_read ON messages (id) WHERE headers_to_read = 1;
  `);
}
