import { createHash, randomBytes } from 'node:crypto';
import type { IndexDb } from '../../db/openIndex.ts';
import { stmt } from '../../db/statements.ts';

const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export interface Session {
  isAdmin: boolean;
  expiresAt: number;
}

/**
 * Creates a session for the desktop window or a browser (the admin session
 * cookie `authjs.session-token`). Only the token's hash is stored, so a
 * copied index does not hand out live sessions.
 */
export function createSession(db: IndexDb, options: { admin: boolean; now?: number }): { token: string; expiresAt: number } {
  const now = options.now ?? Date.now();
  const token = `ses_${randomBytes(32).toString('base64url')}`;
  const expiresAt = now + SESSION_LIFETIME_MS;
  stmt(db, 'DELETE FROM sessions WHERE expires_at < ?').run(now);
  stmt(db, 'INSERT INTO sessions (token_sha256, is_admin, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    hashToken(token),
    options.admin ? 1 : 0,
    now,
    expiresAt,
  );
  return { token, expiresAt };
}

/** The live session for a presented token, or null. Lookup is by hash, so timing reveals nothing of the token. */
export function findSession(db: IndexDb, token: string, now = Date.now()): Session | null {
  if (!token.startsWith('ses_') || token.length > 200) return null;
  const row = stmt<[string], { is_admin: number; expires_at: number }>(
    db,
    'SELECT is_admin, expires_at FROM sessions WHERE token_sha256 = ?',
  ).get(hashToken(token));
  if (!row || row.expires_at < now) return null;
  return { isAdmin: row.is_admin === 1, expiresAt: row.expires_at };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
