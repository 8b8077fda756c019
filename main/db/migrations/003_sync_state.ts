import type { Database } from 'better-sqlite3';

/** Encrypted provider credentials, and the bookkeeping of reconciling resyncs. */
export function up(db: Database): void {
  db.exec(`
    -- Secrets sealed by the token vault (AES-256-GCM): refresh tokens, MSAL caches.
    CREATE TABLE credentials (
      account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      name        TEXT NOT NULL,
      sealed      BLOB NOT NULL,                     -- iv (12) | tag (16) | ciphertext
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (account_id, name)
    ) WITHOUT ROWID;

    -- Remote ids a reconciling full resync has seen so far, written with each
    -- page. Persisted so a resync killed half-way resumes without mistaking
    -- the messages of earlier pages for deleted ones.
    CREATE TABLE resync_seen (
      account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      scope       TEXT NOT NULL,                     -- 'mail', or a calendar/folder id
      remote_id   TEXT NOT NULL,
      PRIMARY KEY (account_id, scope, remote_id)
    ) WITHOUT ROWID;

    ALTER TABLE accounts ADD COLUMN last_synced_at INTEGER;
    ALTER TABLE accounts ADD COLUMN last_error TEXT;
  `);
}
