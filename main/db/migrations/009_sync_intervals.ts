import type { Database } from 'better-sqlite3';

/**
 * How often each account syncs on its own, chosen in Settings. NULL keeps the
 * core's default (mail 5 min, calendars 15 min); 0 means only when asked
 * (Sync now, the API's POST /v1/email/sync).
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE accounts ADD COLUMN email_sync_minutes INTEGER CHECK (email_sync_minutes BETWEEN 0 AND 1440);
    ALTER TABLE accounts ADD COLUMN calendar_sync_minutes INTEGER CHECK (calendar_sync_minutes BETWEEN 0 AND 1440);
  `);
}
