import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

export interface SubscriptionRow {
  id: string;
  url: string;
  events_json: string;
  secret: string;
  created_at: number;
  active: number;
}

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export function insertSubscription(db: WritableDb, row: SubscriptionRow): void {
  stmt(
    db,
    `INSERT INTO webhook_subscriptions (id, url, events_json, secret, created_at, active)
     VALUES (@id, @url, @events_json, @secret, @created_at, @active)`,
  ).run(row);
}

export function listSubscriptions(db: ReadableDb): SubscriptionRow[] {
  return stmt<[], SubscriptionRow>(db, 'SELECT * FROM webhook_subscriptions WHERE active = 1 ORDER BY created_at, id').all();
}

export function getSubscription(db: ReadableDb, id: string): SubscriptionRow | undefined {
  return stmt<[string], SubscriptionRow>(db, 'SELECT * FROM webhook_subscriptions WHERE id = ? AND active = 1').get(id);
}

/** Deactivates a subscription: its pending deliveries stop, its log stays readable. */
export function deactivateSubscription(db: WritableDb, id: string): boolean {
  return transaction(db, () => {
    const changed = stmt(db, 'UPDATE webhook_subscriptions SET active = 0 WHERE id = ? AND active = 1').run(id).changes > 0;
    if (changed)
      stmt(
        db,
        "UPDATE webhook_deliveries SET status = 'failed', last_error = 'subscription deleted' WHERE subscription_id = ? AND status = 'pending'",
      ).run(id);
    return changed;
  });
}

/** A delivery of an event to a subscription, due at `due`; nothing when that pair was recorded before. Whether it was new. */
export function insertDelivery(
  db: WritableDb,
  delivery: Pick<DeliveryRow, 'id' | 'subscription_id' | 'event_id' | 'event_type' | 'payload' | 'created_at'> & { due: number },
): boolean {
  return (
    stmt(
      db,
      `INSERT OR IGNORE INTO webhook_deliveries (id, subscription_id, event_id, event_type, payload, next_attempt_at, created_at)
       VALUES (@id, @subscription_id, @event_id, @event_type, @payload, @due, @created_at)`,
    ).run(delivery).changes > 0
  );
}

export function dueDeliveries(db: ReadableDb, now: number, limit: number): (DeliveryRow & { url: string; secret: string })[] {
  return stmt<[number, number], DeliveryRow & { url: string; secret: string }>(
    db,
    `SELECT d.*, s.url, s.secret FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`,
  ).all(now, limit);
}

export function markDelivered(
  db: WritableDb,
  id: string,
  outcome: { attempts: number; statusCode: number | null; at: number },
): void {
  stmt(
    db,
    "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status_code = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
  ).run(outcome.attempts, outcome.statusCode, outcome.at, id);
}

/** A failed attempt: tried again at `nextAttemptAt`, or given up (`failed`). */
export function markAttemptFailed(
  db: WritableDb,
  id: string,
  outcome: {
    status: 'pending' | 'failed';
    attempts: number;
    nextAttemptAt: number;
    statusCode: number | null;
    error: string | null;
  },
): void {
  stmt(
    db,
    'UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ? WHERE id = ?',
  ).run(outcome.status, outcome.attempts, outcome.nextAttemptAt, outcome.statusCode, outcome.error, id);
}

export function listDeliveries(db: ReadableDb, subscriptionId: string, limit = 100): DeliveryRow[] {
  return stmt<[string, number], DeliveryRow>(
    db,
    'SELECT * FROM webhook_deliveries WHERE subscription_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  ).all(subscriptionId, limit);
}
