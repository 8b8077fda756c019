import type { Database } from 'better-sqlite3';

/** The local API's own state: API keys, idempotency records, rate-limit windows, webhooks and their deliveries. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE api_keys (
      id            TEXT PRIMARY KEY,              -- key_<ulid>
      name          TEXT NOT NULL,
      prefix        TEXT NOT NULL,                 -- first characters of the key, for display only
      key_sha256    TEXT NOT NULL UNIQUE,          -- the key itself is shown once and never stored
      scopes_json   TEXT NOT NULL,
      created_at    INTEGER NOT NULL,
      last_used_at  INTEGER,
      revoked_at    INTEGER
    );

    -- One row per (principal, route, Idempotency-Key): the first response, replayed for 24 h.
    CREATE TABLE idempotency_records (
      principal      TEXT NOT NULL,
      route          TEXT NOT NULL,
      key            TEXT NOT NULL,
      request_sha256 TEXT NOT NULL,
      status         INTEGER,                      -- NULL while the first request is still in flight
      headers_json   TEXT,
      body           TEXT,
      created_at     INTEGER NOT NULL,
      PRIMARY KEY (principal, route, key)
    ) WITHOUT ROWID;
    CREATE INDEX idempotency_by_age ON idempotency_records (created_at);

    -- Fixed-window counters that must survive a restart (the hourly on-demand sync cap, the daily send cap).
    CREATE TABLE rate_limit_windows (
      bucket        TEXT NOT NULL,                 -- e.g. 'sync:workspace', 'send_day:workspace'
      window_start  INTEGER NOT NULL,
      count         INTEGER NOT NULL,
      PRIMARY KEY (bucket, window_start)
    ) WITHOUT ROWID;

    CREATE TABLE webhook_subscriptions (
      id            TEXT PRIMARY KEY,              -- whk_<ulid>
      url           TEXT NOT NULL,
      events_json   TEXT NOT NULL,
      secret        TEXT NOT NULL,                 -- needed in clear to sign; shown to the caller once
      created_at    INTEGER NOT NULL,
      active        INTEGER NOT NULL DEFAULT 1
    );

    CREATE TABLE webhook_deliveries (
      id               TEXT PRIMARY KEY,           -- whd_<ulid>
      subscription_id  TEXT NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
      event_id         TEXT NOT NULL,
      event_type       TEXT NOT NULL,
      payload          TEXT NOT NULL,
      status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts         INTEGER NOT NULL DEFAULT 0,
      next_attempt_at  INTEGER NOT NULL,
      last_status_code INTEGER,
      last_error       TEXT,
      created_at       INTEGER NOT NULL,
      delivered_at     INTEGER,
      UNIQUE (subscription_id, event_id)
    );
    -- The delivery worker's "what is due" lookup.
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at);
  `);
}
