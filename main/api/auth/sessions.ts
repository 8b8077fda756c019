import { createHash, randomBytes } from 'node:crypto';
import type { ReadableDb, WritableDb } from '../../db/handles.ts';
import { deleteSession, insertSession, sessionByHash } from '../../db/queries/sessions.ts';

/** How long a session lasts from its creation. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export interface Session {
  isAdmin: boolean;
  expiresAt: number;
  /** How the index knows the session (its token's SHA-256): what a stream opened with it re-checks. */
  tokenSha256: string;
}

/**
 * Creates a session for the desktop window or a browser (the admin session
 * cookie `authjs.session-token`). Only the token's hash is stored, so a
 * copied index does not hand out live sessions.
 */
export function createSession(db: WritableDb, options: { admin: boolean; now?: number }): { token: string; expiresAt: number } {
  const now = options.now ?? Date.now();
  const token = `ses_${randomBytes(32).toString('base64url')}`;
  const expiresAt = now + SESSION_LIFETIME_MS;
  insertSession(db, { tokenSha256: hashToken(token), isAdmin: options.admin, createdAt: now, expiresAt });
  return { token, expiresAt };
}

/** Ends a session at once: the streams it opened close within a second (credentialWatch). */
export function endSession(db: WritableDb, token: string): void {
  deleteSession(db, hashToken(token));
}

/** The live session for a presented token, or null. Lookup is by hash, so timing reveals nothing of the token. */
export function findSession(db: ReadableDb, token: string, now = Date.now()): Session | null {
  if (!token.startsWith('ses_') || token.length > 200) return null;
  const tokenSha256 = hashToken(token);
  const row = sessionByHash(db, tokenSha256);
  if (!row || row.expires_at < now) return null;
  return { isAdmin: row.is_admin === 1, expiresAt: row.expires_at, tokenSha256 };
}

/** Whether the session known by this hash is still live (not expired, not removed): streams re-check it. */
export function isSessionLive(db: ReadableDb, tokenSha256: string, now = Date.now()): boolean {
  const row = sessionByHash(db, tokenSha256);
  return row !== undefined && row.expires_at >= now;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
