import type { Database } from 'better-sqlite3';

/**
 * Events made, changed and deleted here wait in event_edits until their
 * provider has them (main/calendar/eventEditPusher.ts), in the order they were
 * made, surviving restarts: each row is one typed edit (edit_json) of one event
 * (event_remote_id: the provider's id, or the id Outpost chose for an event it
 * creates until the provider answers with its own). events.etag is the
 * provider's version of the event as the last sync saw it (Google's etag,
 * Graph's changeKey), which a queued edit carries as base_etag so a push can
 * tell that the provider's copy changed meanwhile.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE events ADD COLUMN etag TEXT;

    CREATE TABLE event_edits (
      id              INTEGER PRIMARY KEY,
      account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      event_remote_id TEXT NOT NULL,
      edit_json       TEXT NOT NULL,
      base_etag       TEXT,
      created_at      INTEGER NOT NULL,
      attempts        INTEGER NOT NULL DEFAULT 0,
      last_error      TEXT
    );
    CREATE INDEX event_edits_by_account ON event_edits (account_id, id);
  `);
}
