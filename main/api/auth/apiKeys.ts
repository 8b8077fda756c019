import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SCOPES, type Scope } from '../../../shared/api/keys.ts';
import { ulid } from '../../core/ids.ts';
import type { IndexDb } from '../../db/openIndex.ts';
import { stmt } from '../../db/statements.ts';

export { SCOPES, type Scope };

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  key_sha256: string;
  scopes_json: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Creates a key `wbk_<random>`; the key is returned once, only its SHA-256 is stored. */
export function createApiKey(
  db: IndexDb,
  name: string,
  scopes: readonly Scope[],
  now = Date.now(),
): { key: string; info: ApiKeyInfo } {
  const key = `wbk_${randomBytes(32).toString('base64url')}`;
  const id = `key_${ulid(now)}`;
  const unique = [...new Set(scopes)];
  stmt(db, 'INSERT INTO api_keys (id, name, prefix, key_sha256, scopes_json, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    name,
    key.slice(0, 12),
    hashKey(key),
    JSON.stringify(unique),
    now,
  );
  return { key, info: getApiKey(db, id) as ApiKeyInfo };
}

export function listApiKeys(db: IndexDb): ApiKeyInfo[] {
  return stmt<[], ApiKeyRow>(db, 'SELECT * FROM api_keys ORDER BY created_at, id').all().map(present);
}

export function getApiKey(db: IndexDb, id: string): ApiKeyInfo | undefined {
  const row = stmt<[string], ApiKeyRow>(db, 'SELECT * FROM api_keys WHERE id = ?').get(id);
  return row ? present(row) : undefined;
}

/** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
export function revokeApiKey(db: IndexDb, id: string, now = Date.now()): boolean {
  return stmt(db, 'UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?').run(now, id).changes > 0;
}

/**
 * The live key for a presented secret, or null. Lookup is by hash (the secret
 * never meets a string comparison), and the stored hash is compared again in
 * constant time so an index collision trick cannot shortcut it.
 */
export function findApiKey(db: IndexDb, key: string, now = Date.now()): { id: string; scopes: Scope[] } | null {
  if (!key.startsWith('wbk_') || key.length > 200) return null;
  const hash = hashKey(key);
  const row = stmt<[string], ApiKeyRow>(db, 'SELECT * FROM api_keys WHERE key_sha256 = ?').get(hash);
  if (!row || row.revoked_at !== null) return null;
  if (!timingSafeEqual(Buffer.from(row.key_sha256, 'hex'), Buffer.from(hash, 'hex'))) return null;
  // Coarse (per minute) so a busy script does not turn every read into a write.
  if (row.last_used_at === null || now - row.last_used_at > 60_000)
    stmt(db, 'UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, row.id);
  return { id: row.id, scopes: (JSON.parse(row.scopes_json) as string[]).filter(isScope) };
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function present(row: ApiKeyRow): ApiKeyInfo {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: (JSON.parse(row.scopes_json) as string[]).filter(isScope),
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
  };
}
