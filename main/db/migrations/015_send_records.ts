import type { Database } from 'better-sqlite3';

/**
 * What exactly-once sending needs of the index:
 * - Idempotency records in one namespace per route (the workspace is one
 *   user: any of its keys that reuses a key means the same request), keyed by
 *   the route's path without its query string. Existing records keep the first
 *   of any that now collide.
 * - The outbox without a UNIQUE idempotency key: a key is the API's to hold for
 *   24 hours, and a request refused before anything was sent releases it, so
 *   a retry with the same key is a new row. The rows keep the contact and deal
 *   a send was linked to, and why a send failed (catalogue code, provider status).
 * - Messages keep the contact and deal too (the sent copy has them), for a
 *   contact's or a deal's mail timeline.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE idempotency_keys (
      route           TEXT NOT NULL,                 -- "POST /v1/email/send": method and path
      key             TEXT NOT NULL,
      request_sha256  TEXT NOT NULL,                 -- the canonical request (body keys sorted, query string)
      status          INTEGER,                       -- NULL while the first request is running
      headers_json    TEXT,
      body            TEXT,
      created_at      INTEGER NOT NULL,
      PRIMARY KEY (route, key)
    ) WITHOUT ROWID;
    CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
    INSERT OR IGNORE INTO idempotency_keys (route, key, request_sha256, status, headers_json, body, created_at)
      SELECT CASE WHEN instr(route, '?') > 0 THEN substr(route, 1, instr(route, '?') - 1) ELSE route END,
             key, request_sha256, status, headers_json, body, created_at
        FROM idempotency_records ORDER BY created_at;
    DROP TABLE idempotency_records;

    CREATE TABLE outbox_rebuilt (
      id                   TEXT PRIMARY KEY,           -- out_<ulid>
      account_id           TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      idempotency_key      TEXT,
      rfc822_message_id    TEXT NOT NULL,
      raw_sha256           TEXT NOT NULL REFERENCES blobs(sha256),
      provider_thread_id   TEXT,
      status               TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
      attempts             INTEGER NOT NULL DEFAULT 0,
      next_attempt_at      INTEGER NOT NULL,
      last_error           TEXT,
      failure_code         TEXT,                       -- catalogue code of a send that failed for good
      provider_status      INTEGER,                    -- the provider's HTTP status, when it refused
      provider_message_id  TEXT,
      contact_id           TEXT,
      deal_id              TEXT,
      created_at           INTEGER NOT NULL,
      sent_at              INTEGER
    );
    INSERT INTO outbox_rebuilt (id, account_id, idempotency_key, rfc822_message_id, raw_sha256, provider_thread_id, status,
        attempts, next_attempt_at, last_error, provider_message_id, created_at, sent_at)
      SELECT id, account_id, idempotency_key, rfc822_message_id, raw_sha256, provider_thread_id, status,
        attempts, next_attempt_at, last_error, provider_message_id, created_at, sent_at FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_rebuilt RENAME TO outbox;
    -- The delivery loop's "what is due" lookup.
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at) WHERE status IN ('queued', 'sending');
    -- A request cut short by a crash is settled from its row at start-up.
    CREATE INDEX outbox_by_idempotency_key ON outbox (idempotency_key, created_at) WHERE idempotency_key IS NOT NULL;

    ALTER TABLE messages ADD COLUMN contact_id TEXT;
    ALTER TABLE messages ADD COLUMN deal_id TEXT;
    CREATE INDEX messages_by_contact ON messages (contact_id, sent_at) WHERE contact_id IS NOT NULL;
    CREATE INDEX messages_by_deal ON messages (deal_id, sent_at) WHERE deal_id IS NOT NULL;
  `);
}
