import type { WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

/** Which request an Idempotency-Key belongs to: one namespace per route (method and path) for the whole workspace. */
export interface IdempotencyKey {
  route: string;
  key: string;
}

export interface IdempotencyRecord {
  request_sha256: string;
  /** Null while the first request is still running (or when it died with the process). */
  status: number | null;
  headers_json: string | null;
  body: string | null;
  created_at: number;
}

/**
 * The record of an earlier request with this key, or undefined after
 * claiming the key for this request (a record with no response yet). Records
 * older than `expiresBefore` are dropped first. One immediate transaction, so
 * two requests with one key cannot both claim it.
 */
export function claimIdempotencyKey(
  db: WritableDb,
  id: IdempotencyKey,
  request: { sha256: string; now: number; expiresBefore: number },
): IdempotencyRecord | undefined {
  return transaction(
    db,
    () => {
      stmt(db, 'DELETE FROM idempotency_keys WHERE created_at < ?').run(request.expiresBefore);
      const row = stmt<[string, string], IdempotencyRecord>(
        db,
        'SELECT request_sha256, status, headers_json, body, created_at FROM idempotency_keys WHERE route = ? AND key = ?',
      ).get(id.route, id.key);
      if (!row)
        stmt(db, 'INSERT INTO idempotency_keys (route, key, request_sha256, created_at) VALUES (?, ?, ?, ?)').run(
          id.route,
          id.key,
          request.sha256,
          request.now,
        );
      return row;
    },
    'immediate',
  );
}

/** Keeps the first response of a claimed key, to be replayed. */
export function storeIdempotentResponse(
  db: WritableDb,
  id: IdempotencyKey,
  response: { status: number; headersJson: string; body: string },
): void {
  stmt(db, 'UPDATE idempotency_keys SET status = ?, headers_json = ?, body = ? WHERE route = ? AND key = ?').run(
    response.status,
    response.headersJson,
    response.body,
    id.route,
    id.key,
  );
}

/** Releases a claimed key (the request was refused, so it may be retried with the same key). */
export function releaseIdempotencyKey(db: WritableDb, id: IdempotencyKey): void {
  stmt(db, 'DELETE FROM idempotency_keys WHERE route = ? AND key = ?').run(id.route, id.key);
}

/**
 * Takes over a record without an answer that an earlier process left (its
 * request died with it): true for the one caller that gets it, which then
 * settles it; a concurrent retry of the same key finds it taken.
 */
export function takeOverIdempotencyKey(db: WritableDb, id: IdempotencyKey, at: { before: number; now: number }): boolean {
  return (
    stmt(db, 'UPDATE idempotency_keys SET created_at = ? WHERE route = ? AND key = ? AND status IS NULL AND created_at < ?').run(
      at.now,
      id.route,
      id.key,
      at.before,
    ).changes === 1
  );
}
