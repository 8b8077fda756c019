import type { Database } from 'better-sqlite3';

/**
 * What the person chooses about each calendar, kept apart from what the provider says (a sync rewrites
 * name and colour): hidden from the calendar views, a colour of their own, and the default calendar new
 * events go to (at most one, across accounts).
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE calendars ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE calendars ADD COLUMN own_color TEXT;
    ALTER TABLE calendars ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0;
  `);
}
