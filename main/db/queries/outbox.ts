import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxRow {
  id: string;
  account_id: string;
  idempotency_key: string | null;
  rfc822_message_id: string;
  raw_sha256: string;
  provider_thread_id: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  /** Why a send failed for good: a catalogue code (provider_error, network_error, send_cancelled). */
  failure_code: string | null;
  /** The provider's HTTP status when it refused the message. */
  provider_status: number | null;
  provider_message_id: string | null;
  contact_id: string | null;
  deal_id: string | null;
  created_at: number;
  sent_at: number | null;
}

export type OutboxUpdate = Partial<
  Pick<
    OutboxRow,
    | 'status'
    | 'attempts'
    | 'next_attempt_at'
    | 'last_error'
    | 'failure_code'
    | 'provider_status'
    | 'provider_message_id'
    | 'provider_thread_id'
    | 'sent_at'
  >
>;

export function insertOutboxRow(
  db: WritableDb,
  row: Pick<
    OutboxRow,
    | 'id'
    | 'account_id'
    | 'idempotency_key'
    | 'rfc822_message_id'
    | 'raw_sha256'
    | 'provider_thread_id'
    | 'contact_id'
    | 'deal_id'
    | 'next_attempt_at'
    | 'created_at'
  >,
): void {
  stmt(
    db,
    `INSERT INTO outbox (id, account_id, idempotency_key, rfc822_message_id, raw_sha256, provider_thread_id, contact_id, deal_id,
       status, next_attempt_at, created_at)
     VALUES (@id, @account_id, @idempotency_key, @rfc822_message_id, @raw_sha256, @provider_thread_id, @contact_id, @deal_id,
       'queued', @next_attempt_at, @created_at)`,
  ).run(row);
}

export function getOutboxRow(db: ReadableDb, id: string): OutboxRow | undefined {
  return stmt<[string], OutboxRow>(db, 'SELECT * FROM outbox WHERE id = ?').get(id);
}

/** The newest send made with this Idempotency-Key since `since` (outbox_by_idempotency_key). */
export function outboxRowByIdempotencyKey(db: ReadableDb, key: string, since: number): OutboxRow | undefined {
  return stmt<[string, number], OutboxRow>(
    db,
    'SELECT * FROM outbox WHERE idempotency_key = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1',
  ).get(key, since);
}

/** Rows a crash may have left half-sent. */
export function outboxRowsBeingSent(db: ReadableDb): OutboxRow[] {
  return stmt<[], OutboxRow>(db, `SELECT * FROM outbox WHERE status = 'sending'`).all();
}

/** Queued rows whose next attempt is due, soonest first. */
export function dueOutboxRows(db: ReadableDb, now: number): OutboxRow[] {
  return stmt<[number], OutboxRow>(
    db,
    `SELECT * FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id`,
  ).all(now);
}

/** Rows not sent yet (queued, being sent, failed), oldest first. */
export function unsentOutboxRows(db: ReadableDb): OutboxRow[] {
  return stmt<[], OutboxRow>(db, `SELECT * FROM outbox WHERE status <> 'sent' ORDER BY created_at, rowid`).all();
}

/** queued -> sending in one statement: false when another delivery took the row first. */
export function claimOutboxRow(db: WritableDb, id: string): boolean {
  return stmt(db, `UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'queued'`).run(id).changes > 0;
}

/** Deletes a row that is not sent, if it is in one of these states (default queued or failed); false when it is not (or gone). */
export function deleteUnsentOutboxRow(
  db: WritableDb,
  id: string,
  states: readonly Exclude<OutboxStatus, 'sent'>[] = ['queued', 'failed'],
): boolean {
  return (
    stmt(db, `DELETE FROM outbox WHERE id = ? AND status IN (SELECT value FROM json_each(?))`).run(id, JSON.stringify(states))
      .changes > 0
  );
}

const UPDATABLE = new Set([
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'failure_code',
  'provider_status',
  'provider_message_id',
  'provider_thread_id',
  'sent_at',
]);

export function updateOutboxRow(db: WritableDb, id: string, fields: OutboxUpdate): void {
  const columns = Object.keys(fields).filter((c) => UPDATABLE.has(c));
  if (columns.length === 0) return;
  stmt(db, `UPDATE outbox SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
}

/** Deletes up to `limit` rows sent before `before` (ms); returns how many. Their raw blobs are noted for the clean-up (migration 016). */
export function deleteSentOutboxRows(db: WritableDb, before: number, limit: number): number {
  return stmt(db, "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'sent' AND sent_at < ? LIMIT ?)").run(
    before,
    limit,
  ).changes;
}
