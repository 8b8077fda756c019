import { randomUUID } from 'node:crypto';
import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

export type Provider = 'gmail' | 'microsoft' | 'local';
export type AccountStatus = 'active' | 'needs_reauth' | 'disconnected';

export interface AccountRow {
  id: string;
  provider: Provider;
  email: string;
  display_name: string | null;
  status: AccountStatus;
  created_at: number;
  last_synced_at: number | null;
  last_error: string | null;
  /** Minutes between automatic mail syncs; null: the core's default; 0: only when asked. */
  email_sync_minutes: number | null;
  /** The same for calendars. */
  calendar_sync_minutes: number | null;
  /** Added below what is written in Compose (plain text; empty: none). */
  signature: string;
}

/** The per-account sync intervals Settings can change (minutes; null: default; 0: manual only). */
export interface SyncIntervals {
  email_sync?: number | null;
  calendar_sync?: number | null;
}

export function listAccounts(db: ReadableDb): AccountRow[] {
  return stmt<[], AccountRow>(db, 'SELECT * FROM accounts ORDER BY created_at, email').all();
}

export function getAccount(db: ReadableDb, id: string): AccountRow | undefined {
  return stmt<[string], AccountRow>(db, 'SELECT * FROM accounts WHERE id = ?').get(id);
}

/** The account for (provider, email), created on first use. */
export function ensureAccount(db: WritableDb, provider: Provider, email: string, displayName: string | null = null): AccountRow {
  const normalized = email.trim().toLowerCase();
  const existing = stmt<[string, string], AccountRow>(db, 'SELECT * FROM accounts WHERE provider = ? AND email = ?').get(
    provider,
    normalized,
  );
  if (existing) return existing;
  const row: AccountRow = {
    id: randomUUID(),
    provider,
    email: normalized,
    display_name: displayName,
    status: 'active',
    created_at: Date.now(),
    last_synced_at: null,
    last_error: null,
    email_sync_minutes: null,
    calendar_sync_minutes: null,
    signature: '',
  };
  stmt(
    db,
    'INSERT INTO accounts (id, provider, email, display_name, status, created_at) VALUES (@id, @provider, @email, @display_name, @status, @created_at)',
  ).run(row);
  return row;
}

/** What Settings changes of an account; the fields left out stay as they are. */
export interface AccountSettings extends SyncIntervals {
  signature?: string;
  /** The name sent in From; null: the address alone. */
  displayName?: string | null;
}

/** Changes the settings named (the others stay); false when there is no such account. */
export function updateAccountSettings(db: WritableDb, id: string, settings: AccountSettings): boolean {
  const account = getAccount(db, id);
  if (!account) return false;
  stmt(
    db,
    'UPDATE accounts SET email_sync_minutes = ?, calendar_sync_minutes = ?, signature = ?, display_name = ? WHERE id = ?',
  ).run(
    settings.email_sync === undefined ? account.email_sync_minutes : settings.email_sync,
    settings.calendar_sync === undefined ? account.calendar_sync_minutes : settings.calendar_sync,
    settings.signature ?? account.signature,
    settings.displayName === undefined ? account.display_name : settings.displayName,
    id,
  );
  return true;
}

/** A sign-in just completed: the account is active again and its last error forgotten. */
export function activateAccount(db: WritableDb, id: string): void {
  stmt(db, `UPDATE accounts SET status = 'active', last_error = NULL WHERE id = ?`).run(id);
}

/** A mail sync finished: when, and that the account works. */
export function recordSyncSuccess(db: WritableDb, id: string, at = Date.now()): void {
  stmt(db, `UPDATE accounts SET last_synced_at = ?, last_error = NULL, status = 'active' WHERE id = ?`).run(at, id);
}

/** A sync failed: why (shown until one succeeds), and needs_reauth when the provider refused the sign-in. */
export function recordSyncFailure(db: WritableDb, id: string, message: string, needsReauth: boolean): void {
  stmt(db, 'UPDATE accounts SET last_error = ?, status = coalesce(?, status) WHERE id = ?').run(
    message,
    needsReauth ? 'needs_reauth' : null,
    id,
  );
}
