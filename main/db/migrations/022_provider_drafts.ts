import type { Database } from 'better-sqlite3';

/**
 * Drafts kept at the provider (Gmail drafts, Outlook's Drafts folder) as well as here. One row per
 * message being written in compose that belongs to an account: the draft's Message-ID (chosen at its
 * first save, kept for its life: it finds a draft whose create answer was lost), the provider's draft
 * id once it has one, the index message standing for it, and what the provider has yet to be told
 * ('save' the latest text, 'delete' it). A save while another waits is one push: the row holds a
 * state, not a queue, and `version` keeps a push from settling a save made while it was under way.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE provider_drafts (
      compose_id         TEXT PRIMARY KEY,            -- compose_drafts.id (the compose window's UUID)
      account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      rfc822_message_id  TEXT NOT NULL,               -- without <>
      provider_draft_id  TEXT,                        -- Gmail's draft id, Graph's message id; null until pushed
      message_remote_id  TEXT NOT NULL,               -- the index message: 'outpost-draft:<compose id>' until pushed
      thread_remote_id   TEXT,                        -- the provider's thread a reply draft is in
      pending            TEXT CHECK (pending IN ('save', 'delete')),
      version            INTEGER NOT NULL DEFAULT 1,
      updated_at         INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX provider_drafts_pending ON provider_drafts (account_id) WHERE pending IS NOT NULL;
    CREATE INDEX provider_drafts_by_message ON provider_drafts (account_id, message_remote_id);
  `);
}
