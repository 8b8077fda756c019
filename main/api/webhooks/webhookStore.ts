import { randomBytes } from 'node:crypto';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../shared/api/webhooks.ts';
import type { CoreEvent } from '../../../shared/events.ts';
import { ulid } from '../../core/ids.ts';
import type { IndexDb } from '../../db/openIndex.ts';
import { stmt } from '../../db/statements.ts';

export { WEBHOOK_EVENTS, type WebhookEvent };
/** Deliveries are retried for a day after the event, then given up. */
export const RETRY_WINDOW_MS = 24 * 3600_000;

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

export function createSubscription(db: IndexDb, url: string, events: readonly WebhookEvent[], now = Date.now()): SubscriptionRow {
  const row: SubscriptionRow = {
    id: `whk_${ulid(now)}`,
    url,
    events_json: JSON.stringify([...new Set(events)]),
    secret: `whsec_${randomBytes(24).toString('base64url')}`,
    created_at: now,
    active: 1,
  };
  stmt(db, 'INSERT INTO webhook_subscriptions (id, url, events_json, secret, created_at, active) VALUES (?, ?, ?, ?, ?, 1)').run(
    row.id,
    row.url,
    row.events_json,
    row.secret,
    row.created_at,
  );
  return row;
}

export function listSubscriptions(db: IndexDb): SubscriptionRow[] {
  return stmt<[], SubscriptionRow>(db, 'SELECT * FROM webhook_subscriptions WHERE active = 1 ORDER BY created_at, id').all();
}

export function getSubscription(db: IndexDb, id: string): SubscriptionRow | undefined {
  return stmt<[string], SubscriptionRow>(db, 'SELECT * FROM webhook_subscriptions WHERE id = ? AND active = 1').get(id);
}

/** Deactivates a subscription: its pending deliveries stop, its log stays readable. */
export function deactivateSubscription(db: IndexDb, id: string): boolean {
  return db.transaction(() => {
    const changed = stmt(db, 'UPDATE webhook_subscriptions SET active = 0 WHERE id = ? AND active = 1').run(id).changes > 0;
    if (changed)
      stmt(
        db,
        "UPDATE webhook_deliveries SET status = 'failed', last_error = 'subscription deleted' WHERE subscription_id = ? AND status = 'pending'",
      ).run(id);
    return changed;
  })();
}

/** The webhook name and payload of a core event, or null when no webhook exists for it. */
export function webhookEventOf(event: CoreEvent): { id: string; type: WebhookEvent; data: unknown } | null {
  if ((WEBHOOK_EVENTS as readonly string[]).includes(event.type) && 'job' in event)
    return { id: `evt_${event.type}_${event.job.id}`, type: event.type as WebhookEvent, data: event.job };
  if (event.type === 'email.sent') return { id: `evt_email.sent_${event.message.id}`, type: 'email.sent', data: event.message };
  return null;
}

/** Persists one delivery per matching subscription (once per event and subscription), due now. */
export function recordDeliveries(
  db: IndexDb,
  event: { id: string; type: WebhookEvent; data: unknown },
  now = Date.now(),
): number {
  const payload = JSON.stringify({ id: event.id, type: event.type, created_at: new Date(now).toISOString(), data: event.data });
  let count = 0;
  db.transaction(() => {
    for (const sub of listSubscriptions(db)) {
      if (!(JSON.parse(sub.events_json) as string[]).includes(event.type)) continue;
      count += stmt(
        db,
        `INSERT OR IGNORE INTO webhook_deliveries (id, subscription_id, event_id, event_type, payload, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(`whd_${ulid(now)}`, sub.id, event.id, event.type, payload, now, now).changes;
    }
  })();
  return count;
}

export function dueDeliveries(db: IndexDb, now: number, limit: number): (DeliveryRow & { url: string; secret: string })[] {
  return stmt<[number, number], DeliveryRow & { url: string; secret: string }>(
    db,
    `SELECT d.*, s.url, s.secret FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
     WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`,
  ).all(now, limit);
}

export function recordAttempt(
  db: IndexDb,
  delivery: DeliveryRow,
  outcome: { ok: boolean; statusCode: number | null; error: string | null },
  now: number,
  random: () => number = Math.random,
): void {
  const attempts = delivery.attempts + 1;
  if (outcome.ok) {
    stmt(
      db,
      "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status_code = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
    ).run(attempts, outcome.statusCode, now, delivery.id);
    return;
  }
  // Exponential backoff with jitter: ~10 s, 20 s, 40 s ... capped at an hour, for 24 h after the event.
  const base = Math.min(10_000 * 2 ** (attempts - 1), 3600_000);
  const next = now + Math.round(base * (0.5 + random() / 2));
  const giveUp = next > delivery.created_at + RETRY_WINDOW_MS;
  stmt(
    db,
    'UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ? WHERE id = ?',
  ).run(giveUp ? 'failed' : 'pending', attempts, next, outcome.statusCode, outcome.error, delivery.id);
}

export function listDeliveries(db: IndexDb, subscriptionId: string, limit = 100): DeliveryRow[] {
  return stmt<[string, number], DeliveryRow>(
    db,
    'SELECT * FROM webhook_deliveries WHERE subscription_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
  ).all(subscriptionId, limit);
}
