import { randomBytes } from 'node:crypto';
import type { CoreEvent } from '../../../shared/events.ts';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../shared/webhookEvents.ts';
import { ulid } from '../../core/ids.ts';
import type { WritableDb } from '../../db/handles.ts';
import {
  type DeliveryRow,
  insertDelivery,
  insertSubscription,
  listSubscriptions,
  markAttemptFailed,
  markDelivered,
  type SubscriptionRow,
} from '../../db/queries/webhooks.ts';
import { transaction } from '../../db/transactions.ts';

export {
  type DeliveryRow,
  deactivateSubscription,
  dueDeliveries,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  type SubscriptionRow,
} from '../../db/queries/webhooks.ts';
export { WEBHOOK_EVENTS, type WebhookEvent };
/** Deliveries are retried for a day after the event, then given up. */
export const RETRY_WINDOW_MS = 24 * 3600_000;

/** A new subscription with its signing secret (returned to the caller once). */
export function createSubscription(
  db: WritableDb,
  url: string,
  events: readonly WebhookEvent[],
  now = Date.now(),
): SubscriptionRow {
  const row: SubscriptionRow = {
    id: `whk_${ulid(now)}`,
    url,
    events_json: JSON.stringify([...new Set(events)]),
    secret: `whsec_${randomBytes(24).toString('base64url')}`,
    created_at: now,
    active: 1,
  };
  insertSubscription(db, row);
  return row;
}

/** The webhook name and payload of a core event, or null when no webhook exists for it. */
export function webhookEventOf(event: CoreEvent): { id: string; type: WebhookEvent; data: unknown } | null {
  if ((WEBHOOK_EVENTS as readonly string[]).includes(event.type) && 'job' in event)
    return { id: `evt_${event.type}_${event.job.id}`, type: event.type as WebhookEvent, data: event.job };
  if (event.type === 'email.sent') return { id: `evt_email.sent_${event.message.id}`, type: 'email.sent', data: event.message };
  if (event.type === 'email.send_failed')
    return { id: `evt_email.send_failed_${event.message.id}`, type: 'email.send_failed', data: event.message };
  return null;
}

/** Persists one delivery per matching subscription (once per event and subscription), due now. */
export function recordDeliveries(
  db: WritableDb,
  event: { id: string; type: WebhookEvent; data: unknown },
  now = Date.now(),
): number {
  const payload = JSON.stringify({ id: event.id, type: event.type, created_at: new Date(now).toISOString(), data: event.data });
  return transaction(db, () => {
    let count = 0;
    for (const sub of listSubscriptions(db)) {
      if (!(JSON.parse(sub.events_json) as string[]).includes(event.type)) continue;
      const delivery = {
        id: `whd_${ulid(now)}`,
        subscription_id: sub.id,
        event_id: event.id,
        event_type: event.type,
        payload,
        due: now,
        created_at: now,
      };
      if (insertDelivery(db, delivery)) count += 1;
    }
    return count;
  });
}

export function recordAttempt(
  db: WritableDb,
  delivery: DeliveryRow,
  outcome: { ok: boolean; statusCode: number | null; error: string | null },
  now: number,
  random: () => number = Math.random,
): void {
  const attempts = delivery.attempts + 1;
  if (outcome.ok) {
    markDelivered(db, delivery.id, { attempts, statusCode: outcome.statusCode, at: now });
    return;
  }
  // Exponential backoff with jitter: ~10 s, 20 s, 40 s ... capped at an hour, for 24 h after the event.
  const base = Math.min(10_000 * 2 ** (attempts - 1), 3600_000);
  const next = now + Math.round(base * (0.5 + random() / 2));
  const giveUp = next > delivery.created_at + RETRY_WINDOW_MS;
  markAttemptFailed(db, delivery.id, {
    status: giveUp ? 'failed' : 'pending',
    attempts,
    nextAttemptAt: next,
    statusCode: outcome.statusCode,
    error: outcome.error,
  });
}
