import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SCOPES, type Scope } from '../../../shared/scopes.ts';
import { ulid } from '../../core/ids.ts';
import type { ReadableDb, WritableDb } from '../../db/handles.ts';
import {
  type ApiKeyRow,
  apiKeyRowByHash,
  getApiKeyRow,
  insertApiKey,
  listApiKeyRows,
  markApiKeyUsed,
  revokeApiKeyRow,
} from '../../db/queries/apiKeys.ts';

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

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Creates a key `wbk_<random>`; the key is returned once, only its SHA-256 is stored. */
export function createApiKey(
  db: WritableDb,
  name: string,
  scopes: readonly Scope[],
  now = Date.now(),
): { key: string; info: ApiKeyInfo } {
  const key = `wbk_${randomBytes(32).toString('base64url')}`;
  const id = `key_${ulid(now)}`;
  const unique = [...new Set(scopes)];
  insertApiKey(db, {
    id,
    name,
    prefix: key.slice(0, 12),
    key_sha256: hashKey(key),
    scopes_json: JSON.stringify(unique),
    created_at: now,
  });
  return { key, info: getApiKey(db, id) as ApiKeyInfo };
}

export function listApiKeys(db: ReadableDb): ApiKeyInfo[] {
  return listApiKeyRows(db).map(present);
}

export function getApiKey(db: ReadableDb, id: string): ApiKeyInfo | undefined {
  const row = getApiKeyRow(db, id);
  return row ? present(row) : undefined;
}

/** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
export function revokeApiKey(db: WritableDb, id: string, now = Date.now()): boolean {
  return revokeApiKeyRow(db, id, now);
}

/**
 * The live key for a presented secret, or null. Lookup is by hash (the secret
 * never meets a string comparison), and the stored hash is compared again in
 * constant time so an index collision trick cannot shortcut it.
 */
export function findApiKey(db: WritableDb, key: string, now = Date.now()): { id: string; scopes: Scope[] } | null {
  if (!key.startsWith('wbk_') || key.length > 200) return null;
  const hash = hashKey(key);
  const row = apiKeyRowByHash(db, hash);
  if (!row || row.revoked_at !== null) return null;
  if (!timingSafeEqual(Buffer.from(row.key_sha256, 'hex'), Buffer.from(hash, 'hex'))) return null;
  // Coarse (per minute) so a busy script does not turn every read into a write.
  if (row.last_used_at === null || now - row.last_used_at > 60_000) markApiKeyUsed(db, row.id, now);
  return { id: row.id, scopes: (JSON.parse(row.scopes_json) as string[]).filter(isScope) };
}

/** Whether the key with this id still exists and is not revoked: streams opened with it re-check it. */
export function isApiKeyLive(db: ReadableDb, id: string): boolean {
  const row = getApiKeyRow(db, id);
  return row !== undefined && row.revoked_at === null;
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
