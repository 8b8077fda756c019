import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** Stores a session by its token's hash, and drops the sessions that expired before `now`. */
export function insertSession(
  db: WritableDb,
  session: { tokenSha256: string; isAdmin: boolean; createdAt: number; expiresAt: number },
): void {
  stmt(db, 'DELETE FROM sessions WHERE expires_at < ?').run(session.createdAt);
  stmt(db, 'INSERT INTO sessions (token_sha256, is_admin, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    session.tokenSha256,
    session.isAdmin ? 1 : 0,
    session.createdAt,
    session.expiresAt,
  );
}

export function sessionByHash(db: ReadableDb, tokenSha256: string): { is_admin: number; expires_at: number } | undefined {
  return stmt<[string], { is_admin: number; expires_at: number }>(
    db,
    'SELECT is_admin, expires_at FROM sessions WHERE token_sha256 = ?',
  ).get(tokenSha256);
}

/** Removes one session (a command's own, once it is done with it); false when there was none. */
export function deleteSession(db: WritableDb, tokenSha256: string): boolean {
  return stmt(db, 'DELETE FROM sessions WHERE token_sha256 = ?').run(tokenSha256).changes > 0;
}
