import { describe, expect, it } from 'vitest';
import {
  createSubscription,
  dueDeliveries,
  RETRY_WINDOW_MS,
  recordAttempt,
  recordDeliveries,
} from '../../../main/api/webhooks/webhookStore.ts';
import { signWebhook } from '../../../main/api/webhooks/webhookWorker.ts';
import { openIndex } from '../../../main/db/openIndex.ts';

describe('webhook deliveries', () => {
  const event = { id: 'evt_1', type: 'email.sync.completed' as const, data: { id: 'sync_1' } };

  it('records one delivery per matching subscription, once per event', () => {
    const db = openIndex(':memory:');
    createSubscription(db, 'http://127.0.0.1:9/a', ['email.sync.completed']);
    createSubscription(db, 'http://127.0.0.1:9/b', ['calendar.sync.failed']);
    expect(recordDeliveries(db, event, 1000)).toBe(1);
    expect(recordDeliveries(db, event, 1000)).toBe(0);
    expect(dueDeliveries(db, 1000, 10)).toHaveLength(1);
  });

  it('backs off exponentially with jitter and gives up 24 h after the event', () => {
    const db = openIndex(':memory:');
    createSubscription(db, 'http://127.0.0.1:9/a', ['email.sync.completed']);
    recordDeliveries(db, event, 0);
    const fail = { ok: false, statusCode: 503, error: 'HTTP 503' };
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 40; i++) {
      const [due] = dueDeliveries(db, Number.MAX_SAFE_INTEGER, 1);
      if (!due) break;
      now = due.next_attempt_at;
      recordAttempt(db, due, fail, now, () => 1);
      const next = db.prepare('SELECT status, next_attempt_at FROM webhook_deliveries').get() as {
        status: string;
        next_attempt_at: number;
      };
      delays.push(next.next_attempt_at - now);
      if (next.status === 'failed') break;
    }
    expect(delays.slice(0, 4)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(Math.max(...delays)).toBe(3600_000);
    expect((db.prepare('SELECT status FROM webhook_deliveries').get() as { status: string }).status).toBe('failed');
    expect(now).toBeLessThanOrEqual(RETRY_WINDOW_MS);
    expect(now).toBeGreaterThan(RETRY_WINDOW_MS - 3 * 3600_000);
  });

  it('signs t.body with HMAC-SHA256 (a known vector)', () => {
    expect(signWebhook('secret', 1700000000, '{}')).toBe(
      't=1700000000,v1=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163',
    );
  });
});
