import type { WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

/** Which request an Idempotency-Key belongs to: one record per caller, route and key. */
export interface IdempotencyKey {
  principal: string;
  route: string;
  key: string;
}

export interface IdempotencyRecord {
  request_sha256: string;
  /** Null while the first request is still running. */
  status: number | null;
  headers_json: string | null;
  body: string | null;
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
      stmt(db, 'DELETE FROM idempotency_records WHERE created_at < ?').run(request.expiresBefore);
      const row = stmt<[string, string, string], IdempotencyRecord>(
        db,
        'SELECT request_sha256, status, headers_json, body FROM idempotency_records WHERE principal = ? AND route = ? AND key = ?',
      ).get(id.principal, id.route, id.key);
      if (!row)
        stmt(
          db,
          'INSERT INTO idempotency_records (principal, route, key, request_sha256, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(id.principal, id.route, id.key, request.sha256, request.now);
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
  stmt(
    db,
    'UPDATE idempotency_records SET status = ?, headers_json = ?, body = ? WHERE principal = ? AND route = ? AND key = ?',
  ).run(response.status, response.headersJson, response.body, id.principal, id.route, id.key);
}

/** Releases a claimed key (the request failed, so it may be retried with the same key). */
export function releaseIdempotencyKey(db: WritableDb, id: IdempotencyKey): void {
  stmt(db, 'DELETE FROM idempotency_records WHERE principal = ? AND route = ? AND key = ?').run(id.principal, id.route, id.key);
}
