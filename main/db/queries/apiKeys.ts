import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** A stored API key: its hash, never the key (main/api/auth/apiKeys.ts makes and checks keys). */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  key_sha256: string;
  scopes_json: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function insertApiKey(db: WritableDb, row: Omit<ApiKeyRow, 'last_used_at' | 'revoked_at'>): void {
  stmt(
    db,
    `INSERT INTO api_keys (id, name, prefix, key_sha256, scopes_json, created_at)
     VALUES (@id, @name, @prefix, @key_sha256, @scopes_json, @created_at)`,
  ).run(row);
}

export function listApiKeyRows(db: ReadableDb): ApiKeyRow[] {
  return stmt<[], ApiKeyRow>(db, 'SELECT * FROM api_keys ORDER BY created_at, id').all();
}

export function getApiKeyRow(db: ReadableDb, id: string): ApiKeyRow | undefined {
  return stmt<[string], ApiKeyRow>(db, 'SELECT * FROM api_keys WHERE id = ?').get(id);
}

/** The key whose SHA-256 is `hash` (api_keys.key_sha256 is unique). */
export function apiKeyRowByHash(db: ReadableDb, hash: string): ApiKeyRow | undefined {
  return stmt<[string], ApiKeyRow>(db, 'SELECT * FROM api_keys WHERE key_sha256 = ?').get(hash);
}

/** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
export function revokeApiKeyRow(db: WritableDb, id: string, now: number): boolean {
  return stmt(db, 'UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(now, id).changes > 0;
}

export function markApiKeyUsed(db: WritableDb, id: string, now: number): void {
  stmt(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, id);
}
