import type { Database } from 'better-sqlite3';

/**
 * The first schema of the index. Sized for ~1M messages across several
 * accounts: list views read narrow index rows (thread_labels), never scan
 * messages; bodies live in the same row as headers because a thread view
 * reads both, and SQLite keeps large values in overflow pages that list
 * queries never touch.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE accounts (
      id            TEXT PRIMARY KEY,                 -- uuid
      provider      TEXT NOT NULL CHECK (provider IN ('gmail', 'microsoft', 'local')),
      email         TEXT NOT NULL,
      display_name  TEXT,
      status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'needs_reauth', 'disconnected')),
      created_at    INTEGER NOT NULL,
      UNIQUE (provider, email)
    );

    -- Gmail labels, Outlook folders and categories share one model.
    CREATE TABLE labels (
      id          INTEGER PRIMARY KEY,
      account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      remote_id   TEXT NOT NULL,
      name        TEXT NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('system', 'user', 'folder', 'category')),
      role        TEXT,                               -- inbox, sent, drafts, trash, spam, starred, important, archive
      UNIQUE (account_id, remote_id)
    );
    -- Resolving "the inbox of every account" for the unified views.
    CREATE INDEX labels_by_role ON labels (role, account_id) WHERE role IS NOT NULL;

    CREATE TABLE threads (
      id               INTEGER PRIMARY KEY,
      account_id       TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      remote_id        TEXT NOT NULL,
      subject          TEXT NOT NULL DEFAULT '',
      snippet          TEXT NOT NULL DEFAULT '',
      last_message_at  INTEGER NOT NULL DEFAULT 0,   -- ms since epoch
      message_count    INTEGER NOT NULL DEFAULT 0,
      unread_count     INTEGER NOT NULL DEFAULT 0,
      has_attachments  INTEGER NOT NULL DEFAULT 0,
      participants     TEXT NOT NULL DEFAULT '[]',   -- JSON [{name,email}], senders in order of first appearance
      UNIQUE (account_id, remote_id)
    );
    -- "All mail" of one account, newest first.
    CREATE INDEX threads_by_account_date ON threads (account_id, last_message_at DESC, id DESC);

    CREATE TABLE messages (
      id                 INTEGER PRIMARY KEY,
      account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      thread_id          INTEGER NOT NULL REFERENCES threads(id),
      remote_id          TEXT NOT NULL,
      rfc822_message_id  TEXT,                        -- Message-ID header, without <>
      in_reply_to        TEXT,
      references_ids     TEXT NOT NULL DEFAULT '',    -- space separated, without <>
      subject            TEXT NOT NULL DEFAULT '',
      from_name          TEXT NOT NULL DEFAULT '',
      from_email         TEXT NOT NULL DEFAULT '',
      to_json            TEXT NOT NULL DEFAULT '[]',
      cc_json            TEXT NOT NULL DEFAULT '[]',
      bcc_json           TEXT NOT NULL DEFAULT '[]',
      reply_to_json      TEXT NOT NULL DEFAULT '[]',
      from_text          TEXT NOT NULL DEFAULT '',    -- sender name and address, for full-text search
      recipients_text    TEXT NOT NULL DEFAULT '',    -- to/cc/bcc names and addresses, for full-text search
      sent_at            INTEGER NOT NULL,            -- ms since epoch (Date header, or internal date)
      snippet            TEXT NOT NULL DEFAULT '',
      body_text          TEXT NOT NULL DEFAULT '',
      body_html          TEXT,                        -- stored as received; sanitized where shown
      size_bytes         INTEGER NOT NULL DEFAULT 0,
      is_unread          INTEGER NOT NULL DEFAULT 0,
      is_starred         INTEGER NOT NULL DEFAULT 0,
      is_important       INTEGER NOT NULL DEFAULT 0,
      is_draft           INTEGER NOT NULL DEFAULT 0,
      has_attachments    INTEGER NOT NULL DEFAULT 0,
      raw_sha256         TEXT,                        -- content-addressed raw RFC 822, when kept
      UNIQUE (account_id, remote_id)
    );
    -- A thread's messages in order.
    CREATE INDEX messages_by_thread ON messages (thread_id, sent_at);
    -- Threading incoming mail by In-Reply-To / References.
    CREATE INDEX messages_by_rfc822_id ON messages (account_id, rfc822_message_id) WHERE rfc822_message_id IS NOT NULL;
    -- Date-range queries (before:/after:) within one account.
    CREATE INDEX messages_by_account_date ON messages (account_id, sent_at);
    -- Search results without words (is:unread, label:x), newest first across accounts.
    CREATE INDEX messages_by_date ON messages (sent_at);

    CREATE TABLE message_labels (
      message_id  INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      label_id    INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
      PRIMARY KEY (message_id, label_id)
    ) WITHOUT ROWID;
    CREATE INDEX message_labels_by_label ON message_labels (label_id, message_id);

    -- A thread is in a label when any of its messages is (Gmail's rule).
    -- Kept in step with message_labels by the write path, so the list view
    -- for a label is one index range scan, newest first.
    CREATE TABLE thread_labels (
      label_id         INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
      thread_id        INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
      last_message_at  INTEGER NOT NULL,
      PRIMARY KEY (label_id, thread_id)
    ) WITHOUT ROWID;
    CREATE INDEX thread_labels_by_date ON thread_labels (label_id, last_message_at DESC, thread_id DESC);
    CREATE INDEX thread_labels_by_thread ON thread_labels (thread_id);

    CREATE TABLE blobs (
      sha256      TEXT PRIMARY KEY,                   -- file at blobs/<aa>/<sha256>
      size_bytes  INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE attachments (
      id                  INTEGER PRIMARY KEY,
      message_id          INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      part_index          INTEGER NOT NULL,
      remote_id           TEXT,                       -- provider attachment id, to fetch content later
      filename            TEXT NOT NULL DEFAULT '',
      mime_type           TEXT NOT NULL DEFAULT 'application/octet-stream',
      size_bytes          INTEGER NOT NULL DEFAULT 0,
      content_id          TEXT,                       -- for inline images (cid:)
      is_inline           INTEGER NOT NULL DEFAULT 0,
      blob_sha256         TEXT REFERENCES blobs(sha256), -- NULL until content is fetched or when over the size cap
      UNIQUE (message_id, part_index)
    );
    -- Garbage collection of blobs no attachment refers to any more.
    CREATE INDEX attachments_by_blob ON attachments (blob_sha256) WHERE blob_sha256 IS NOT NULL;

    CREATE TABLE calendars (
      id           INTEGER PRIMARY KEY,
      account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      remote_id    TEXT NOT NULL,
      name         TEXT NOT NULL,
      color        TEXT,
      time_zone    TEXT,
      is_primary   INTEGER NOT NULL DEFAULT 0,
      UNIQUE (account_id, remote_id)
    );

    -- Events as they occur: single events, and each instance (or exception) of
    -- a recurring series, expanded by the provider over the synced window.
    -- "What is on my calendar between A and B" is then one indexed range scan.
    CREATE TABLE events (
      id                INTEGER PRIMARY KEY,
      calendar_id       INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
      remote_id         TEXT NOT NULL,
      series_remote_id  TEXT,                         -- the recurring series an instance belongs to
      original_start_at INTEGER,                      -- an exception's original slot in its series
      status            TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
      summary           TEXT NOT NULL DEFAULT '',
      description       TEXT NOT NULL DEFAULT '',
      location          TEXT NOT NULL DEFAULT '',
      starts_at         INTEGER NOT NULL,             -- ms since epoch; all-day: local midnight in time_zone
      ends_at           INTEGER NOT NULL,             -- exclusive
      is_all_day        INTEGER NOT NULL DEFAULT 0,
      start_date        TEXT,                         -- all-day events: YYYY-MM-DD as the provider gave it
      end_date          TEXT,                         -- all-day events: exclusive
      time_zone         TEXT,
      organizer_json    TEXT,
      attendees_json    TEXT NOT NULL DEFAULT '[]',   -- [{email, name, response, optional, organizer, self}]
      conference_url    TEXT,
      reminders_json    TEXT NOT NULL DEFAULT '[]',   -- minutes before start
      web_link          TEXT,
      updated_at        INTEGER,
      UNIQUE (calendar_id, remote_id)
    );
    -- Range queries: events of ordinary length by start (a bounded scan) ...
    CREATE INDEX events_by_start ON events (starts_at, ends_at);
    -- ... and the few long ones (over a week) separately, so the scan stays bounded.
    CREATE INDEX events_long ON events (ends_at) WHERE ends_at - starts_at > 604800000;
    CREATE INDEX events_by_calendar_start ON events (calendar_id, starts_at);

    -- One row per (account, kind, scope): Gmail historyId, Graph deltaLink per
    -- folder, Calendar syncToken per calendar. Advanced in the same
    -- transaction as the page of changes it covers.
    CREATE TABLE sync_cursors (
      account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      kind        TEXT NOT NULL,
      scope       TEXT NOT NULL DEFAULT '',
      cursor      TEXT NOT NULL,
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (account_id, kind, scope)
    ) WITHOUT ROWID;

    -- A request that covers several accounts is a parent job (account_id NULL)
    -- with one child per account; workers run only jobs that have an account.
    CREATE TABLE jobs (
      id             TEXT PRIMARY KEY,                -- sync_<ulid>, cal_sync_<ulid>, ...
      kind           TEXT NOT NULL,                   -- email_sync, calendar_sync, ...
      account_id     TEXT REFERENCES accounts(id) ON DELETE CASCADE,
      parent_id      TEXT REFERENCES jobs(id) ON DELETE CASCADE,
      mode           TEXT NOT NULL DEFAULT 'incremental',
      status         TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
      params_json    TEXT NOT NULL DEFAULT '{}',
      progress_done  INTEGER NOT NULL DEFAULT 0,
      progress_total INTEGER,
      counts_json    TEXT NOT NULL DEFAULT '{}',
      error_code     TEXT,
      error_message  TEXT,
      queued_at      INTEGER NOT NULL,
      started_at     INTEGER,
      finished_at    INTEGER
    );
    -- The worker's "next job" and "is one already running for this account" lookups.
    CREATE INDEX jobs_open ON jobs (status, queued_at) WHERE status IN ('queued', 'running');
    CREATE INDEX jobs_by_account ON jobs (account_id, kind, status);
    CREATE INDEX jobs_by_parent ON jobs (parent_id) WHERE parent_id IS NOT NULL;

    -- Browser/desktop sessions (the admin session cookie authjs.session-token).
    CREATE TABLE sessions (
      token_sha256  TEXT PRIMARY KEY,
      is_admin      INTEGER NOT NULL DEFAULT 0,
      created_at    INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL
    ) WITHOUT ROWID;

    -- Full-text index over subject, participants and body text. External
    -- content: the text lives once, in messages; triggers keep it in step.
    CREATE VIRTUAL TABLE messages_fts USING fts5 (
      subject, from_text, recipients_text, body_text,
      content = 'messages', content_rowid = 'id',
      tokenize = 'porter unicode61 remove_diacritics 2',
      prefix = '2 3'
    );
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
      INSERT INTO messages_fts (rowid, subject, from_text, recipients_text, body_text)
      VALUES (new.id, new.subject, new.from_text, new.recipients_text, new.body_text);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, subject, from_text, recipients_text, body_text)
      VALUES ('delete', old.id, old.subject, old.from_text, old.recipients_text, old.body_text);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, from_text, recipients_text, body_text ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, subject, from_text, recipients_text, body_text)
      VALUES ('delete', old.id, old.subject, old.from_text, old.recipients_text, old.body_text);
      INSERT INTO messages_fts (rowid, subject, from_text, recipients_text, body_text)
      VALUES (new.id, new.subject, new.from_text, new.recipients_text, new.body_text);
    END;
  `);
}
