import type { Database } from 'better-sqlite3';

/** Every send goes through the outbox first: the row is the promise that it is delivered exactly once. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE outbox (
      id                   TEXT PRIMARY KEY,           -- out_<ulid>
      account_id           TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      idempotency_key      TEXT UNIQUE,
      rfc822_message_id    TEXT NOT NULL,              -- fixed when composed: how an uncertain send is found again
      raw_sha256           TEXT NOT NULL REFERENCES blobs(sha256),
      provider_thread_id   TEXT,                       -- reply into this provider thread
      status               TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
      attempts             INTEGER NOT NULL DEFAULT 0,
      next_attempt_at      INTEGER NOT NULL,
      last_error           TEXT,
      provider_message_id  TEXT,
      created_at           INTEGER NOT NULL,
      sent_at              INTEGER
    );
    -- The delivery loop's "what is due" lookup.
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at) WHERE status IN ('queued', 'sending');
  `);
}
